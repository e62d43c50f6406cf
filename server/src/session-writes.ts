/**
 * A connection's writes: held per turn of the event loop and written in one
 * system call (coalesce.ts), and capped: a peer that lets more than
 * `maxBufferedBytes` pile up unread is closed as a slow consumer [SEC-1],
 * and its socket is cut if it does not read up to the close frame.
 *
 * @module
 */

import type { WebSocket } from 'ws';
import { TurnWrites } from './coalesce.js';
import { rawSocket } from './framing.js';

/** Time a slow consumer has to read up to its close frame before the socket is cut, ms. */
const SLOW_CONSUMER_GRACE_MS = 5000;

/**
 * The methods are named as the Session methods they serve: the profiler
 * (bench/src/profile.ts) counts time under these names as socket writes.
 */
export class SessionWrites {
  /** This turn's writes, sent in one system call (coalesce.ts). */
  private readonly turn: TurnWrites;

  constructor(
    private readonly ws: WebSocket,
    /** The cap on unsent bytes, read at each write. */
    private readonly cap: () => number,
    /** Closes the connection as a slow consumer (4004). */
    private readonly closeSlow: () => void,
  ) {
    this.turn = new TurnWrites(rawSocket(ws) ?? null);
  }

  /** Writes a message's bytes (ws frames them). */
  sendBytes(bytes: Uint8Array): void {
    if (this.admit(bytes.byteLength)) this.ws.send(bytes);
  }

  /** Writes a frame built once for a whole broadcast (framing.ts). */
  sendFramed(frame: Buffer): void {
    if (this.admit(frame.byteLength)) rawSocket(this.ws).write(frame);
  }

  /**
   * Whether `bytes` more may be queued; closes a peer over the cap as a slow
   * consumer [SEC-1]. Holds the socket for the rest of the turn (coalesce.ts).
   */
  private admit(bytes: number): boolean {
    if (this.ws.readyState !== this.ws.OPEN) return false;
    const cap = this.cap();
    // Bytes held this turn were never offered to the kernel: offer them
    // first, so that only what the peer has not read counts, as unbatched.
    if (this.ws.bufferedAmount + bytes > cap) this.turn.flush();
    if (this.ws.bufferedAmount + bytes > cap) {
      this.closeSlow();
      // The close frame waits behind the unread data; a slow but live peer gets
      // a few seconds to read up to it and learn to resume at once (4004)
      // before the socket is cut. Nothing more is queued meanwhile.
      setTimeout(() => this.ws.terminate(), SLOW_CONSUMER_GRACE_MS).unref();
      return false;
    }
    this.turn.hold();
    return true;
  }
}
