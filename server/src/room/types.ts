/**
 * The room's contract with the rest of its node: what it needs from a
 * joined connection ({@link Peer}) and from the node ({@link RoomContext}),
 * and what a joining peer starts from ({@link JoinSnapshot}).
 *
 * @module
 */

import type { Logger } from 'pino';
import type { Broker } from '../broker/types.js';
import type { Cluster } from '../cluster/types.js';
import type { Room } from '../rooms.js';
import type { User } from '../users.js';
import type { FanOut } from './fanout.js';

/** A joined connection as the room sees it. */
export interface Peer {
  readonly id: string;
  readonly user: User | undefined;
  /** The protocol version of the connection: frames are encoded for it [VER-2]. */
  readonly version: number;
  sendBytes(bytes: Uint8Array): void;
  /** Writes an already framed WebSocket message (see framing.ts). */
  sendFramed(frame: Buffer): void;
  /** Closes the connection with a protocol close code. */
  close(code: number, reason: string): void;
}

/** What a room needs from its node. */
export interface RoomContext {
  cluster: Cluster;
  /** The room logs: the room subscribes to its own. */
  broker: Broker;
  timing: { presenceGraceMs: number; typingTtlMs: number };
  /** Writes messages to the peers (chosen at start-up). */
  fanOut: FanOut;
  log: Logger;
  /** Counts delivered `message` frames. */
  countDelivered(recipients: number): void;
  /** The room's log cannot be continued (lost or trimmed past a gap): reload it. */
  reset(room: Room): void;
  /** The room has no local member left (the last one left or their grace ended): unload it. */
  idle(room: Room): void;
}

/** What a peer joining the room starts from [ROOM-5, PRES-7]. */
export interface JoinSnapshot {
  seq: number;
  members: string[];
  /** v2: the members that are bots [BOT-1]. */
  bots: string[];
  /** Settles when the joining user is a member and the others were told [PRES-1, PRES-6]. */
  entered: Promise<void>;
}
