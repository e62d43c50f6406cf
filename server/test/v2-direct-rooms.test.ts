/**
 * Direct rooms (PROTOCOL.md §16.10): one room per pair of identities,
 * joinable by those two only, listed to them with the other's name.
 */

import { DIRECT_ROOM_PREFIX, ErrorCode } from '@kuykan/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directRoomName } from '../src/identity.js';
import type { RunningServer } from '../src/index.js';
import { memberV2, RawClient, startTestServer, tempDir } from './helpers.js';
import { refused, say } from './v2-helpers.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({
    store: 'sqlite',
    dataDir: tempDir(),
    limits: { sendRate: 1000, sendBurst: 1000, joinRate: 1000, joinBurst: 1000, roomsRate: 1000, roomsBurst: 1000 },
  });
});
afterAll(() => server.close());

async function dm(client: RawClient, name: string): Promise<string> {
  const reply = await client.request({ type: 'dm', name });
  expect(reply, JSON.stringify(reply)).toMatchObject({ type: 'directRoom' });
  return (reply as { room: string }).room;
}

describe('dm', () => {
  it('gives both users the same room, named by @ and nothing else of theirs [DM-2]', async () => {
    const ann = await memberV2(server.url, 'ann-d1');
    const bob = await memberV2(server.url, 'bob-d1');
    const reply = await ann.request({ type: 'dm', name: 'BOB-d1' });
    expect(reply).toMatchObject({ type: 'directRoom', name: 'bob-d1' });
    const room = (reply as { room: string }).room;
    expect(room).toMatch(new RegExp(`^${DIRECT_ROOM_PREFIX}[a-z2-7]{20}$`));
    expect(room).not.toContain('ann');
    expect(await bob.request({ type: 'dm', name: 'ann-d1' })).toMatchObject({ room, name: 'ann-d1' });
    ann.close();
    bob.close();
  });

  it('names the room by SHA-256 over both identities, sorted and joined by a line feed', () => {
    expect(directRoomName('sub:b', 'sub:a')).toBe(directRoomName('sub:a', 'sub:b'));
    // python3: '@' + base64.b32encode(sha256(b'sub:a\nsub:b').digest()[:12]).lower().rstrip('=')
    expect(directRoomName('sub:a', 'sub:b')).toBe('@557v36onjsj6kybadsha');
    expect(directRoomName('sub:a', 'sub:c')).not.toBe(directRoomName('sub:a', 'sub:b'));
  });

  it('refuses myself and a keyless me or peer with DIRECT_INVALID, a bad name with NAME_INVALID, a stranger with USER_NOT_FOUND [DM-1]', async () => {
    const ann = await memberV2(server.url, 'ann-d2');
    const anon = await memberV2(server.url, 'anon-d2', undefined, { key: null });
    refused(await ann.request({ type: 'dm', name: 'ANN-d2' }), ErrorCode.DIRECT_INVALID);
    refused(await ann.request({ type: 'dm', name: 'anon-d2' }), ErrorCode.DIRECT_INVALID);
    refused(await anon.request({ type: 'dm', name: 'ann-d2' }), ErrorCode.DIRECT_INVALID);
    refused(await ann.request({ type: 'dm', name: 'bad: name' }), ErrorCode.NAME_INVALID);
    refused(await ann.request({ type: 'dm', name: '' }), ErrorCode.NAME_INVALID);
    refused(await ann.request({ type: 'dm', name: 'nobody-d2' }), ErrorCode.USER_NOT_FOUND);
    // §5.4: a bad name before anything about me.
    refused(await anon.request({ type: 'dm', name: 'x\u0000' }), ErrorCode.NAME_INVALID);
    ann.close();
    anon.close();
  });

  it('finds the other member of a direct room when they are offline', async () => {
    const quick = await startTestServer({ limits: { presenceGraceMs: 0 } });
    const users = async () => {
      const text = await (await fetch(`${quick.httpUrl}/metrics`)).text();
      return Number(/^kuykan_users (\d+)$/m.exec(text)?.[1]);
    };
    const ann = await memberV2(quick.url, 'ann-d3');
    const bob = await memberV2(quick.url, 'bob-d3');
    const room = await dm(ann, 'bob-d3');
    bob.close();
    while ((await users()) > 1) await new Promise((r) => setTimeout(r, 20));
    expect(await ann.request({ type: 'dm', name: 'Bob-d3' })).toMatchObject({ room, name: 'bob-d3' });
    ann.close();
    await quick.close();
  });
});

