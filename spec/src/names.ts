/**
 * Name, room and text rules (PROTOCOL.md §6), shared by every server and
 * client so that a name the UI accepts is one the server accepts.
 *
 * @module
 */

import { ErrorCode } from './errors.js';
import { DEFAULT_LIMITS, MAX_CLIENT_ID_LENGTH } from './limits.js';

/** The outcome of a validation: the normalized value, or why it was refused. */
export type Checked =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly code: ErrorCode; readonly reason: string };

// Property data is the runtime's; PROTOCOL.md §6 pins Unicode 17.0 (UNICODE_VERSION)
// and the test suite checks the runtime ships that version.

// Control (Cc), format (Cf, bidi controls included), surrogate (Cs), private-use
// (Co), unassigned (Cn), line/paragraph separators, default-ignorable code
// points (U+034F, variation selectors, Hangul fillers…), spaces other than
// U+0020, and U+2800 (a blank Braille cell): invisible or unrenderable in a name
// [NAME-3]. Emoji sequences are removed before this check, so the ZWJ and
// U+FE0F inside 👩‍💻 or 🏳️‍🌈 are allowed there and nowhere else [NAME-6].
// The `v` flag (Unicode sets) is ES2024; built from strings so the ES2022 target accepts it.
const UNICODE_SETS: string = 'v';
const NAME_FORBIDDEN = new RegExp(
  '[\\p{Cc}\\p{Cf}\\p{Cs}\\p{Co}\\p{Cn}\\p{Zl}\\p{Zp}\\p{Default_Ignorable_Code_Point}\\u2800[\\p{Zs}--[\\x20]]]',
  UNICODE_SETS,
);
/** Fully-qualified emoji, keycap, modifier, flag, tag and ZWJ sequences (UTS #51 RGI set). */
const RGI_EMOJI = new RegExp('\\p{RGI_Emoji}', `g${UNICODE_SETS}`);
// Rooms additionally refuse every kind of space, so `/join name` is unambiguous.
const ROOM_FORBIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Z}]/u;
// Text keeps newlines, tabs and format characters (ZWJ joins emoji sequences),
// but no other control characters, no DEL and no lone surrogates.
const TEXT_FORBIDDEN = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\p{Cs}]/u;
/** Leading and trailing space separators: the only characters names and rooms trim [NAME-1]. */
const EDGE_SPACES = /^\p{Zs}+|\p{Zs}+$/gu;
/** "White space" of the spec: the Unicode White_Space property. */
const ONLY_WHITE_SPACE = /^\p{White_Space}*$/u;
/** A colon followed by white space, after NFKC: a name could forge a `name: text` line [NAME-7]. */
const FORGED_LINE = /:\p{White_Space}/u;

/**
 * Scripts recommended for identifiers (UTS #31 Table 5); a name may use no
 * other, apart from Common and Inherited characters (digits, punctuation,
 * emoji, combining marks) [NAME-6].
 */
const RECOMMENDED_SCRIPTS = [
  'Arabic',
  'Armenian',
  'Bengali',
  'Bopomofo',
  'Cyrillic',
  'Devanagari',
  'Ethiopic',
  'Georgian',
  'Greek',
  'Gujarati',
  'Gurmukhi',
  'Han',
  'Hangul',
  'Hebrew',
  'Hiragana',
  'Kannada',
  'Katakana',
  'Khmer',
  'Lao',
  'Latin',
  'Malayalam',
  'Myanmar',
  'Oriya',
  'Sinhala',
  'Tamil',
  'Telugu',
  'Thaana',
  'Thai',
  'Tibetan',
] as const;
const SCRIPT_TESTS = RECOMMENDED_SCRIPTS.map((script) => [script, new RegExp(`\\p{scx=${script}}`, 'u')] as const);
const COMMON_OR_INHERITED = /[\p{sc=Zyyy}\p{sc=Zinh}]/u;
/** Script sets a name may mix, besides one script alone (UTS #39 §5.2, moderately restrictive). */
const ALLOWED_MIXES: readonly (readonly string[])[] = [
  ['Latin', 'Han', 'Hiragana', 'Katakana'],
  ['Latin', 'Han', 'Bopomofo'],
  ['Latin', 'Han', 'Hangul'],
];

/**
 * The recommended scripts a character belongs to (by Script_Extensions),
 * remembered per character: finding them takes one regular expression per
 * script, and names repeat their characters (a 20-letter name cost ~20 µs).
 * Bounded, so that a stream of distinct characters cannot grow it forever.
 */
const scriptsSeen = new Map<string, readonly string[]>();
const MAX_SCRIPTS_SEEN = 4096;

function scriptsOf(char: string): readonly string[] {
  let scripts = scriptsSeen.get(char);
  if (scripts === undefined) {
    scripts = SCRIPT_TESTS.filter(([, test]) => test.test(char)).map(([script]) => script);
    if (scriptsSeen.size < MAX_SCRIPTS_SEEN) scriptsSeen.set(char, scripts);
  }
  return scripts;
}

