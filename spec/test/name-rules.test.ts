import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  codePointLength,
  ErrorCode,
  nameKey,
  validateClientId,
  validateName,
  validateRoom,
  validateText,
} from '../src/index.js';

describe('validateName', () => {
  it('accepts Thai names with combining vowels and tone marks, NFC-normalized and trimmed [NAME-1, NAME-4]', () => {
    expect(validateName('  สมชาย ')).toEqual({ ok: true, value: 'สมชาย' });
    expect(validateName('น้ำ')).toEqual({ ok: true, value: 'น้ำ' });
    expect(validateName('e\u0301lise')).toEqual({ ok: true, value: 'élise' });
  });

  it('counts length in code points, accepting the limit and refusing one past it [NAME-2]', () => {
    expect(validateName('😀'.repeat(32)).ok).toBe(true);
    expect(validateName('😀'.repeat(33))).toMatchObject({ ok: false, code: ErrorCode.NAME_INVALID });
    expect(validateName('   ')).toMatchObject({ ok: false, code: ErrorCode.NAME_INVALID });
  });

  it('refuses control, format and separator characters [NAME-3]', () => {
    for (const bad of [
      'a\u0000b',
      'a\u001bb',
      'zero\u200bwidth',
      'rtl\u202Eeman',
      'family👨\u200d👩',
      'line\u2028sep',
      '\ud800',
    ]) {
      expect(validateName(bad), JSON.stringify(bad)).toMatchObject({ ok: false, code: ErrorCode.NAME_INVALID });
    }
  });

  it('compares names ignoring case [NAME-5]', () => {
    expect(nameKey('Somchai')).toBe(nameKey('sOMCHAI '));
    expect(nameKey('สมชาย')).not.toBe(nameKey('สมหญิง'));
  });
});

describe('validateRoom', () => {
  it('lower-cases and accepts Thai room names, refusing spaces [ROOM-1, ROOM-2]', () => {
    expect(validateRoom(' Lobby ')).toEqual({ ok: true, value: 'lobby' });
    expect(validateRoom('ห้องนั่งเล่น')).toEqual({ ok: true, value: 'ห้องนั่งเล่น' });
    expect(validateRoom('two words')).toMatchObject({ ok: false, code: ErrorCode.ROOM_INVALID });
    expect(validateRoom('r'.repeat(65))).toMatchObject({ ok: false, code: ErrorCode.ROOM_INVALID });
    expect(validateRoom('r'.repeat(64)).ok).toBe(true);
  });
});

describe('validateText', () => {
  it('keeps newlines, tabs and ZWJ emoji but refuses other controls [MSG-1, MSG-2]', () => {
    expect(validateText('line 1\nline 2\tและ 👨‍👩‍👧').ok).toBe(true);
    expect(validateText('\u001b[31mred')).toMatchObject({ ok: false, code: ErrorCode.TEXT_INVALID });
    expect(validateText('\u0085')).toMatchObject({ ok: false });
    expect(validateText(' \n ')).toMatchObject({ ok: false });
    expect(validateText('ก'.repeat(4000)).ok).toBe(true);
    expect(validateText('ก'.repeat(4001)).ok).toBe(false);
  });

  it('stores text as sent, without normalizing it', () => {
    expect(validateText('e\u0301')).toEqual({ ok: true, value: 'e\u0301' });
  });
});

describe('validateClientId and codePointLength', () => {
  it('accepts 1 to 64 code points [MSG-4]', () => {
    expect(validateClientId('').ok).toBe(false);
    expect(validateClientId('x'.repeat(64)).ok).toBe(true);
    expect(validateClientId('x'.repeat(65))).toMatchObject({ ok: false, code: ErrorCode.CLIENT_ID_INVALID });
    expect(codePointLength('👋🏽')).toBe(2);
  });

  it('counts code points as iteration does, a lone surrogate as one, for any UTF-16 sequence', () => {
    const units = fc.array(fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0xd800, max: 0xdfff })));
    fc.assert(
      fc.property(units, (codes) => {
        const text = String.fromCharCode(...codes);
        expect(codePointLength(text)).toBe([...text].length);
      }),
      { numRuns: 2000 },
    );
  });
});
