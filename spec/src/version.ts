/**
 * Protocol version and transport constants (PROTOCOL.md §2).
 *
 * @module
 */

/** The protocol version this package implements. */
export const PROTOCOL_VERSION = 1;

/** Versions this package can speak, most preferred first. */
export const SUPPORTED_VERSIONS: readonly number[] = [PROTOCOL_VERSION];

/** WebSocket subprotocol name for a protocol version: `kuykan.v1`. */
export function subprotocolFor(version: number): string {
  return `kuykan.v${version}`;
}

/** The WebSocket subprotocol of protocol v1. */
export const SUBPROTOCOL = subprotocolFor(PROTOCOL_VERSION);
