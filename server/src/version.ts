/** Server software name and version, sent in `welcome`. */
export const SERVER_NAME = 'kuykan-server';
export const SERVER_VERSION = '0.1.0';

/**
 * Protocol versions this server speaks, most preferred first: version 2
 * keeps every rule of version 1 [VER-1]. A node whose store keeps no log of
 * version 2 speaks version 1 only (hub.ts); every built-in store keeps one.
 */
export const SERVER_PROTOCOL_VERSIONS: readonly number[] = [2, 1];
