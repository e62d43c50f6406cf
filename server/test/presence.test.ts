import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { member, RawClient, startTestServer } from './helpers.js';

const GRACE = 300;
let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({ limits: { presenceGraceMs: GRACE, typingTtlMs: 1000 } });
});
afterAll(() => server.close());

const presence = (c: RawClient) => c.of('presence').map((p) => `${p.kind}:${p.name}`);

describe('presence', () => {
  it('announces a new member to the others before answering the join, and lists members', async () => {
    const a = await member(server.url, 'p-a', 'pres1');
    const b = await member(server.url, 'p-b', 'pres1');
    expect(b.of('joined')[0]!.members).toEqual(['p-a', 'p-b']);
    await a.barrier();
    expect(presence(a)).toEqual(['join:p-b']);
    expect(presence(b)).toEqual([]);
    a.close();
    b.close();
  });

  it('lists a multi-session user once and announces nothing for the second session', async () => {
    const a = await member(server.url, 'p-c', 'pres2');
    const b1 = await member(server.url, 'p-d', 'pres2');
    const b2 = await RawClient.open(server.url);
    await b2.login('p-d', 'key-p-d');
    expect((await b2.join('pres2')).members).toEqual(['p-c', 'p-d']);
    await b2.request({ type: 'leave', room: 'pres2' });
    await a.barrier();
    expect(presence(a)).toEqual(['join:p-d']);
    await b1.request({ type: 'leave', room: 'pres2' });
    await a.barrier();
    expect(presence(a)).toEqual(['join:p-d', 'leave:p-d']);
    for (const c of [a, b1, b2]) c.close();
  });

  it('announces leave after the grace when the last session disconnects', async () => {
    const a = await member(server.url, 'p-e', 'pres3');
    const b = await member(server.url, 'p-f', 'pres3');
    b.close();
    await a.waitFor((f) => f.type === 'presence' && f.kind === 'leave', GRACE * 20);
    expect(presence(a)).toEqual(['join:p-f', 'leave:p-f']);
    a.close();
  });

  it('announces nothing when the user comes back within the grace', async () => {
    const a = await member(server.url, 'p-g', 'pres4');
    const b = await member(server.url, 'p-h', 'pres4');
    b.close();
    await b.waitClosed();
    const back = await member(server.url, 'p-h', 'pres4');
    await new Promise((r) => setTimeout(r, GRACE * 2));
    await a.barrier();
    expect(presence(a)).toEqual(['join:p-h']);
    a.close();
    back.close();
  });
});

describe('typing', () => {
  it('relays typing to others but not to the typing user, and ends it when they send', async () => {
    const a = await member(server.url, 't-a', 'typ');
    const b = await member(server.url, 't-b', 'typ');
    expect(await a.request({ type: 'typing', room: 'typ', active: true })).toMatchObject({ type: 'ok' });
    await b.barrier();
    expect(b.of('userTyping')).toEqual([{ type: 'userTyping', room: 'typ', name: 't-a', active: true, ttlMs: 1000 }]);
    await a.request({ type: 'send', room: 'typ', clientId: 't1', text: 'done typing' });
    await b.barrier();
    expect(b.of('userTyping').map((t) => t.active)).toEqual([true, false]);
    expect(a.of('userTyping')).toEqual([]);
    const c = await member(server.url, 't-c', 'typ');
    await c.barrier();
    expect(c.of('userTyping')).toEqual([]);
    for (const x of [a, b, c]) x.close();
  });
});
