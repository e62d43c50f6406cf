/**
 * What the terminal keeps per joined room beyond the app model: where the
 * read marker stood when the room opened (`── new ──`), the server's unread
 * counts of a room joined in the background and not opened yet, and which
 * requests in flight are edits, deletes or reactions rather than messages.
 *
 * @module
 */
import { isDirectRoom } from '@kuykan/protocol';
import type { Room } from '@kuykan/sdk';
import type { RoomModel } from '@kuykan/sdk/model';
import { sdkRoom } from './live.js';

export class RoomMarks {
  /** Rooms joined but never opened: their counts come from the server's `joined` (READ-3). */
  readonly #unopened = new WeakSet<RoomModel>();
  /** The last seq shown of each room when it was closed. */
  readonly #seenThrough = new WeakMap<RoomModel, number>();
  /** ClientIds of edits, deletes and reactions in flight (the model lists them among its sends). */
  readonly #changes = new Set<string>();
  readonly #watched = new WeakSet<Room>();
  /** The read marker of the open room when it opened. */
  newAfter: number | undefined;

  /** Follows a room's requests; call before the model follows it, so its sends are known first. */
  watch(room: Room): void {
    if (this.#watched.has(room)) return;
    this.#watched.add(room);
    room.on('outgoing', ({ clientId, type, status }) => {
      if (type === undefined || type === 'send') return;
      if (status === 'sent') this.#changes.delete(clientId);
      else this.#changes.add(clientId);
    });
  }

  isChange(clientId: string): boolean {
    return this.#changes.has(clientId);
  }

  /** A room joined without opening it. */
  joinedUnopened(room: RoomModel): void {
    this.#unopened.add(room);
  }

  /** Unread messages and mentions: the model's, plus the server's for a room not opened yet. */
  counts(room: RoomModel): { unread: number; mentions: number } {
    if (!this.#unopened.has(room)) return { unread: room.unread, mentions: room.mentions };
    const joined = sdkRoom(room).joinCounts;
    return { unread: room.unread + joined.unread, mentions: room.mentions + joined.mentions };
  }

  /** The open room changes from `closed` to `opened`: the marker for `── new ──`. */
  switched(closed: RoomModel | undefined, opened: RoomModel | undefined): void {
    if (closed) this.#seenThrough.set(closed, lastSeq(closed));
    if (!opened) {
      this.newAfter = undefined;
      return;
    }
    this.#unopened.delete(opened);
    const live = sdkRoom(opened);
    // Version 2 keeps a marker per user on the server [READ-1]; version 1 has only what this run saw.
    const marker = this.#seenThrough.get(opened) ?? (live.version > 1 ? live.readSeq : lastSeq(opened));
    // Only what was unread when the room opened: messages arriving while it is open are read.
    this.newAfter = marker < lastSeq(opened) ? marker : undefined;
  }

  /** Tells the server the open room is read up to its newest message [READ-1]. */
  markRead(room: RoomModel): void {
    const live = sdkRoom(room);
    // Up to the last entry delivered (reactions and edits too). A `read` that fails is sent
    // again with the next message; the marker only moves forward.
    if (live.version > 1 && live.seq > live.readSeq) live.markRead().catch(() => undefined);
  }
}

function lastSeq(room: RoomModel): number {
  return room.messages.at(-1)?.seq ?? 0;
}

/** How a room is named on screen: `#lobby`, or `@nok` for my direct room with nok. */
export function roomLabel(room: RoomModel): string {
  const peer = sdkRoom(room).peer;
  return peer !== undefined ? `@${peer}` : isDirectRoom(room.name) ? room.name : `#${room.name}`;
}
