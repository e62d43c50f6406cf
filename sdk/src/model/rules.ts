/**
 * The two rules every view used to apply on its own: which messages are
 * mine, and which mention me. One place, so the web and terminal clients agree.
 *
 * @module
 */

import { type ChatMessage, nameKey } from '@kuykan/protocol';

/**
 * Mine when the sender's `nameKey` is my name's (names are one user ignoring
 * case [NAME-5]), or when it carries a clientId this client sent (e.g. before
 * the login name is known).
 */
export function isOwn(
  message: Pick<ChatMessage, 'from' | 'clientId'>,
  me: string | undefined,
  sentClientIds: ReadonlySet<string>,
): boolean {
  if (message.clientId !== undefined && sentClientIds.has(message.clientId)) return true;
  return me !== undefined && nameKey(message.from) === nameKey(me);
}

/** Letters, digits, marks and `_`: what continues a word, so `@somchai2` does not mention `somchai`. */
const WORD = /[\p{L}\p{N}\p{M}_]/u;

/** The code point before `at` in `text`, as a string ('' at the start). */
function charBefore(text: string, at: number): string {
  if (at === 0) return '';
  const low = text.charCodeAt(at - 1);
  const pair = at >= 2 && low >= 0xdc00 && low <= 0xdfff;
  return text.slice(pair ? at - 2 : at - 1, at);
}

/**
 * Whether `text` mentions `name`: `@` + the name as a whole word, compared
 * by `nameKey` (so `@SOMCHAI` mentions `somchai`), not preceded by a word
 * character (`mail@somchai` is not a mention). Protocol v2 lists a message's
 * mentions on the record; this rule stays for messages without that list.
 */
export function mentions(text: string, name: string | undefined): boolean {
  if (!name) return false;
  const needle = `@${nameKey(name)}`;
  if (needle.length === 1) return false;
  const haystack = text.normalize('NFC').toLowerCase().normalize('NFC');
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
    const after = haystack.codePointAt(at + needle.length);
    const next = after === undefined ? '' : String.fromCodePoint(after);
    if (!WORD.test(charBefore(haystack, at)) && !WORD.test(next)) return true;
  }
  return false;
}
