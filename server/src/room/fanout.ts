/**
 * How a room writes a committed message to its joined peers (§10): encoded
 * once, framed once, the same bytes to every peer; a peer whose `joined` is
 * still being prepared gets it buffered instead [MSG-7]. The server picks
 * the fan-out at start-up (test faults wrap it, see faults/fanout.ts).
 *
 * @module
 */

import { type ChatMessage, encodeFrame } from '@kuykan/protocol';
import { binaryFrame } from '../framing.js';
import type { Peer } from '../rooms.js';

/** A room's joined peers; a non-null buffer holds frames while the peer's `joined` is prepared. */
export type Peers = ReadonlyMap<Peer, Uint8Array[] | null>;

export interface FanOut {
  /** Writes `message` of `room` to every peer; `sender` is the sending peer when it is joined here. */
  message(room: string, peers: Peers, message: ChatMessage, sender: Peer | undefined): void;
  /** A further session of a member joined (no presence change, [PRES-2]). */
  extraSession(room: string, peers: Peers, peer: Peer): void;
}

/** Writes already encoded bytes to every peer (or its buffer). */
export function sendBytesToAll(peers: Peers, bytes: Uint8Array, except?: (peer: Peer) => boolean): void {
  for (const [peer, buffer] of peers) {
    if (except?.(peer)) continue;
    if (buffer) buffer.push(bytes);
    else peer.sendBytes(bytes);
  }
}

/** The fan-out of a production server. */
export const directFanOut: FanOut = {
  message(room, peers, message) {
    const bytes = encodeFrame({ type: 'message', room, ...message });
    const framed = binaryFrame(bytes);
    for (const [peer, buffer] of peers) {
      if (buffer) buffer.push(bytes);
      else peer.sendFramed(framed);
    }
  },
  extraSession() {},
};
