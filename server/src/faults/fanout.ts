/**
 * TEST ONLY. Fan-out faults, as a decorator over the room fan-out chosen at
 * start-up (see faults.ts): each breaks one requirement as peers see it.
 *
 * @module
 */

import { type ChatMessage, encodeFrame, PresenceKind } from '@kuykan/protocol';
import type { FaultName } from '../faults.js';
import { type FanOut, type Peers, receives, sendEntryToAll, sendFrameToAll } from '../room/fanout.js';
import type { Peer } from '../rooms.js';

/** seq-gap: every fifth seq skips a number, as the peers see it. */
export function withSeqGaps<T extends { seq: number }>(message: T): T {
  return { ...message, seq: message.seq + Math.floor(message.seq / 5) };
}

/** How long the held-back message (reorder-fanout) or the sender's copy (ack-before-commit) waits, ms. */
const HOLD_MS = 50;

/** Wraps `inner` when a fan-out fault is on; returns it unchanged otherwise. */
export function faultyFanOut(inner: FanOut, faults: ReadonlySet<FaultName>): FanOut {
  const seqGap = faults.has('seq-gap');
  const duplicate = faults.has('duplicate-fanout');
  const reorder = faults.has('reorder-fanout');
  const ackFirst = faults.has('ack-before-commit');
  const presenceDuplicate = faults.has('presence-duplicate');
  if (!seqGap && !duplicate && !reorder && !ackFirst && !presenceDuplicate) return inner;
  const held = new Map<string, { entry: ChatMessage; timer: NodeJS.Timeout }>();
  return {
    message(room: string, peers: Peers, message: ChatMessage, sender: Peer | undefined) {
      const shown = seqGap ? withSeqGaps(message) : message;
      if (reorder) {
        // MSG-8: a message is held back and sent after the next one.
        const previous = held.get(room);
        if (!previous) {
          const timer = setTimeout(() => {
            held.delete(room);
            sendEntryToAll(peers, room, shown);
          }, HOLD_MS);
          held.set(room, { entry: shown, timer });
          return;
        }
        clearTimeout(previous.timer);
        held.delete(room);
        sendEntryToAll(peers, room, shown);
        sendEntryToAll(peers, room, previous.entry);
        return;
      }
      if (ackFirst && sender) {
        // MSG-9: the sender's own copy arrives after its ack.
        const bytes = encodeFrame({ type: 'message', room, ...shown }, sender.version);
        inner.message(room, without(peers, sender), shown, undefined);
        if (receives(sender.version, shown)) setTimeout(() => sender.sendBytes(bytes), HOLD_MS);
        return;
      }
      inner.message(room, peers, shown, sender);
      // MSG-7: everyone but the sender gets it twice.
      if (duplicate) inner.message(room, without(peers, sender), shown, undefined);
    },
    extraSession(room: string, peers: Peers, peer: Peer) {
      inner.extraSession(room, peers, peer);
      // PRES-2: a further session of a member is announced as a join.
      const user = peer.user;
      if (presenceDuplicate && user) {
        const frame = { type: 'presence', room, name: user.name, kind: PresenceKind.JOIN } as const;
        sendFrameToAll(peers, frame, (p) => p.user?.key === user.key);
      }
    },
  };
}

/** The live (not buffering) peers other than `sender`. */
function without(peers: Peers, sender: Peer | undefined): Peers {
  const rest = new Map(peers);
  if (sender) rest.delete(sender);
  for (const [peer, buffer] of rest) if (buffer) rest.delete(peer);
  return rest;
}
