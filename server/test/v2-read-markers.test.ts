/**
 * Read markers (PROTOCOL.md §16.9): one per identity and room, forward
 * only, pushed to the user's other sessions, and counted in `joined`.
 */

import { ErrorCode } from '@kuykan/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { memberV2, RawClient, startTestServer, tempDir } from './helpers.js';
import { cid, refused, say } from './v2-helpers.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({ store: 'sqlite', dataDir: tempDir(), limits: { sendRate: 1000, sendBurst: 1000 } });
});
afterAll(() => server.close());

describe('read', () => {
  it("moves the marker and tells the user's other sessions, joined or not, and nobody else [READ-1, READ-2]", async () => {
    const here = await memberV2(server.url, 'ann-k1', 'read-1');
    const there = await memberV2(server.url, 'ann-k1', undefined);
    const old = await RawClient.open(server.url);
    await old.login('ann-k1');
    const bob = await memberV2(server.url, 'bob-k1', 'read-1');
    const m = await say(bob, 'read-1', 'hi');
    expect(await here.request({ type: 'read', room: 'read-1', seq: m.seq })).toMatchObject({ type: 'ok' });
    expect(await there.waitFor((f) => f.type === 'readMarker')).toEqual({
      type: 'readMarker',
      room: 'read-1',
      seq: m.seq,
    });
    for (const client of [here, old, bob]) await client.barrier();
    expect(here.of('readMarker')).toEqual([]);
    expect(bob.of('readMarker')).toEqual([]);
    expect(old.frames.map((f) => f.type)).not.toContain('readMarker');
    for (const client of [here, there, old, bob]) client.close();
  });

  it('answers a marker at or below the current one with ok and tells nobody', async () => {
    const here = await memberV2(server.url, 'ann-k2', 'read-2');
    const there = await memberV2(server.url, 'ann-k2', 'read-2');
    const a = await say(here, 'read-2', 'a');
    const b = await say(here, 'read-2', 'b');
    await here.request({ type: 'read', room: 'read-2', seq: b.seq });
    await there.waitFor((f) => f.type === 'readMarker');
    for (const seq of [a.seq, b.seq, 0]) {
      expect(await here.request({ type: 'read', room: 'read-2', seq })).toMatchObject({ type: 'ok' });
    }
    await there.barrier();
    expect(there.of('readMarker')).toHaveLength(1);
    here.close();
    there.close();
  });

  it("refuses a seq beyond the room's last with READ_INVALID, and a room not joined with NOT_IN_ROOM", async () => {
    const ann = await memberV2(server.url, 'ann-k3', 'read-3');
    const m = await say(ann, 'read-3', 'only');
    refused(await ann.request({ type: 'read', room: 'read-3', seq: m.seq + 1 }), ErrorCode.READ_INVALID);
    refused(await ann.request({ type: 'read', room: 'elsewhere', seq: 0 }), ErrorCode.NOT_IN_ROOM);
    refused(await ann.request({ type: 'read', room: ' ', seq: 0 }), ErrorCode.ROOM_INVALID);
    expect((await ann.join('read-3')).readSeq).toBe(0);
    ann.close();
  });

  it('gives joined the marker, the unread messages of others and those that mention the user [READ-3]', async () => {
    const bob = await memberV2(server.url, 'bob-k4', 'read-4');
    const ann = await memberV2(server.url, 'ann-k4', 'read-4');
    const first = await say(bob, 'read-4', 'one');
    await ann.request({ type: 'read', room: 'read-4', seq: first.seq });
    await say(bob, 'read-4', 'two @ann', { mentions: ['Ann-k4'] });
    await say(ann, 'read-4', 'mine');
    const gone = await say(bob, 'read-4', 'three @ann', { mentions: ['ann-k4'] });
    await bob.request({ type: 'delete', room: 'read-4', target: gone.messageId, clientId: cid() });
    await say(bob, 'read-4', 'four');
    ann.close();
    await ann.waitClosed();
    // The marker belongs to the identity: a new session, even after the first left, finds it.
    const back = await memberV2(server.url, 'ann-k4', 'read-4');
    expect(back.of('joined')[0]).toMatchObject({ readSeq: first.seq, unread: 2, mentions: 1 });
    bob.close();
    back.close();
  });

  it("keeps a keyless user's marker only while the user is online", async () => {
    const ann = await memberV2(server.url, 'ann-k5', 'read-5', { key: null });
    const m = await say(ann, 'read-5', 'note to self');
    await ann.request({ type: 'read', room: 'read-5', seq: m.seq });
    await ann.request({ type: 'leave', room: 'read-5' });
    expect(await ann.join('read-5')).toMatchObject({ readSeq: m.seq, unread: 0 });
    ann.close();
  });
});
