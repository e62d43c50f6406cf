/**
 * Coalesces a connection's writes per turn of the event loop: the first
 * write of a turn corks the socket, and every socket corked in the turn is
 * uncorked together in its check phase (`setImmediate`), so a turn's frames
 * for one connection (a send's message echo and its ack, a burst of fan-out
 * messages) leave in one `writev` system call instead of one write each
 * [issue 23: fewer write system calls]. Node's cork nests, so ws's own
 * cork/uncork around a frame's header and payload does not flush early;
 * frames keep their order, since everything still goes through the one
 * socket's stream.
 *
 * Writes made in the check phase after the release ran (by another
 * `setImmediate` callback) wait for the next turn's check phase: one poll
 * phase later, which does not block while an immediate is pending.
 *
 * Corked bytes count in `bufferedAmount` (the stream's length) before any
 * system call was tried, so the slow-consumer check [SEC-1] writes the held
 * bytes out first (`flush`) and counts only what the peer has not read.
 *
 * @module
 */

/** The part of a net.Socket a coalescer uses. */
export interface Corkable {
  cork(): void;
  uncork(): void;
}

/** Coalescers holding their socket this turn; released together. */
let holding: TurnWrites[] = [];

function releaseAll(): void {
  // Swapped first: a hold made while releasing starts the next batch.
  const batch = holding;
  holding = [];
  for (const writes of batch) {
    // A socket left corked would never send again: one failure must not skip the others.
    try {
      writes.release();
    } catch {
      // net.Socket reports a failed write on its own 'error' event, which ws turns into a close.
    }
  }
}

/** One connection's writes of the current turn. */
export class TurnWrites {
  private held = false;

  /** `socket` is null for a WebSocket that has none (a client's before it connects): nothing to hold. */
  constructor(private readonly socket: Corkable | null) {}

  /** Call before each write: the first of a turn corks the socket until the turn ends. */
  hold(): void {
    if (this.held || !this.socket) return;
    this.held = true;
    this.socket.cork();
    if (holding.push(this) === 1) setImmediate(releaseAll);
  }

  /** Writes out what this turn held so far; the socket stays corked for the rest of the turn. */
  flush(): void {
    if (!this.held) return;
    this.socket!.uncork();
    this.socket!.cork();
  }

  /** The turn ended: one system call for everything held (a no-op on a socket already ended or destroyed). */
  release(): void {
    this.held = false;
    this.socket!.uncork();
  }
}
