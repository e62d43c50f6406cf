/**
 * Client-suite adapter for @kuykan/sdk: `kuykan-conformance client
 * conformance/adapters/kuykan-sdk.mjs`. `createClient(options)` passes extra
 * SDK options through (the suite's own tests use it to inject faults).
 */

import { KuykanClient } from '@kuykan/sdk';

export function createClient(options = {}) {
  let client;
  const rooms = new Map();
  return {
    async connect(url, name) {
      client = new KuykanClient(url, { name, ...options });
      client.on('error', () => {});
      await client.connect();
    },
    async join(room) {
      rooms.set(room, await client.join(room));
    },
    async send(room, text) {
      await rooms.get(room).send(text);
    },
    typing(room) {
      rooms.get(room).typing(true);
    },
    async leave(room) {
      await rooms.get(room).leave();
      rooms.delete(room);
    },
    typingUsers(room) {
      return rooms.get(room)?.typingUsers ?? [];
    },
    async close() {
      await client?.close();
    },
  };
}
