/**
 * A connection's writes: held per turn of the event loop and written in one
 * system call (coalesce.ts), and capped: a peer that lets more than
 * `maxBufferedBytes` pile up unread is closed as a slow consumer [SEC-1],
 * and its socket is cut if it does not read up to the close frame.
 *
 * @module
 */

import { CloseCode } from '@kuykan/protocol';
import type { WebSocket } from 'ws';
import { TurnWrites } from './coalesce.js';
import { binaryFrame, rawSocket } from './framing.js';

/** Time a slow consumer has to read up to its close frame before the socket is cut, ms. */
const SLOW_CONSUMER_GRACE_MS = 5000;

/**
 * What the writes need of their connection (a Session): held as one
 * reference, since closures over it would cost each idle connection ~160 B.
 */
export interface WritesOwner {
  readonly ws: WebSocket;
  /** `maxBufferedBytes` is the cap on unsent bytes, read at each write. */
  readonly hub: { readonly options: { readonly maxBufferedBytes: number } };
  close(code: number, reason: string): void;
}

/**
 * The methods are named as the Session methods they serve: the profiler
 * (bench/src/profile.ts) counts time under these names as socket writes.
 *
 * It is its socket's coalescer (coalesce.ts) itself: a coalescer of its own
 * cost each connection ~40 B more.
 */
export class SessionWrites extends TurnWrites {
  constructor(private readonly owner: WritesOwner) {
    super(rawSocket(owner.ws) ?? null);
  }

  /**
   * Writes a message's bytes as one binary frame, framed here as broadcasts
   * are (framing.ts): `ws.send` would build an options object, a Buffer view,
   * a header and two writes for each, and every send is answered this way.
   */
  sendBytes(bytes: Uint8Array): void {
    this.sendFramed(binaryFrame(bytes));
  }

  /** Writes a frame built once for a whole broadcast (framing.ts). */
  sendFramed(frame: Buffer): void {
    if (this.admit(frame.byteLength)) rawSocket(this.owner.ws).write(frame);
  }

  /**
   * Whether `bytes` more may be queued; closes a peer over the cap as a slow
   * consumer [SEC-1]. Holds the socket for the rest of the turn (coalesce.ts).
   */
  private admit(bytes: number): boolean {
    const { ws } = this.owner;
    if (ws.readyState !== ws.OPEN) return false;
    const cap = this.owner.hub.options.maxBufferedBytes;
    // Bytes held this turn were never offered to the kernel: offer them
    // first, so that only what the peer has not read counts, as unbatched.
    if (ws.bufferedAmount + bytes > cap) this.flush();
    if (ws.bufferedAmount + bytes > cap) {
      this.owner.close(CloseCode.SLOW_CONSUMER, 'slow consumer');
      // The close frame waits behind the unread data; a slow but live peer gets
      // a few seconds to read up to it and learn to resume at once (4004)
      // before the socket is cut. Nothing more is queued meanwhile.
      setTimeout(() => ws.terminate(), SLOW_CONSUMER_GRACE_MS).unref();
      return false;
    }
    this.hold();
    return true;
  }
}
