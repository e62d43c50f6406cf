import { describe, expect, it } from 'vitest';
import { escapeTags, inert, safe, safeLines } from '../src/sanitize.js';

/** Strings a hostile user might send as a name, room or message. */
export const HOSTILE = [
  '\u001b[2J\u001b[H cleared your screen',
  '\u001b[31mred\u001b[0m text',
  '\u001b]0;pwned title\u0007',
  '\u001b]8;;http://evil.example\u001b\\link\u001b]8;;\u001b\\',
  '\u009b31m C1 CSI',
  '\u001bP+q436f\u001b\\ DCS query',
  'bell\u0007 backspace\b\b\b over',
  'carriage\roverwrite',
  '{bold}{red-fg}fake{/}',
  '{/} close all tags',
  '\u202Eevil reversed\u202C',
  'line 1\n04:20 admin: forged line',
  '\u001b[1000;1000H\u001b[6n cursor report',
  '\u{F0000} private use marker',
  '\uE000 private use marker in the BMP',
];

describe('sanitize', () => {
  it.each(HOSTILE)('leaves no escape, control or tag syntax in %j', (text) => {
    const out = safe(text);
    expect(out).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/);
    expect(out).not.toMatch(/\u001b/);
    expect(out).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    expect(out).not.toMatch(/\{(?!open\}|close\})/);
    expect(out).not.toMatch(/[\uE000-\uF8FF\u{F0000}-\u{FFFFD}]/u);
  });

  it('keeps ordinary Thai, emoji and punctuation unchanged', () => {
    const text = 'สวัสดีครับ 👋🏽 👨‍👩‍👧 🇹🇭 (ok) [1] <b> & "q"';
    expect(inert(text)).toBe(text);
  });

  it('shows braces literally through blessed tag escapes', () => {
    expect(escapeTags('{bold}x{/bold}')).toBe('{open}bold{close}x{open}/bold{close}');
  });

  it('splits messages into lines so each can be indented under its author', () => {
    expect(safeLines('a\nb\r\nc')).toEqual(['a', 'b', 'c']);
  });
});