describe('a direct room', () => {
  it('lets its two members in and refuses anyone else, and names no dm opened, with FORBIDDEN [DM-3]', async () => {
    const ann = await memberV2(server.url, 'ann-d4');
    const bob = await memberV2(server.url, 'bob-d4');
    const eve = await memberV2(server.url, 'eve-d4');
    const room = await dm(ann, 'bob-d4');
    expect(await ann.join(room)).toMatchObject({ room, peer: 'bob-d4', members: ['ann-d4'] });
    expect(await bob.join(room)).toMatchObject({ room, peer: 'ann-d4' });
    refused(await eve.request({ type: 'join', room }), ErrorCode.FORBIDDEN);
    refused(await eve.request({ type: 'join', room: '@nobody-opened-this' }), ErrorCode.FORBIDDEN);
    refused(await eve.request({ type: 'join', room: '@' }), ErrorCode.FORBIDDEN);
    // A v1 session has no FORBIDDEN: it is told the name is no room of its own.
    const old = await RawClient.open(server.url);
    await old.login('old-d4');
    refused(await old.request({ type: 'join', room }), ErrorCode.ROOM_INVALID);
    // A member's own v1 session may join (it sees messages only).
    const bobOld = await RawClient.open(server.url);
    await bobOld.login('bob-d4');
    expect(await bobOld.join(room)).toMatchObject({ room });
    for (const client of [ann, bob, eve, old, bobOld]) client.close();
  });

  it('checks FORBIDDEN after BAD_FRAME and before TOO_MANY_ROOMS (§5.4)', async () => {
    const tight = await startTestServer({ limits: { maxRoomsPerConnection: 1 } });
    const eve = await memberV2(tight.url, 'eve-d5', 'full');
    refused(await eve.request({ type: 'join', room: '@x', seq: 1 }), ErrorCode.BAD_FRAME);
    refused(await eve.request({ type: 'join', room: '@x' }), ErrorCode.FORBIDDEN);
    refused(await eve.request({ type: 'join', room: 'other' }), ErrorCode.TOO_MANY_ROOMS);
    eve.close();
    await tight.close();
  });

  it('is listed to its members with the peer, in v2 only, and to nobody else [DM-4, VER-4]', async () => {
    const ann = await memberV2(server.url, 'ann-d6');
    const bob = await memberV2(server.url, 'bob-d6');
    const eve = await memberV2(server.url, 'eve-d6');
    const room = await dm(ann, 'bob-d6');
    await ann.join(room);
    await say(ann, room, 'psst');
    const listed = async (client: RawClient) => {
      const reply = await client.request({ type: 'rooms' });
      return (reply as { rooms: Array<{ room: string; peer?: string }> }).rooms.filter((r) => r.room.startsWith('@'));
    };
    expect(await listed(ann)).toEqual([{ room, members: 1, seq: 1, peer: 'bob-d6' }]);
    expect(await listed(bob)).toEqual([{ room, members: 1, seq: 1, peer: 'ann-d6' }]);
    expect((await listed(eve)).map((r) => r.room)).not.toContain(room);
    const bobOld = await RawClient.open(server.url);
    await bobOld.login('bob-d6');
    expect(await listed(bobOld)).toEqual([]);
    for (const client of [ann, bob, eve, bobOld]) client.close();
  });

  it('counts every message of the other member as a mention, and tells them when they are elsewhere [MENTION-4]', async () => {
    const ann = await memberV2(server.url, 'ann-d7');
    const bob = await memberV2(server.url, 'bob-d7');
    const room = await dm(ann, 'bob-d7');
    await ann.join(room);
    const sent = await say(ann, room, 'are you there?');
    expect(await bob.waitFor((f) => f.type === 'mention')).toMatchObject({ room, seq: sent.seq, from: 'ann-d7' });
    await say(ann, room, 'hello?');
    expect(await bob.join(room)).toMatchObject({ unread: 2, mentions: 2, readSeq: 0 });
    await ann.barrier();
    expect(ann.of('mention')).toEqual([]);
    ann.close();
    bob.close();
  });
});
