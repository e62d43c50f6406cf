/**
 * @kuykan/sdk for browsers: the core with the standard WebSocket, and XMLHttpRequest
 * (loaded when first needed) to upload files. No Node imports.
 *
 * @module
 */

import { KuykanClient as CoreClient } from './client.js';
import type { WebSocketConstructor } from './transport.js';
import type { ClientOptions } from './types.js';

/** A Kuykan client; see the package README. */
export class KuykanClient extends CoreClient {
  constructor(url: string | readonly string[], options: ClientOptions = {}) {
    super(
      url,
      { WebSocket: globalThis.WebSocket as unknown as WebSocketConstructor, ...options },
      // A separate chunk, loaded on the first `sendFile`: pages that send no file do not ship it.
      { files: async () => (await import('./files/browser.js')).browserFiles },
    );
  }
}

// The core's public surface; the class above takes the place of the core's KuykanClient.
export * from './index.js';
