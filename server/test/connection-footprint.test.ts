/**
 * What a connection keeps alive on the server for its whole life. Every byte
 * here is paid by each of up to 20,000 idle connections (issue 23's idle cost).
 */
import { IncomingMessage } from 'node:http';
import { queryObjects, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { RawClient, startTestServer } from './helpers.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** IncomingMessage objects alive after a full collection (both ends of every connection live in this process). */
function liveRequests(): number {
  gc();
  return queryObjects(IncomingMessage, { format: 'count' }) as number;
}

describe('connection footprint', () => {
  let server: RunningServer | undefined;
  const clients: RawClient[] = [];
  afterAll(async () => {
    for (const client of clients) client.ws.terminate();
    await server?.close();
  });

  it('does not keep the HTTP upgrade request of an open, logged-in connection', async () => {
    server = await startTestServer();
    const before = liveRequests();
    for (let i = 0; i < 20; i++) {
      const client = await RawClient.open(server.url);
      await client.login(`idle${i}`);
      clients.push(client);
    }
    // Each upgrade made two, the server's request and the client's response, and neither side needs
    // them once the WebSocket is open (a closure of the upgrade handler kept all 20 requests).
    expect(liveRequests() - before).toBeLessThan(5);
  });
});
