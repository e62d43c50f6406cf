import { ErrorCode, ProtocolError } from '@kuykan/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { KuykanClient } from '../src/node.js';
import type { FakeServerOptions } from './fake-server.js';
import { FakeServer } from './fake-server.js';
import { until } from './helpers.js';

let server: FakeServer | undefined;
const clients: KuykanClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await server?.close();
  server = undefined;
});

/** A client of the test's server (started with `options` if the test did not start it). */
async function connect(options: FakeServerOptions = {}): Promise<KuykanClient> {
  server ??= await FakeServer.start({ version: 2, ...options });
  const client = new KuykanClient(server.url, { name: 'somchai', key: 'k', backoff: { minMs: 10, maxMs: 50 } });
  clients.push(client);
  await client.connect();
  return client;
}

/** Fills `lobby` with `count` messages from mali. */
function fill(count: number): void {
  for (let n = 1; n <= count; n++)
    server!.log.commit('mali', { type: 'send', id: 0, room: 'lobby', clientId: `c${n}`, text: `m${n}` });
}

const reads = () => server!.sent('read').map((f) => f.seq);

describe('Room.markRead', () => {
  it('keeps at most one read in flight and sends the highest wish next', async () => {
    server = await FakeServer.start({ version: 2 });
    fill(5);
    const room = await (await connect()).join('lobby');
    const moved: number[] = [];
    room.on('read', ({ seq }) => moved.push(seq));
    await Promise.all([room.markRead(1), room.markRead(2), room.markRead(3)]);
    expect(reads()).toEqual([1, 3]);
    expect(moved).toEqual([1, 3]);
    expect(room.readSeq).toBe(3);
    await room.markRead(2);
    await room.markRead();
    expect(reads()).toEqual([1, 3, 5]);
  });

  it('starts from the marker the server holds and sends nothing at or below it [READ-3]', async () => {
    server = await FakeServer.start({ version: 2 });
    fill(6);
    server.log.read('somchai', 'lobby', 4);
    const room = await (await connect()).join('lobby');
    expect(room.readSeq).toBe(4);
    expect(room.joinCounts).toEqual({ seq: 6, unread: 2, mentions: 0 });
    await room.markRead(4);
    await room.markRead(3);
    expect(reads()).toEqual([]);
  });

  it('follows the marker another session of mine moved [READ-2]', async () => {
    server = await FakeServer.start({ version: 2 });
    fill(3);
    const phone = await connect();
    const laptop = await connect();
    const onPhone = await phone.join('lobby');
    const onLaptop = await laptop.join('lobby');
    const moved = new Promise<number>((resolve) => onPhone.once('read', ({ seq }) => resolve(seq)));
    await onLaptop.markRead(3);
    expect(await moved).toBe(3);
    expect(onPhone.readSeq).toBe(3);
  });

  it('reports a marker moved in a room this session has not joined on the client', async () => {
    await connect();
    const [connection] = server!.connections;
    const heard = new Promise((resolve) => clients[0]!.once('read', resolve));
    connection!.send({ type: 'readMarker', room: 'news', seq: 9 });
    expect(await heard).toEqual({ room: 'news', seq: 9 });
  });

  it('sends a read asked for while disconnected after the rejoin', async () => {
    server = await FakeServer.start({ version: 2 });
    fill(2);
    const client = await connect();
    const room = await client.join('lobby');
    server.dropAll();
    await until(() => client.state === 'reconnecting', 5000, 'the drop');
    const marked = room.markRead(2);
    await marked;
    expect(reads()).toEqual([2]);
    expect(server.connections.at(-1)!.frames.map((f) => f.type)).toEqual(['hello', 'login', 'join', 'read']);
  });

  it('rejects every wish a refused read carried and lets a later one go out', async () => {
    let refuse = true;
    await connect({
      onFrame: (frame, connection) => {
        if (frame.type !== 'read' || !refuse) return false;
        refuse = false;
        connection.send({ type: 'error', id: frame.id, code: ErrorCode.READ_INVALID, message: 'beyond the last seq' });
        return true;
      },
    });
    fill(1);
    const room = await clients[0]!.join('lobby');
    const [first, second] = await Promise.allSettled([room.markRead(7), room.markRead(8)]);
    expect(first).toMatchObject({ status: 'rejected', reason: expect.any(ProtocolError) });
    expect(second).toMatchObject({ status: 'rejected', reason: { code: ErrorCode.READ_INVALID } });
    await room.markRead(1);
    expect(reads()).toEqual([7, 1]);
  });
});
