/**
 * @kuykan/sdk for Node: the core with `ws` as its WebSocket and `node:http` to upload
 * files. (Each platform has its own entry, browser.ts uses the standard WebSocket, so
 * isomorphic-ws would only add a hop.)
 *
 * @module
 */

import WebSocket from 'ws';
import { KuykanClient as CoreClient } from './client.js';
import { nodeFiles } from './files/node.js';
import { describeNodeSocketError } from './node-errors.js';
import type { WebSocketConstructor } from './transport.js';
import type { ClientOptions } from './types.js';

/** A Kuykan client; see the package README. */
export class KuykanClient extends CoreClient {
  constructor(url: string | readonly string[], options: ClientOptions = {}) {
    super(
      url,
      { WebSocket: WebSocket as unknown as WebSocketConstructor, ...options },
      { describeError: describeNodeSocketError, files: async () => nodeFiles },
    );
  }
}

// The core's public surface; the class above takes the place of the core's KuykanClient.
export * from './index.js';
