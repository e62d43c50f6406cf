/**
 * What of a user-supplied string is drawn. Every user string is also
 * isolated where it is shown (`dir="auto"`, `unicode-bidi: isolate`), so its
 * direction cannot leak into the UI around it; this removes what isolation
 * cannot contain.
 *
 * @module
 */

/**
 * Explicit bidi embeddings, overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069): `abc \u202Eevil txt.exe` would draw the rest backwards
 * (a filename spoof). The TUI drops them too. Implicit marks (LRM, RLM) stay.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/**
 * More combining marks on one base than any script needs (Thai stacks at most
 * three: vowel, tone, and a rare mark) draw a tower over the messages above.
 */
export const MAX_MARKS_PER_BASE = 4;
const MARK_RUN = new RegExp(`(\\p{M}{${MAX_MARKS_PER_BASE}})\\p{M}+`, 'gu');

/** The text as drawn: bidi controls removed, runs of combining marks capped. */
export function displayText(text: string): string {
  return text.replace(BIDI_CONTROLS, '').replace(MARK_RUN, '$1');
}
