/**
 * What the user reads of the open room, and the counts shown. The app model reads the open room
 * while it is `visible`; in a browser that is while the tab is shown and the
 * room's list is at its newest message, so a reader scrolled up (or a room
 * opened at its "New messages" line) moves no read marker until they reach
 * the bottom. Also that line: where it goes as a room opens, how long it stays.
 *
 * @module
 */
import type { ChatModel, RoomModel } from '@kuykan/sdk/model';

export class RoomReading {
  /** v2: per room, the first message unread when it opened (the "New messages" line). */
  readonly #lines = new Map<string, string>();
  /** The open room's list shows its newest message. */
  #atBottom = false;
  /** Rooms are being joined again after login: none is read before the saved one is open. */
  #restoring = false;
  /** The room last seen opening. */
  #shown: RoomModel | undefined;

  constructor(private readonly model: () => ChatModel | undefined) {}

  /** A room's counts as shown: none for the open room while the tab is visible (the user is there). */
  counts(room: RoomModel): { unread: number; mentions: number } {
    const open = room === this.model()?.active && !document.hidden;
    return open ? { unread: 0, mentions: 0 } : { unread: room.unread, mentions: room.mentions };
  }

  /** The counts of `rooms` together, for the title. */
  totals(rooms: readonly RoomModel[]): { unread: number; mentions: number } {
    let unread = 0;
    let mentions = 0;
    for (const room of rooms) {
      const counts = this.counts(room);
      unread += counts.unread;
      mentions += counts.mentions;
    }
    return { unread, mentions };
  }

  /** v2: the message under a room's "New messages" line ('' when none). */
  line(room: string): string {
    return this.#lines.get(room) ?? '';
  }

  /** After every change of the model: another room may have opened (it is not read yet, see `away`). */
  changed(): void {
    const active = this.model()?.active;
    if (active !== this.#shown) this.#opened(active);
  }

  /**
   * v2: the line goes where the server's read marker is as the room opens,
   * and stays while it is open; opened again before reading to the bottom,
   * it is still there. A marker at 0 was never moved: the room is new to
   * this user, its history context rather than news.
   */
  #opened(room: RoomModel | undefined): void {
    this.#shown = room;
    this.#atBottom = false;
    if (!room) return;
    const marker = room.room.version > 1 ? room.readSeq : 0;
    const first = room.messages.find((m) => m.seq > marker && !m.own && !m.deleted)?.messageId;
    if ((room.unread > 0 || this.#lines.has(room.name)) && marker > 0 && first) this.#lines.set(room.name, first);
    else this.#lines.delete(room.name);
  }

  /** Tells the model whether the user sees the newest message of the open room (the tab may have been hidden). */
  see(): void {
    this.model()?.setVisible(!document.hidden && this.#atBottom && !this.#restoring);
  }

  /** Before the model opens another room: nothing in it is read until its list reaches the bottom. */
  away(): void {
    this.#atBottom = false;
    this.see();
  }

  /** The open room's list reached its bottom (the newest message is in view), or left it. */
  bottom(at: boolean): void {
    this.#atBottom = at;
    this.see();
  }

  /** Rejoins the user's rooms after login (`restore`), reading none until the saved open room shows. */
  async restoring(restore: () => Promise<unknown>): Promise<void> {
    this.#restoring = true;
    try {
      await restore();
    } finally {
      this.#restoring = false;
      this.see();
    }
  }

  /** A room left, or joined by hand just now (its history is context, not news): no line. */
  forget(room: string): void {
    this.#lines.delete(room);
  }

  /** Signed out. */
  clear(): void {
    this.#lines.clear();
    this.#shown = undefined;
  }
}
