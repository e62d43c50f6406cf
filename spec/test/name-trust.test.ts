import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ErrorCode,
  mixedScriptProblem,
  UNICODE_VERSION,
  validateName,
  validateRoom,
  validateText,
} from '../src/index.js';

const refused = (name: string) => validateName(name).ok === false;

describe('name rules people can trust', () => {
  it('runs on the pinned Unicode version [NAME-3]', () => {
    expect(process.versions.unicode).toBe(UNICODE_VERSION);
  });

  it.each([
    ['alice + U+034F combining grapheme joiner', 'alice\u034f'],
    ['alice + U+FE0F variation selector', 'alice\ufe0f'],
    ['alice + U+3164 Hangul filler', 'alice\u3164'],
    ['alice + U+115F Hangul choseong filler', 'alice\u115f'],
    ['alice + U+2800 blank Braille cell', 'alice\u2800'],
    ['alice + U+200B zero width space', 'ali\u200bce'],
    ['alice + U+2060 word joiner', 'ali\u2060ce'],
    ['a tag character U+E0041', 'alice\u{e0041}'],
    ['a leading CR forging a line', '\r[12:00] admin: fake line'],
    ['a trailing LF', 'alice\n'],
    ['a leading tab', '\talice'],
    ['a leading U+FEFF', '\ufeffalice'],
    ['a right-to-left override', 'ali\u202ece'],
    ['a left-to-right mark', 'alice\u200e'],
    ['an Arabic letter mark', 'alice\u061c'],
    ['an ideographic space inside', 'ali\u3000ce'],
    ['an en quad inside', 'ali\u2000ce'],
    ['DEL', 'ali\u007fce'],
    ['a colon and a space', 'admin: hi'],
    ['a full-width colon and a space', 'admin\uff1a hi'],
    ['Latin with one Cyrillic а', '\u0430lice'],
    ['Latin with Ukrainian і', 'al\u0456ce'],
    ['Latin with Greek ο', 'b\u03bfb'],
    ['Cherokee, a script not recommended for names', '\u13aa\u13b4\u13a1'],
    ['a ZWJ outside an emoji sequence', 'family👨\u200d👩'],
  ])('refuses %s [NAME-3, NAME-6, NAME-7]', (_what, name) => {
    expect(validateName(name)).toMatchObject({ ok: false, code: ErrorCode.NAME_INVALID });
  });

  it.each([
    ['a ZWJ emoji sequence', '👩‍💻'],
    ['the rainbow flag (VS16 + ZWJ)', '🏳️‍🌈'],
    ['a keycap', '1️⃣'],
    ['a skin-tone modifier', '👋🏽 somchai'],
    ['a subdivision flag (tag sequence)', '🏴󠁧󠁢󠁳󠁣󠁴󠁿'],
    ['Thai with tone marks', 'น้ำ'],
    ['Thai and Latin', 'Somchai สมชาย'],
    ['Japanese with Latin', 'Taro 太郎 たろう タロウ'],
    ['Korean with Latin and Han', 'Kim 金 김'],
    ['all Cyrillic', 'Дмитрий'],
    ['all Greek', 'Αλέξανδρος'],
    ['a colon without a space', '12:00'],
    ['an inner space', 'Mary Ann'],
  ])('accepts %s [NAME-4, NAME-6]', (_what, name) => {
    expect(validateName(name)).toMatchObject({ ok: true });
  });

  it('never accepts a name with a default-ignorable code point outside emoji (property)', () => {
    const ignorable = fc.constantFrom(
      '\u00ad',
      '\u034f',
      '\u115f',
      '\u1160',
      '\u17b4',
      '\u180e',
      '\u200b',
      '\u200c',
      '\u200d',
      '\u2060',
      '\u3164',
      '\ufe00',
      '\ufe0f',
      '\uffa0',
      '\u{1d173}',
      '\u{e0001}',
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{1,10}$/), ignorable, fc.nat(), (base, bad, at) => {
        const cut = at % (base.length + 1);
        expect(refused(base.slice(0, cut) + bad + base.slice(cut))).toBe(true);
      }),
      { numRuns: 2000, seed: 16 },
    );
  });

  it('never accepts Latin mixed with Cyrillic or Greek letters (property)', () => {
    const foreign = fc.constantFrom(...'абвгдеёжзийклмнопрстуфхцчшщъыьэюяαβγδεζηθικλμνξοπρστυφχψω');
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{1,10}$/), foreign, (latin, letter) => {
        expect(mixedScriptProblem(latin + letter)).toBeDefined();
      }),
      { numRuns: 1000, seed: 17 },
    );
  });

  it('trims only space separators and rooms refuse what names refuse at the edges [NAME-1, ROOM-1]', () => {
    expect(validateName('\u3000alice\u00a0')).toEqual({ ok: true, value: 'alice' });
    expect(validateRoom('\rlobby').ok).toBe(false);
    expect(validateRoom(' lobby ')).toEqual({ ok: true, value: 'lobby' });
  });

  it('counts only White_Space as empty text, never other invisible text [MSG-1]', () => {
    expect(validateText('\u00a0\u3000\n\t').ok).toBe(false);
    expect(validateText('\u2800').ok).toBe(true);
  });
});
