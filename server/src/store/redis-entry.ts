/**
 * What one attempt of the Redis store's append commits, computed from the
 * row its entry names as read, with the rules of fold.ts: the entry's row
 * and record, and the rows the commit script checks (compare-and-set) or
 * rewrites; or the ack of a reaction that changes nothing [LOG-5]. The seq
 * and ts are placeholders the script fills in (redis-rows.ts). Pure: the
 * store does the reading and the committing.
 *
 * @module
 */

import type { ChatMessage } from '@kuykan/protocol';
import { checkChange, checkReply, newRow, toRecord, unchangedReaction } from './fold.js';
import { applyChange, MESSAGE_ID, type RedisRow, SEQ, TS, template } from './redis-rows.js';
import type { AppendResult, EntryRules, NewMessage } from './types.js';

/** A row the commit script checks: its seq, its JSON as read ('' unchecked), its new JSON template ('' unchanged). */
export type RowWrite = [seq: number, expected: string, next: string];

/** The row an entry names (its target, or the message it replies to), as read. */
export interface NamedRow {
  row: RedisRow | undefined;
  /** The row's JSON exactly as stored, compared again at commit. */
  json: string | null;
}

export interface PlannedEntry {
  /** The entry's row and record as templates. */
  entry: string;
  record: string;
  /** The message a change entry targets, before the change. */
  target?: RedisRow;
  /** The rows checked or rewritten with the entry (the target first). */
  writes: RowWrite[];
}

/**
 * Checks an entry against the row it names and plans its commit; throws the
 * refusal (a ProtocolError of fold.ts), or returns the unchanged ack.
 */
export function planEntry(
  input: NewMessage,
  epoch: string,
  named: NamedRow,
  rules: EntryRules,
  now: number,
): PlannedEntry | AppendResult {
  const { change } = input;
  const writes: RowWrite[] = [];
  let target: RedisRow | undefined;
  let reply: RedisRow | undefined;
  if (change) {
    target = checkChange(change, named.row, input.identity ?? '', now, rules) as RedisRow;
    if ('emoji' in change) {
      const unchanged = unchangedReaction(change, target, target.reactions ?? [], input, rules);
      if (unchanged) return unchanged;
    }
  } else if (input.replyTo !== undefined) {
    reply = checkReply(input.replyTo, named.row) as RedisRow;
    // Not rewritten, but checked: a reply to a message deleted meanwhile is refused [REPLY-1].
    writes.push([reply.seq, named.json!, '']);
  }
  const entry: RedisRow = { ...newRow(input, SEQ, TS, target?.seq, reply?.seq), userKey: input.userKey };
  if (target) writes.push([target.seq, named.json!, template(applyChange(target, entry))]);
  // Folded from the row with seq and ts 0 (placeholders are no numbers), then given the placeholders.
  const folded: ChatMessage = toRecord(epoch, { ...entry, seq: 0, ts: 0 }, { reply });
  const record = template({ ...folded, seq: SEQ, messageId: MESSAGE_ID, ts: TS });
  return { entry: template(entry), record, target, writes };
}
