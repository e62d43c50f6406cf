/**
 * What the commands of the model-based test share: picking sessions by
 * index, and accepting an acknowledged entry into the model (its checks,
 * the commit, and the mention events it makes due).
 *
 * @module
 */

import type { ChatMessage } from '@kuykan/protocol';
import type fc from 'fast-check';
import { expect } from '../failure.js';
import { commit } from './fold.js';
import type { ModelSession, World } from './world.js';

export type Cmd = fc.AsyncCommand<World, World, false>;

export const pick = <T>(items: T[], n: number): T | undefined =>
  items.length === 0 ? undefined : items[n % items.length];

/** An open session joined to some room, picked by `n` (and only of version 2 when `v2`). */
export function joinedSession(w: World, n: number, v2 = false): ModelSession | undefined {
  return pick(
    w.openSessions().filter((s) => s.rooms.size > 0 && (!v2 || s.version >= 2)),
    n,
  );
}

/** Checks an ack against the log and the requesting connection's copy of the entry, then commits it. */
export function accept(w: World, s: ModelSession, roomName: string, entry: ChatMessage, requirement: string): void {
  const room = w.room(roomName);
  const log = s.conn.log;
  const ackAt = log.findIndex((f) => f.type === 'ack' && f.messageId === entry.messageId && f.seq === entry.seq);
  const at = log.findIndex((f) => f.type === 'message' && f.messageId === entry.messageId);
  expect(requirement, at >= 0 && at < ackAt, `${s.conn.label}: the ack of ${entry.messageId} came before its entry`);
  expect(
    'MSG-6',
    entry.seq === room.log.length + 1,
    `ack seq ${entry.seq} in ${room.name}, expected ${room.log.length + 1}`,
  );
  expect('MSG-10', !room.log.some((e) => e.messageId === entry.messageId), `messageId ${entry.messageId} repeated`);
  commit(room, entry);
  if (entry.clientId) room.sent.set(`${s.user.key}:${entry.clientId}`, entry);
  if (entry.kind !== undefined) return;
  // Mention events are due to every v2 session of a mentioned user that has not joined the room [MENTION-2, -4].
  const mentioned = new Set([...(entry.mentions ?? []), ...(room.direct ?? [])]);
  mentioned.delete(s.user.name);
  for (const other of w.openSessions())
    if (other.version >= 2 && mentioned.has(other.user.name) && !other.rooms.has(roomName))
      other.expected.push(`mention ${roomName} ${entry.seq}`);
}
