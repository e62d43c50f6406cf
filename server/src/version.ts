/** Server software name and version, sent in `welcome`. */
export const SERVER_NAME = 'kuykan-server';
export const SERVER_VERSION = '0.1.0';
