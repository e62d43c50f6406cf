import { afterEach, describe, expect, it } from 'vitest';
import { KuykanClient } from '../src/node.js';
import type { ChangeContext, OutgoingContext } from '../src/types.js';
import { FakeServer } from './fake-server.js';
import { until } from './helpers.js';

let server: FakeServer;
let client: KuykanClient;
afterEach(async () => {
  await client?.close();
  await server?.close();
});

describe('edits, deletes and reactions across reconnects', () => {
  it('re-sends a change whose ack was lost with its clientId, and the server commits it once [LOG-3]', async () => {
    let lost = false;
    server = await FakeServer.start({
      version: 2,
      onFrame: (frame, connection) => {
        if (frame.type !== 'edit' || lost) return false;
        // Committed, then the connection dies before the ack leaves.
        lost = true;
        server.log.commit(connection.name!, frame);
        connection.ws.terminate();
        return true;
      },
    });
    client = new KuykanClient(server.url, { name: 'somchai', backoff: { minMs: 10, maxMs: 50 } });
    await client.connect();
    const room = await client.join('lobby');
    const { messageId } = await room.send('helo');
    const edits: ChangeContext[] = [];
    room.on('edit', (ctx) => edits.push(ctx));
    const ack = await room.edit(messageId, 'hello');
    const sent = server.sent('edit');
    expect(sent).toHaveLength(2);
    expect(sent[1]!.clientId).toBe(sent[0]!.clientId);
    const entries = server.log.entries('lobby').filter((e) => e.kind === 'edit');
    expect(entries).toHaveLength(1);
    expect(ack).toMatchObject({ seq: entries[0]!.seq, messageId: entries[0]!.messageId, clientId: sent[0]!.clientId });
    // The resume brought the edit entry; the retry brought no second one.
    await client.ping();
    expect(edits.map((e) => e.message?.text)).toEqual(['hello']);
    expect(room.message(messageId)?.text).toBe('hello');
  });

  it('queues reactions and deletes made while disconnected and sends each once after the rejoin', async () => {
    server = await FakeServer.start({ version: 2 });
    client = new KuykanClient(server.url, { name: 'somchai', backoff: { minMs: 10, maxMs: 50 } });
    await client.connect();
    const room = await client.join('lobby');
    const { messageId } = await room.send('bye');
    const statuses: string[] = [];
    room.on('outgoing', ({ type, status }: OutgoingContext) => statuses.push(`${type} ${status}`));
    server.dropAll();
    await until(() => client.state === 'reconnecting', 5000, 'the drop');
    const reacted = room.react(messageId, '👋');
    const deleted = room.delete(messageId);
    expect(client.queuedMessages).toBe(2);
    await Promise.all([reacted, deleted]);
    expect(server.sent('react')).toHaveLength(1);
    expect(server.sent('delete')).toHaveLength(1);
    expect(statuses).toEqual([
      'react queued',
      'delete queued',
      'react sending',
      'delete sending',
      'react sent',
      'delete sent',
    ]);
    expect(room.message(messageId)).toMatchObject({ deleted: true, text: '' });
  });

  it('fails changes still queued when the client closes', async () => {
    server = await FakeServer.start({ version: 2 });
    client = new KuykanClient(server.url, { name: 'somchai', backoff: { minMs: 5000, maxMs: 5000 } });
    await client.connect();
    const room = await client.join('lobby');
    server.dropAll();
    await until(() => client.state === 'reconnecting', 5000, 'the drop');
    const edit = room.edit('m1', 'never');
    await client.close();
    await expect(edit).rejects.toMatchObject({ code: 'CLOSED' });
  });
});
