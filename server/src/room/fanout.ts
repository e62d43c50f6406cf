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

import { type ChatMessage, FRAMES, PROTOCOL_VERSION, type ServerFrame } from '@kuykan/protocol';
import { encodeFor } from '../encoding.js';
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
 * Whether a frame holds no field a version 1 session must not get, so its
 * encodings for both versions are the same bytes. Checks the frame's own
 * fields only: it serves the frames rooms broadcast (`message`, `presence`,
 * `userTyping`), whose nested records are v2 fields themselves.
 */
function sameForVersion1(frame: ServerFrame): boolean {
  const fields = FRAMES[frame.type].fields;
  const values = frame as unknown as Record<string, unknown>;
  for (const name in fields) if ((fields[name]!.since ?? 1) > 1 && values[name] !== undefined) return false;
  return true;
}

/**
 * One frame's encodings, each made when first asked for: a room with peers
 * of one version encodes (and frames) once, as a room of one version did,
 * and so does a room of both versions for a frame with no v2 field.
 */
export class Encodings {
  private readonly bytes: Array<Uint8Array | undefined> = [];
  private readonly framed: Array<Buffer | undefined> = [];

  constructor(private readonly frame: ServerFrame) {}

  /** The frame's bytes for `version` [VER-2]. */
  for(version: number): Uint8Array {
    let bytes = this.bytes[version];
    if (!bytes) {
      const shared = version !== PROTOCOL_VERSION && sameForVersion1(this.frame);
      bytes = shared ? this.for(PROTOCOL_VERSION) : encodeFor(this.frame, version);
      this.bytes[version] = bytes;
    }
    return bytes;
  }

  /** The same bytes as one WebSocket frame (framing.ts). */
  framedFor(version: number): Buffer {
    return this.framed[version] ?? this.frameOnce(version);
  }

  private frameOnce(version: number): Buffer {
    const bytes = this.for(version);
    // The same bytes for another version were framed already: one frame for both.
    const framed = this.framed.find((other, v) => other && this.bytes[v] === bytes) ?? binaryFrame(bytes);
    this.framed[version] = framed;
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

/** Writes a frame to every peer (or its buffer), encoded and framed once for each peer's version. */
export function sendFrameToAll(peers: Peers, frame: ServerFrame, except?: (peer: Peer) => boolean): void {
  const encodings = new Encodings(frame);
  for (const [peer, buffer] of peers) {
    if (except?.(peer)) continue;
    if (buffer) buffer.push(encodings.for(peer.version));
    else peer.sendFramed(encodings.framedFor(peer.version));
  }
}

/** Writes a log entry to every peer whose version receives it (or its buffer). */
export function sendEntryToAll(peers: Peers, room: string, entry: ChatMessage, except?: (peer: Peer) => boolean): void {
  const encodings = new Encodings({ type: 'message', room, ...entry });
  // receives(), inlined: this loop runs once per member for every entry.
  const change = entry.kind !== undefined;
  for (const [peer, buffer] of peers) {
    const version = peer.version;
    if ((change && version < 2) || except?.(peer)) continue;
    if (buffer) buffer.push(encodings.for(version));
    else peer.sendFramed(encodings.framedFor(version));
  }
}

/** The fan-out of a production server. */
export const directFanOut: FanOut = {
  message(room, peers, message) {
    sendEntryToAll(peers, room, message);
  },
  extraSession() {},
};
