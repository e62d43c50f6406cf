/**
 * What a room needs from its client: requests on the current connection,
 * the session's name, version, limits and capabilities, and the file code
 * of the platform.
 *
 * @module
 */

import type { ReplyMap, RequestFrame } from '@kuykan/protocol';
import type { Request } from './connection.js';
import type { FileSender } from './files/types.js';
import type { Room } from './room.js';

/** @internal */
export interface RoomHost {
  request<T extends RequestFrame['type']>(frame: Request<T>): Promise<ReplyMap[T]>;
  isOpen(): boolean;
  userName(): string | undefined;
  /** The protocol version of the session (the last one, while disconnected). */
  version(): number;
  capabilities(): readonly string[];
  /** The HTTP URL of the current server (its WebSocket URL with `ws` → `http`, `wss` → `https`) [§17]. */
  httpUrl(): string;
  /** Loads the platform's upload code (lazily in browsers); rejects when the platform has none. */
  files(): Promise<FileSender>;
  typingTtlMs(): number;
  historyPageMax(): number;
  /** Messages each room's live model keeps. */
  readonly maxMessages: number;
  queueLimitReached(): boolean;
  reportError(error: unknown): void;
  forget(room: Room): void;
}
