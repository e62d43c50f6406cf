/**
 * Protocol version and transport constants (PROTOCOL.md §2).
 *
 * @module
 */

/** The newest protocol version this package implements. */
export const PROTOCOL_VERSION = 2;

/** Versions this package can speak, most preferred first: version 2 keeps every rule of version 1 [VER-1]. */
export const SUPPORTED_VERSIONS: readonly number[] = [2, 1];

/** WebSocket subprotocol name of a framing version: `kuykan.v1`. */
export function subprotocolFor(version: number): string {
  return `kuykan.v${version}`;
}

/**
 * The WebSocket subprotocol, `kuykan.v1`: it names the framing (one
 * MessagePack map per binary message, §2–§3), which every protocol version
 * shares; the protocol version itself is negotiated in `hello` [HS-3].
 */
export const SUBPROTOCOL = subprotocolFor(1);
