/** Server software name and version, sent in `welcome`. */
export const SERVER_NAME = 'kuykan-server';
export const SERVER_VERSION = '0.1.0';

/**
 * Protocol versions this server speaks, most preferred first. Version 2
 * (PROTOCOL.md §16–§17) is specified; the server answers version 1 until
 * its v2 handlers land.
 */
export const SERVER_PROTOCOL_VERSIONS: readonly number[] = [1];
