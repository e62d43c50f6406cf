/**
 * Rules of version 2's room log (PROTOCOL.md §16) that servers and clients
 * must apply alike: which strings are reactions and mentions, how a reply
 * preview is cut, which rooms are direct rooms, and how a client folds a
 * change entry into the message record it holds.
 *
 * @module
 */

import { ErrorCode } from './errors.js';
import { type ChatMessage, EntryKind } from './frames.js';
import { DEFAULT_LIMITS, DIRECT_ROOM_PREFIX, REACTION_NAMES, REPLY_PREVIEW_LENGTH } from './limits.js';
import { type Checked, codePointLength, nameKey, validateName } from './names.js';

// The `v` flag (Unicode sets) is ES2024; given as a variable so the ES2022 target accepts it.
const UNICODE_SETS: string = 'v';
const ONE_EMOJI = new RegExp('^\\p{RGI_Emoji}$', UNICODE_SETS);
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Whether a string is exactly one RGI emoji, as a reaction must be [REACT-1]. */
export function validateReaction(emoji: string): Checked {
  if (!ONE_EMOJI.test(emoji)) {
    return { ok: false, code: ErrorCode.REACTION_INVALID, reason: 'a reaction is exactly one emoji' };
  }
  return { ok: true, value: emoji };
}

/**
 * The preview of a text in a reply or a `mention` event: the longest run of
 * whole grapheme clusters from the start with at most `REPLY_PREVIEW_LENGTH`
 * code points [REPLY-2].
 */
export function previewText(text: string): string {
  if (codePointLength(text) <= REPLY_PREVIEW_LENGTH) return text;
  let preview = '';
  let length = 0;
  for (const { segment } of graphemes.segment(text)) {
    const next = codePointLength(segment);
    if (length + next > REPLY_PREVIEW_LENGTH) break;
    preview += segment;
    length += next;
  }
  return preview;
}

/** The outcome of {@link validateMentions}: the normalized names, or why they were refused. */
export type CheckedMentions =
  | { readonly ok: true; readonly value: string[] }
  | { readonly ok: false; readonly code: ErrorCode; readonly reason: string };

/**
 * Validates and normalizes the names a message mentions: at most
 * `maxMentions`, each a valid name, each once by name key, in the order
 * given [MENTION-1].
 */
export function validateMentions(
  names: readonly string[],
  maxMentions: number = DEFAULT_LIMITS.maxMentions!,
  maxNameLength: number = DEFAULT_LIMITS.maxNameLength,
): CheckedMentions {
  if (names.length > maxMentions) {
    return { ok: false, code: ErrorCode.MENTIONS_INVALID, reason: `at most ${maxMentions} mentions` };
  }
  const seen = new Set<string>();
  const value: string[] = [];
  for (const raw of names) {
    const checked = validateName(raw, maxNameLength);
    if (!checked.ok) {
      return { ok: false, code: ErrorCode.MENTIONS_INVALID, reason: `mention "${raw}": ${checked.reason}` };
    }
    const key = nameKey(checked.value);
    if (seen.has(key)) continue;
    seen.add(key);
    value.push(checked.value);
  }
  return { ok: true, value };
}

/** Whether a normalized room name names a direct room [DM-3]. */
export function isDirectRoom(room: string): boolean {
  return room.startsWith(DIRECT_ROOM_PREFIX);
}

/** Whether a record of the log is a message (not a change entry) [LOG-2]. */
export function isMessage(entry: ChatMessage): boolean {
  return entry.kind === undefined;
}

/**
 * Folds a change entry (edit, delete, react, unreact) into the record of the
 * message it targets, as a client does [FOLD-2, FOLD-3]: only when the entry
 * is newer than the record's revision. `me` is the client's own name, which
 * decides the `me` flag of reactions. Returns whether the record changed.
 * The record is changed in place.
 */
export function applyEntry(record: ChatMessage, entry: ChatMessage, me?: string): boolean {
  if (entry.kind === undefined || entry.target !== record.messageId) return false;
  if (entry.seq <= (record.revision ?? record.seq)) return false;
  record.revision = entry.seq;
  switch (entry.kind) {
    case EntryKind.EDIT:
      if (record.deleted) return true;
      record.text = entry.text;
      record.editedTs = entry.ts;
      if (entry.mentions?.length) record.mentions = [...entry.mentions];
      else delete record.mentions;
      return true;
    case EntryKind.DELETE:
      record.deleted = true;
      record.text = '';
      for (const key of ['mentions', 'reactions', 'reply', 'attachments'] as const) delete record[key];
      return true;
    case EntryKind.REACT:
    case EntryKind.UNREACT:
      if (record.deleted || entry.emoji === undefined) return true;
      react(record, entry.emoji, entry.from, entry.kind === EntryKind.REACT, me);
      return true;
  }
}

function react(record: ChatMessage, emoji: string, from: string, add: boolean, me: string | undefined): void {
  record.reactions ??= [];
  const reactions = record.reactions;
  const mine = me !== undefined && nameKey(from) === nameKey(me);
  let reaction = reactions.find((r) => r.emoji === emoji);
  if (add) {
    if (!reaction) {
      reaction = { emoji, count: 0, names: [] };
      reactions.push(reaction);
    }
    reaction.count += 1;
    if (reaction.names.length < REACTION_NAMES) reaction.names.push(from);
    if (mine) reaction.me = true;
  } else if (reaction) {
    reaction.count -= 1;
    reaction.names = reaction.names.filter((name) => nameKey(name) !== nameKey(from));
    if (mine) delete reaction.me;
    if (reaction.count <= 0) reactions.splice(reactions.indexOf(reaction), 1);
  }
  if (reactions.length === 0) delete record.reactions;
}
