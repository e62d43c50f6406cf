/**
 * How a room writes a committed entry to its joined peers (§10): encoded
 * once per protocol version among the peers, framed once, the same bytes to
 * every peer of that version; a peer whose `joined` is still being prepared
 * gets it buffered instead [MSG-7]. Version 1 peers get messages only,
 * without v2 fields [VER-2, VER-4]. The server picks the fan-out at
 * start-up (test faults wrap it, see faults/fanout.ts).
 *
 * @module
 */

import { type ChatMessage, encodeFrame, type ServerFrame } from '@kuykan/protocol';
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

/** Whether a session of `version` receives a log entry: version 1 knows messages only [VER-2]. */
export function receives(version: number, entry: ChatMessage): boolean {
  return version >= 2 || entry.kind === undefined;
}

/**
 * One frame's encodings, each made when first asked for: a room with peers
 * of one version encodes (and frames) once, as a room of one version did.
 */
export class Encodings {
  private readonly bytes: Array<Uint8Array | undefined> = [];
  private readonly framed: Array<Buffer | undefined> = [];

  constructor(private readonly frame: ServerFrame) {}

  /** The frame's bytes for `version` [VER-2]. */
  for(version: number): Uint8Array {
    let bytes = this.bytes[version];
    if (!bytes) {
      bytes = encodeFrame(this.frame, version);
      this.bytes[version] = bytes;
    }
    return bytes;
  }

  /** The same bytes as one WebSocket frame (framing.ts). */
  framedFor(version: number): Buffer {
    let framed = this.framed[version];
    if (!framed) {
      framed = binaryFrame(this.for(version));
      this.framed[version] = framed;
    }
    return framed;
  }
}

/** Writes already encoded bytes to every peer (or its buffer). */
export function sendBytesToAll(peers: Peers, bytes: Uint8Array, except?: (peer: Peer) => boolean): void {
  for (const [peer, buffer] of peers) {
    if (except?.(peer)) continue;
    if (buffer) buffer.push(bytes);
    else peer.sendBytes(bytes);
  }
}

/** Writes a frame to every peer (or its buffer), encoded for each peer's version. */
export function sendFrameToAll(peers: Peers, frame: ServerFrame, except?: (peer: Peer) => boolean): void {
  const encodings = new Encodings(frame);
  for (const [peer, buffer] of peers) {
    if (except?.(peer)) continue;
    if (buffer) buffer.push(encodings.for(peer.version));
    else peer.sendBytes(encodings.for(peer.version));
  }
}

/** Writes a log entry to every peer whose version receives it (or its buffer). */
export function sendEntryToAll(peers: Peers, room: string, entry: ChatMessage, except?: (peer: Peer) => boolean): void {
  const encodings = new Encodings({ type: 'message', room, ...entry });
  for (const [peer, buffer] of peers) {
    if (except?.(peer) || !receives(peer.version, entry)) continue;
    if (buffer) buffer.push(encodings.for(peer.version));
    else peer.sendFramed(encodings.framedFor(peer.version));
  }
}

/** The fan-out of a production server. */
export const directFanOut: FanOut = {
  message(room, peers, message) {
    sendEntryToAll(peers, room, message);
  },
  extraSession() {},
};
