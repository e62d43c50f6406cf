/**
 * The read marker as the log draws it (`── new ──`), and how rooms are named
 * on screen. The app model keeps the read position and moves it (and the
 * server's marker) while a room is open, so the line needs the position
 * from before the room opened: the server's marker for a room not opened yet
 * in this run, else where the user left it.
 *
 * @module
 */
import type { RoomModel } from '@kuykan/sdk/model';

export class ReadMarks {
  /** The last seq shown of each room when it was closed. */
  readonly #seenThrough = new WeakMap<RoomModel, number>();
  /** The read marker of the open room when it opened; undefined when nothing was unread. */
  newAfter: number | undefined;

  /** The open room changes from `closed` to `opened`. */
  switched(closed: RoomModel | undefined, opened: RoomModel | undefined): void {
    if (closed) this.#seenThrough.set(closed, lastSeq(closed));
    if (!opened) {
      this.newAfter = undefined;
      return;
    }
    // Opening marked the room read already; the room's own marker moves only when the server
    // confirms it (a round trip later), so at this moment it still says where reading stopped.
    const marker = this.#seenThrough.get(opened) ?? (opened.room.version > 1 ? opened.room.readSeq : lastSeq(opened));
    // Only what was unread when the room opened: messages arriving while it is open are read.
    this.newAfter = marker < lastSeq(opened) ? marker : undefined;
  }
}

function lastSeq(room: RoomModel): number {
  return room.messages.at(-1)?.seq ?? 0;
}

/** How a room is named on screen: `#lobby`, or `@nok` for my direct room with nok. */
export function roomLabel(name: string, peer: string | undefined): string {
  return peer !== undefined ? `@${peer}` : `#${name}`;
}
