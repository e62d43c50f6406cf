/** The SDK version, sent in `hello` as clientVersion. */
export const SDK_VERSION = '0.1.0';
