/**
 * The terminal's own lines in a room's log (joined, left, reconnected, errors,
 * command output). The app model keeps the messages; a notice only remembers
 * after which message it was made, so the log can weave the two together in
 * order however the messages change (pages loaded back, trims, live ones).
 *
 * @module
 */

/** Notices kept per room. */
const MAX_NOTICES = 500;

export interface Notice {
  /** Shown after the message with this seq, before the next one (0: before all). */
  readonly after: number;
  readonly ts: number;
  readonly text: string;
  readonly error: boolean;
}

export class RoomNotices {
  readonly #rooms = new Map<string, Notice[]>();
  readonly #cleared = new Map<string, number>();

  /** Notices of `room` in the order they were made. */
  of(room: string): readonly Notice[] {
    return this.#rooms.get(room) ?? [];
  }

  add(room: string, notice: Notice): void {
    const list = this.#rooms.get(room) ?? [];
    this.#rooms.set(room, list);
    list.push(notice);
    if (list.length > MAX_NOTICES) list.splice(0, list.length - MAX_NOTICES);
  }

  /** Forgets a room's notices (it was left or reset). */
  clear(room: string): void {
    this.#rooms.delete(room);
  }

  /** `/clear`: the room's notices go, and its messages up to `seq` are no longer drawn. */
  clearThrough(room: string, seq: number): void {
    this.clear(room);
    this.#cleared.set(room, seq);
  }

  /** Messages up to this seq are not drawn (0: all are). */
  clearedThrough(room: string): number {
    return this.#cleared.get(room) ?? 0;
  }
}

/** One entry of a room's log as drawn: a message record, or a notice, in order. */
export type Woven<M> = { kind: 'message'; message: M } | { kind: 'notice'; notice: Notice };

/**
 * Messages (ascending seq) and notices woven together: each notice after the
 * last message at or below its `after`, notices in the order they were made.
 */
export function weave<M extends { seq: number }>(messages: readonly M[], notices: readonly Notice[]): Woven<M>[] {
  const out: Woven<M>[] = [];
  // Stable by `after`: notices made while the list was longer (a reset) keep their order.
  const pending = [...notices].sort((a, b) => a.after - b.after);
  let n = 0;
  for (const message of messages) {
    while (n < pending.length && pending[n]!.after < message.seq) out.push({ kind: 'notice', notice: pending[n++]! });
    out.push({ kind: 'message', message });
  }
  while (n < pending.length) out.push({ kind: 'notice', notice: pending[n++]! });
  return out;
}
