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

// Control (Cc), format (Cf), surrogate (Cs), private-use (Co), unassigned (Cn)
// and line/paragraph separators: invisible or unrenderable in a name.
const NAME_FORBIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u;
// Rooms additionally refuse every kind of space, so `/join name` is unambiguous.
const ROOM_FORBIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Z}]/u;
// Text keeps newlines, tabs and format characters (ZWJ joins emoji sequences),
// but no other control characters and no lone surrogates.
const TEXT_FORBIDDEN = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\p{Cs}]/u;

/** Length in Unicode code points, the unit of every length limit. */
export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** NFC-normalizes and trims a user name [NAME-1]. */
export function normalizeName(raw: string): string {
  return raw.normalize('NFC').trim();
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
  if (NAME_FORBIDDEN.test(value)) return refuse(ErrorCode.NAME_INVALID, 'name has invisible or control characters');
  return { ok: true, value };
}

/** NFC-normalizes, trims and lower-cases a room name: rooms are case-insensitive [ROOM-1]. */
export function normalizeRoom(raw: string): string {
  return raw.normalize('NFC').trim().toLowerCase().normalize('NFC');
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
  if (text.trim().length === 0) return refuse(ErrorCode.TEXT_INVALID, 'message is empty');
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
