/**
 * The cross-node event format: what the nodes of a chat publish on a room's
 * Redis channel (`room:<r>:events`) and how a node reads it back into
 * {@link RoomFeed} calls. This module is its only reader; its writers are
 * the append script (`m`, redis/lua/append.lua), the presence helper
 * (`p`, redis/lua/publish-presence.lua) and {@link typingEvent} (`t`).
 *
 * Events are JSON objects with one-letter keys; numbers travel as strings
 * because Lua's cjson would round large ones.
 *
 * @module
 */

import type { ChatMessage } from '@kuykan/protocol';
import { messageIdOf } from '../ids.js';
import type { RoomFeed } from './types.js';

/** An event as published on a room channel. */
export type WireEvent =
  /** A committed message: epoch, seq, ts, from, text, clientId. */
  | { k: 'm'; e: string; s: string; t: string; f: string; x: string; c: string }
  /** A presence change: version, joined ('1') or left ('0'), userKey, name. */
  | { k: 'p'; v: string; j: '0' | '1'; u: string; n: string }
  /** Typing: origin node, userKey, name, active. */
  | { k: 't'; o: string; u: string; n: string; a: boolean };

/** The payload announcing that a user of node `origin` is typing (or stopped). */
export function typingEvent(origin: string, userKey: string, name: string, active: boolean): string {
  const event: WireEvent = { k: 't', o: origin, u: userKey, n: name, a: active };
  return JSON.stringify(event);
}

/**
 * Reads one payload and feeds it to the room; the node's own typing is
 * skipped (its room already showed it). Returns false for an unreadable payload.
 */
export function dispatchEvent(payload: string, feed: RoomFeed, self: string): boolean {
  let event: WireEvent;
  try {
    event = JSON.parse(payload) as WireEvent;
  } catch {
    return false;
  }
  switch (event.k) {
    case 'm': {
      const seq = Number(event.s);
      const message: ChatMessage = {
        seq,
        messageId: messageIdOf(event.e, seq),
        ts: Number(event.t),
        from: event.f,
        text: event.x,
        clientId: event.c,
      };
      feed.message(event.e, message);
      return true;
    }
    case 'p':
      feed.presence({
        version: Number(event.v),
        kind: event.j === '1' ? 'join' : 'leave',
        userKey: event.u,
        name: event.n,
      });
      return true;
    case 't':
      if (event.o !== self) feed.typing(event.u, event.n, event.a);
      return true;
    default:
      return false;
  }
}
