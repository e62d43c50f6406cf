/**
 * Rates of version 2 [LIMIT-9]: edit, delete and react share the send rate,
 * dm shares the join rate, read has none, and a request the store refuses
 * costs no token [LIMIT-7].
 */

import { ErrorCode } from '@kuykan/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { memberV2, type RawClient, startTestServer } from './helpers.js';
import { cid, refused, say } from './v2-helpers.js';

const servers: RunningServer[] = [];
const clients: RawClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const server of servers.splice(0)) await server.close();
});

async function serve(limits: Record<string, number>): Promise<RunningServer> {
  const server = await startTestServer({ limits });
  servers.push(server);
  return server;
}

async function v2(server: RunningServer, name: string, room?: string): Promise<RawClient> {
  const client = await memberV2(server.url, name, room);
  clients.push(client);
  return client;
}

describe('v2 rates', () => {
  it('counts edit, delete and react against the send rate [LIMIT-9]', async () => {
    const server = await serve({ sendRate: 1, sendBurst: 4 });
    const ann = await v2(server, 'ann', 'r');
    const m = await say(ann, 'r', 'one');
    await ann.request({ type: 'edit', room: 'r', target: m.messageId, clientId: cid(), text: 'two' });
    await ann.request({ type: 'react', room: 'r', target: m.messageId, clientId: cid(), emoji: '👍', on: true });
    await ann.request({ type: 'delete', room: 'r', target: m.messageId, clientId: cid() });
    const limited = await ann.request({
      type: 'react',
      room: 'r',
      target: m.messageId,
      clientId: cid(),
      emoji: '👍',
      on: true,
    });
    expect(limited).toMatchObject({ code: ErrorCode.RATE_LIMITED, retryAfterMs: expect.any(Number) });
  });

  it('gives the token back when the store refuses the request [LIMIT-7]', async () => {
    const server = await serve({ sendRate: 1, sendBurst: 2 });
    const ann = await v2(server, 'ann', 'r');
    const bob = await v2(server, 'bob', 'r');
    const m = await say(ann, 'r', 'mine');
    for (let i = 0; i < 5; i++) {
      refused(
        await bob.request({ type: 'edit', room: 'r', target: m.messageId, clientId: cid(), text: 'x' }),
        ErrorCode.NOT_AUTHOR,
      );
      refused(
        await bob.request({ type: 'delete', room: 'r', target: 'nope', clientId: cid() }),
        ErrorCode.MESSAGE_NOT_FOUND,
      );
    }
    // Bob's two tokens are still there.
    await say(bob, 'r', 'a');
    await say(bob, 'r', 'b');
    refused(await bob.request({ type: 'send', room: 'r', clientId: cid(), text: 'c' }), ErrorCode.RATE_LIMITED);
  });

  it('counts dm against the join rate, and read against nothing [LIMIT-9]', async () => {
    const server = await serve({ joinRate: 1, joinBurst: 3, sendRate: 1000, sendBurst: 1000 });
    const ann = await v2(server, 'ann', 'r');
    await v2(server, 'bob');
    const m = await say(ann, 'r', 'x');
    // An unknown user is refused after the rate check (§5.4) and gives its token back [LIMIT-7].
    for (let i = 0; i < 3; i++) refused(await ann.request({ type: 'dm', name: 'nobody' }), ErrorCode.USER_NOT_FOUND);
    expect(await ann.request({ type: 'dm', name: 'bob' })).toMatchObject({ type: 'directRoom' });
    expect(await ann.request({ type: 'dm', name: 'bob' })).toMatchObject({ type: 'directRoom' });
    refused(await ann.request({ type: 'dm', name: 'bob' }), ErrorCode.RATE_LIMITED);
    refused(await ann.request({ type: 'dm', name: 'nobody' }), ErrorCode.RATE_LIMITED);
    for (let i = 0; i < 50; i++) {
      expect(await ann.request({ type: 'read', room: 'r', seq: m.seq })).toMatchObject({ type: 'ok' });
    }
  });
});
