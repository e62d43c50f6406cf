/**
 * Commits one entry of a room's log (a message, edit, delete or reaction)
 * and answers it: the entry is delivered to the room before the `ack`
 * [MSG-9, LOG-1], a retried clientId gets the original `ack` without a
 * second delivery [MSG-5, LOG-3], and a reaction that changes nothing gets
 * an `ack` with seq 0 [LOG-5].
 *
 * @module
 */

import { ErrorCode, ProtocolError } from '@kuykan/protocol';
import type { Room } from '../rooms.js';
import type { Session } from '../session.js';
import { type AppendResult, EpochChangedError, type NewMessage } from '../store/index.js';
import type { User } from '../users.js';

/** What a request adds to the entry; the sender's name, keys and bot flag come from the session. */
export type EntryInput = Omit<NewMessage, 'room' | 'epoch' | 'from' | 'userKey' | 'identity' | 'bot'>;

/**
 * What an entry holds beyond the request itself, gathered once the rate
 * check passed (§5.4: a send's files): `hold` resolves with the fields to
 * add, `release` gives back what it took when nothing was committed.
 */
export interface Holding {
  hold(): Promise<Partial<EntryInput>>;
  release(): Promise<void>;
}

/**
 * Takes a send-rate token, appends the entry, delivers it and acks it;
 * resolves with what the store committed. The store's refusals (§5.4 "then
 * for a new clientId") give the token back [LIMIT-7], and so does a
 * `holding` that refuses.
 */
export async function commitEntry(
  session: Session,
  room: Room,
  requestId: number,
  input: EntryInput,
  holding?: Holding,
): Promise<AppendResult> {
  const received = performance.now();
  const result = await appendEntry(session, room, input, holding);
  await answerEntry(session, room, requestId, input, result);
  session.hub.metrics.acked(received);
  return result;
}

/**
 * The first half of {@link commitEntry}: takes the token (throwing at once
 * when over the rate) and asks the store for the append. Without a
 * `holding` the store has the append before this returns, so a session can
 * go on to its next send meanwhile (see `Session.pipeline`).
 */
export function appendEntry(session: Session, room: Room, input: EntryInput, holding?: Holding): Promise<AppendResult> {
  return session.spend(session.bucket, () => append(session, room, input, holding));
}

/** The append once the token was taken; what `holding` took goes back when nothing was committed. */
async function append(session: Session, room: Room, input: EntryInput, holding?: Holding): Promise<AppendResult> {
  const { hub } = session;
  const entry = newEntry(room, session.user!, input);
  let held = false;
  try {
    if (holding) {
      Object.assign(entry, await holding.hold());
      held = true;
    }
    return await hub.metrics.timeStore('append', () => hub.store.append(entry));
  } catch (error) {
    if (held) await holding!.release();
    if (!(error instanceof EpochChangedError)) throw error;
    await hub.resetRoom(room);
    throw new ProtocolError(ErrorCode.UNAVAILABLE, 'the room was reset, rejoin and send again');
  }
}

/**
 * The entry the store appends: the request's fields and its author's. Built
 * field by field, not spread: this runs for every message, and V8 copies a
 * spread into a literal with other fields property by property at run time
 * (about ten times the cost of the literal, with the spread-in objects to
 * allocate first).
 */
function newEntry(room: Room, user: User, input: EntryInput): NewMessage {
  const entry: NewMessage = {
    room: room.name,
    epoch: room.epoch,
    from: user.name,
    userKey: user.key,
    identity: user.identity,
    clientId: input.clientId,
    text: input.text,
  };
  if (user.bot) entry.bot = true;
  if (input.change !== undefined) entry.change = input.change;
  if (input.mentions !== undefined) entry.mentions = input.mentions;
  if (input.replyTo !== undefined) entry.replyTo = input.replyTo;
  if (input.attachments !== undefined) entry.attachments = input.attachments;
  return entry;
}

/** The second half of {@link commitEntry}: delivers what the store committed, then acks it [MSG-9]. */
export async function answerEntry(
  session: Session,
  room: Room,
  requestId: number,
  input: EntryInput,
  { message, duplicate, unchanged }: AppendResult,
): Promise<void> {
  if (duplicate) {
    // A retry (maybe on another node) is acked once the original reached this node's members.
    await room.delivered(message.seq);
  } else if (!unchanged) {
    if (!input.change) room.stopTyping(session.user!);
    await room.message(room.epoch, message, session);
  }
  session.send({
    type: 'ack',
    id: requestId,
    room: room.name,
    messageId: message.messageId,
    seq: message.seq,
    ts: message.ts,
  });
}
