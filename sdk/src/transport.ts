/**
 * The WebSocket the SDK needs: the browser's standard interface, which the
 * `ws` package also implements. The constructor is injected by the entry
 * point (node.ts, browser.ts) so the core imports no platform module.
 *
 * @module
 */

import type { FileSender } from './files/types.js';

/** The subset of the standard WebSocket the SDK uses. */
export interface SocketLike {
  binaryType: string;
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  /** Destroys the connection without a closing handshake (`ws` has it; browsers do not). */
  terminate?(): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
}

/** A socket error in words, and the HTTP status of a refused upgrade if the error tells it. @internal */
export interface SocketErrorText {
  text: string;
  httpStatus?: number;
}

/**
 * What a platform entry adds to the core: how to put its socket errors in
 * words (Node's codes; browsers report none). @internal
 */
export interface Platform {
  describeError?(error: Error): SocketErrorText;
  /** Loads the code that sends files (§17): Node's http, the browser's XMLHttpRequest (lazily). */
  files?(): Promise<FileSender>;
}

/** A WebSocket constructor (the standard one, or `ws`). */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => SocketLike;

/** The standard readyState of an open socket. */
export const OPEN = 1;
