import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dayKey, dayLabel, hueOf, initialsOf, minuteOf, timeOf } from '../src/format.js';
import { loadLang, setLang, t } from '../src/i18n.js';

// The Thai strings are a chunk of their own.
beforeAll(() => loadLang('th'));

describe('format', () => {
  it('gives each name a stable hue, the same for any letter case', () => {
    expect(hueOf('Nok')).toBe(hueOf('nok'));
    expect(hueOf('สมชาย')).toBe(hueOf('สมชาย'));
    expect(hueOf('Nok')).toBeGreaterThanOrEqual(0);
    expect(hueOf('Nok')).toBeLessThan(360);
  });

  it('groups timestamps by minute and day', () => {
    const base = new Date(2026, 10, 25, 10, 30, 5).getTime();
    expect(minuteOf(base)).toBe(minuteOf(base + 50_000));
    expect(minuteOf(base)).not.toBe(minuteOf(base + 60_000));
    expect(dayKey(base)).toBe(dayKey(base + 3_600_000));
    expect(dayKey(base)).not.toBe(dayKey(base + 86_400_000));
  });

  it('labels today and yesterday by name and older days by date', () => {
    const now = new Date(2026, 10, 25, 10, 0).getTime();
    expect(dayLabel(now - 60_000, now)).toBe(t('today'));
    expect(dayLabel(now - 86_400_000, now)).toBe(t('yesterday'));
    expect(dayLabel(now - 5 * 86_400_000, now)).toMatch(/2026/);
  });
});

describe('i18n', () => {
  it('fills placeholders with the values as plain text', () => {
    expect(t('joined', { name: '<img src=x onerror=alert(1)>' })).toBe('<img src=x onerror=alert(1)> joined');
    expect(t('typingMany', { names: 'a, b' })).toBe('a, b are typing…');
  });

  it('leaves an unknown placeholder empty rather than showing its name', () => {
    expect(t('joined')).toBe(' joined');
  });
});

describe('times and initials', () => {
  afterEach(() => setLang('en'));

  it('uses a 24-hour clock without a leading zero in both languages', () => {
    const morning = new Date(2026, 0, 1, 5, 9).getTime();
    const evening = new Date(2026, 0, 1, 17, 59).getTime();
    expect([timeOf(morning), timeOf(evening)]).toEqual(['5:09', '17:59']);
    setLang('th');
    expect([timeOf(morning), timeOf(evening)]).toEqual(['5:09', '17:59']);
    expect(dayLabel(morning - 5 * 86_400_000, evening)).toMatch(/2568|2569/); // Thai dates use the Buddhist era
  });

  it('takes whole grapheme clusters as initials', () => {
    expect(initialsOf('Nok Chai')).toBe('NC');
    expect(initialsOf('สมชาย')).toBe('ส');
    expect(initialsOf('กิ่ง ก้อย')).toBe('กิ่ก้');
    expect(initialsOf('👨‍👩‍👧 family')).toBe('👨‍👩‍👧F');
  });
});
