/**
 * The cross-node event format: what the nodes of a chat publish on a room's
 * Redis channel (`room:<r>:events`) and how a node reads it back into
 * {@link RoomFeed} calls. This module is its only reader; its writers are
 * the commit script (`m`, redis/lua/commit.lua), the presence helper
 * (`p`, redis/lua/publish-presence.lua) and {@link typingEvent} (`t`).
 *
 * Events are JSON objects with one-letter keys; numbers made in Lua travel
 * as strings because Lua's cjson would round large ones. An entry's record
 * (`m`) is the JSON the store made in TypeScript, with the seq, ts and
 * epoch the script wrote into it: the whole record as members receive it,
 * v2 fields included (kind, target, emoji, mentions, reply, attachments
 * with unsigned URLs, bot), so each node encodes it per version as for its
 * own entries.
 *
 * @module
 */

import type { ChatMessage } from '@kuykan/protocol';
import type { RoomFeed, UserEvent } from './types.js';

/** An event as published on a room channel. */
export type WireEvent =
  /** A committed entry: the epoch of its log and its record. */
  | { k: 'm'; e: string; r: ChatMessage }
  /** A presence change: version, joined ('1') or left ('0'), userKey, name, '1' for a bot [BOT-1]. */
  | { k: 'p'; v: string; j: '0' | '1'; u: string; n: string; b?: '1' }
  /** Typing: origin node, userKey, name, active. */
  | { k: 't'; o: string; u: string; n: string; a: boolean };

/** The payload announcing that a user of node `origin` is typing (or stopped). */
export function typingEvent(origin: string, userKey: string, name: string, active: boolean): string {
  const event: WireEvent = { k: 't', o: origin, u: userKey, n: name, a: active };
  return JSON.stringify(event);
}

/** A user event on the users channel: origin node, name key, event (JSON made here, numbers intact). */
interface WireUserEvent {
  o: string;
  n: string;
  e: UserEvent;
}

/** The payload handing a user event from node `origin` to the other nodes. */
export function userEvent(origin: string, nameKey: string, event: UserEvent): string {
  const wire: WireUserEvent = { o: origin, n: nameKey, e: event };
  return JSON.stringify(wire);
}

/** Reads a user event; undefined for the node's own (it delivered them already) or an unreadable one. */
export function readUserEvent(payload: string, self: string): { nameKey: string; event: UserEvent } | undefined {
  try {
    const wire = JSON.parse(payload) as WireUserEvent;
    return wire.o === self || typeof wire.n !== 'string' ? undefined : { nameKey: wire.n, event: wire.e };
  } catch {
    return undefined;
  }
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
    case 'm':
      // An older node's message event has no record: unreadable here (nodes are upgraded together).
      if (typeof event.r !== 'object' || event.r === null || typeof event.r.seq !== 'number') return false;
      feed.message(event.e, event.r);
      return true;
    case 'p':
      feed.presence({
        version: Number(event.v),
        kind: event.j === '1' ? 'join' : 'leave',
        userKey: event.u,
        name: event.n,
        ...(event.b === '1' ? { bot: true } : {}),
      });
      return true;
    case 't':
      if (event.o !== self) feed.typing(event.u, event.n, event.a);
      return true;
    default:
      return false;
  }
}
