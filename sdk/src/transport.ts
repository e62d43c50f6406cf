/**
 * The WebSocket the SDK needs: the browser's standard interface, which the
 * `ws` package also implements. The constructor is injected by the entry
 * point (node.ts, browser.ts) so the core imports no platform module.
 *
 * @module
 */

/** The subset of the standard WebSocket the SDK uses. */
export interface SocketLike {
  binaryType: string;
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
}

/** A WebSocket constructor (the standard one, or `ws`). */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => SocketLike;

/** The standard readyState of an open socket. */
export const OPEN = 1;
