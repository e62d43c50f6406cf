/**
 * How the Redis store keeps a room's entries: one JSON row per seq in the
 * room's `entries` hash, a message's row holding its folded state (text
 * after edits, tombstone, reactions, the seqs of its edits), and the JSON
 * templates the commit script fills in with the seq and ts it assigns.
 *
 * The rules stay in fold.ts; this module only applies a checked change to a
 * row, the way memory.ts and sqlite-log.ts apply it to theirs.
 *
 * @module
 */

import { EntryKind } from '@kuykan/protocol';
import { randomId } from '../ids.js';
import type { StoredEntry, StoredReaction } from './fold.js';

/** A row of the `entries` hash. */
export interface RedisRow extends StoredEntry {
  /** The sender's key, so trimming the row also forgets its clientId [MSG-5]. */
  userKey: string;
  /** A message's current reactions, in reaction order. */
  reactions?: StoredReaction[];
  /** A message's edit entries, by seq: their texts go when it is deleted [DEL-2]. */
  edits?: number[];
}

/**
 * Placeholders for what only the commit script knows: the entry's seq, its
 * ts, and its messageId (the room's epoch and the seq). Rows and records
 * hold them until {@link template} turns them into the bytes the script
 * replaces.
 */
export const SEQ = Symbol('seq') as unknown as number;
export const TS = Symbol('ts') as unknown as number;
export const MESSAGE_ID = Symbol('messageId') as unknown as string;

/** The bytes that stand for the seq, the ts and the epoch in a template: JSON text never holds a raw control character. */
const SEQ_BYTE = '\u0001';
const TS_BYTE = '\u0002';
const EPOCH_BYTE = '\u0003';

/** The word placeholders are written as first: a NUL, which user text rarely holds. */
const FIRST_WORD = '\u0000K';
const FIRST_WORD_JSON = /"\\u0000K([stm])"/g;

/**
 * The JSON of `value` with its placeholders as the bytes commit.lua
 * replaces (\x01 the seq, \x02 the ts, \x03 the room's epoch). The
 * placeholders go through JSON.stringify as a word, found again after it;
 * user text cannot hold a raw control byte once stringified, so the bytes
 * are unambiguous. Text that holds the word too is told apart by the count
 * (it finds more than were placed): then a random word is used.
 */
export function template(value: unknown): string {
  return fill(value, FIRST_WORD, FIRST_WORD_JSON) ?? randomWordTemplate(value);
}

function randomWordTemplate(value: unknown): string {
  const word = `K${randomId(12).replace(/[^A-Za-z0-9]/g, 'x')}`;
  // 12 random bytes in user text are next to impossible; then try another.
  return fill(value, word, new RegExp(`"${word}([stm])"`, 'g')) ?? randomWordTemplate(value);
}

/** The template, or undefined when the text holds the word as well. */
function fill(value: unknown, word: string, inJson: RegExp): string | undefined {
  let placed = 0;
  const json = JSON.stringify(value, (_key, v: unknown) => {
    if (v === SEQ || v === TS || v === MESSAGE_ID) {
      placed += 1;
      return `${word}${v === SEQ ? 's' : v === TS ? 't' : 'm'}`;
    }
    return v;
  });
  let found = 0;
  const filled = json.replace(inJson, (_match, kind: string) => {
    found += 1;
    return kind === 's' ? SEQ_BYTE : kind === 't' ? TS_BYTE : `"${EPOCH_BYTE}.${SEQ_BYTE}"`;
  });
  return found === placed ? filled : undefined;
}

/** A template with the seq, ts and epoch the script committed it with, parsed. */
export function render<T>(filled: string, seq: number, ts: number, epoch: string): T {
  const json = filled.replaceAll(SEQ_BYTE, String(seq)).replaceAll(TS_BYTE, String(ts)).replaceAll(EPOCH_BYTE, epoch);
  return JSON.parse(json) as T;
}

export function parseRow(json: string): RedisRow {
  return JSON.parse(json) as RedisRow;
}

/**
 * A message's row after a checked change entry [FOLD-1]: an edit replaces
 * text and mentions, a delete leaves a tombstone without content or
 * reactions [DEL-2], a reaction joins or leaves the list with the seq its
 * emoji appeared at [FOLD-3]. `entry` may hold placeholders.
 */
export function applyChange(message: RedisRow, entry: StoredEntry): RedisRow {
  const next: RedisRow = { ...message, revision: entry.seq };
  const reactions = message.reactions ?? [];
  switch (entry.kind) {
    case EntryKind.EDIT:
      next.text = entry.text;
      next.mentions = entry.mentions;
      next.editedTs = entry.ts;
      next.edits = [...(message.edits ?? []), entry.seq];
      return next;
    case EntryKind.DELETE:
      next.deleted = true;
      next.text = '';
      next.mentions = undefined;
      next.attachments = undefined;
      next.reactions = undefined;
      return next;
    case EntryKind.REACT: {
      const appeared = reactions.find((r) => r.emoji === entry.emoji)?.appeared ?? entry.seq;
      const added = { emoji: entry.emoji!, identity: entry.identity, name: entry.from, seq: entry.seq, appeared };
      next.reactions = [...reactions, added];
      return next;
    }
    case EntryKind.UNREACT: {
      const rest = reactions.filter((r) => !(r.emoji === entry.emoji && r.identity === entry.identity));
      next.reactions = rest.length ? rest : undefined;
      return next;
    }
    default:
      return next;
  }
}

/** An edit entry of a deleted message: its text and mentions erased [DEL-2]. */
export function erasedEdit(edit: RedisRow): RedisRow {
  return { ...edit, text: '', mentions: undefined };
}