/** Length in Unicode code points, the unit of every length limit. */
export function codePointLength(text: string): number {
  // As many as for-of yields (a lone surrogate counts as one), without the
  // string it makes for each code point: this runs on every message's text.
  let n = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    if (isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1))) {
      n--;
      i++;
    }
  }
  return n;
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** NFC-normalizes a user name and trims space separators (`Zs`) only [NAME-1]. */
export function normalizeName(raw: string): string {
  return raw.normalize('NFC').replace(EDGE_SPACES, '');
}

/**
 * Whether the letters of `text` obey the "moderately restrictive" level of
 * UTS #39 §5.2 over the recommended scripts: one script, Latin with
 * Han+Kana, Han+Bopomofo or Han+Hangul, or Latin with one other script that
 * is neither Cyrillic nor Greek [NAME-6]. Returns the reason when not.
 */
export function mixedScriptProblem(text: string): string | undefined {
  const sets: (readonly string[])[] = [];
  for (const char of text) {
    const scripts = scriptsOf(char);
    if (scripts.length > 0) sets.push(scripts);
    else if (!COMMON_OR_INHERITED.test(char)) return `"${char}" is of a script not recommended for names`;
  }
  const coveredBy = (allowed: readonly string[]) => sets.every((set) => set.some((s) => allowed.includes(s)));
  const all = [...new Set(sets.flat())];
  if (all.some((script) => coveredBy([script]))) return undefined;
  if (ALLOWED_MIXES.some(coveredBy)) return undefined;
  const others = all.filter((s) => s !== 'Latin' && s !== 'Cyrillic' && s !== 'Greek');
  if (others.some((other) => coveredBy(['Latin', other]))) return undefined;
  return `mixes the scripts ${all.join(', ')}`;
}

/**
 * The key two names are compared by: names are unique among online users
 * ignoring case [NAME-5], so `Somchai` and `somchai` collide.
 */
export function nameKey(name: string): string {
  return normalizeName(name).toLowerCase().normalize('NFC');
}

/** Normalizes and validates a user name [NAME-1..4]. */
export function validateName(raw: string, maxLength: number = DEFAULT_LIMITS.maxNameLength): Checked {
  const value = normalizeName(raw);
  const length = codePointLength(value);
  if (length === 0) return refuse(ErrorCode.NAME_INVALID, 'name is empty');
  if (length > maxLength) return refuse(ErrorCode.NAME_INVALID, `name is longer than ${maxLength} characters`);
  const withoutEmoji = value.replace(RGI_EMOJI, '');
  if (NAME_FORBIDDEN.test(withoutEmoji)) {
    return refuse(ErrorCode.NAME_INVALID, 'name has invisible, space-like or control characters');
  }
  if (FORGED_LINE.test(value.normalize('NFKC'))) {
    return refuse(ErrorCode.NAME_INVALID, 'name must not contain a colon followed by a space');
  }
  const mixed = mixedScriptProblem(withoutEmoji);
  if (mixed) return refuse(ErrorCode.NAME_INVALID, `name ${mixed}`);
  return { ok: true, value };
}

/** NFC-normalizes, trims space separators and lower-cases a room name: rooms are case-insensitive [ROOM-1]. */
export function normalizeRoom(raw: string): string {
  return raw.normalize('NFC').replace(EDGE_SPACES, '').toLowerCase().normalize('NFC');
}

/** Normalizes and validates a room name [ROOM-1..2]. */
export function validateRoom(raw: string, maxLength: number = DEFAULT_LIMITS.maxRoomLength): Checked {
  const value = normalizeRoom(raw);
  const length = codePointLength(value);
  if (length === 0) return refuse(ErrorCode.ROOM_INVALID, 'room name is empty');
  if (length > maxLength) return refuse(ErrorCode.ROOM_INVALID, `room name is longer than ${maxLength} characters`);
  if (ROOM_FORBIDDEN.test(value)) return refuse(ErrorCode.ROOM_INVALID, 'room name has spaces or control characters');
  return { ok: true, value };
}

/** Validates message text; text is stored as sent, not normalized [MSG-2]. */
export function validateText(text: string, maxLength: number = DEFAULT_LIMITS.maxTextLength): Checked {
  if (ONLY_WHITE_SPACE.test(text)) return refuse(ErrorCode.TEXT_INVALID, 'message is empty');
  if (codePointLength(text) > maxLength) {
    return refuse(ErrorCode.TEXT_INVALID, `message is longer than ${maxLength} characters`);
  }
  if (TEXT_FORBIDDEN.test(text)) return refuse(ErrorCode.TEXT_INVALID, 'message has control characters');
  return { ok: true, value: text };
}

/** Validates a client message id: 1 to 64 code points [MSG-4]. */
export function validateClientId(clientId: string): Checked {
  const length = codePointLength(clientId);
  if (length === 0 || length > MAX_CLIENT_ID_LENGTH) {
    return refuse(ErrorCode.CLIENT_ID_INVALID, `client id must be 1 to ${MAX_CLIENT_ID_LENGTH} characters`);
  }
  return { ok: true, value: clientId };
}

function refuse(code: ErrorCode, reason: string): Checked {
  return { ok: false, code, reason };
}
