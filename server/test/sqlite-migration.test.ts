/**
 * A data file written by the version 1 server (store version 1, see
 * server/test/fixtures/v1-store/README.md) is migrated in place on the first
 * start of the version 2 server: every message keeps its seq, epoch and
 * messageId, old resumes still recover, and v2 works in the old rooms.
 */

import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCode } from '@kuykan/protocol';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { LEGACY_IDENTITY } from '../src/identity.js';
import type { RunningServer } from '../src/index.js';
import { STORE_VERSION } from '../src/store/sqlite.js';
import { memberV2, RawClient, startTestServer, tempDir } from './helpers.js';
import { cid, page, refused, say } from './v2-helpers.js';

const fixture = fileURLToPath(new URL('./fixtures/v1-store/', import.meta.url));

interface V1Row {
  room: string;
  seq: number;
  ts: number;
  sender: string;
  client_id: string;
  text: string;
}

/** The fixture's rooms and messages, read with plain SQL before any server touches a copy. */
function readFixture(dir: string) {
  const db = new Database(join(dir, 'kuykan.db'), { readonly: true });
  const rooms = db.prepare('SELECT name, epoch, last_seq FROM rooms').all() as Array<{
    name: string;
    epoch: string;
    last_seq: number;
  }>;
  const messages = db.prepare('SELECT * FROM messages ORDER BY room, seq').all() as V1Row[];
  const version = (db.prepare("SELECT value FROM meta WHERE key = 'store_version'").get() as { value: string }).value;
  db.close();
  return { rooms, messages, version };
}

function copyOfFixture(): string {
  const dir = tempDir('kuykan-v1-store-');
  cpSync(join(fixture, 'kuykan.db'), join(dir, 'kuykan.db'));
  return dir;
}

const servers: RunningServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function start(dataDir: string): Promise<RunningServer> {
  const server = await startTestServer({ store: 'sqlite', dataDir });
  servers.push(server);
  return server;
}

describe('the SQLite store of a version 1 server', () => {
  it('is a file of store version 1 with three rooms and seven messages', () => {
    // Read from a copy: even a read-only connection leaves -shm and -wal files beside a WAL database.
    const { rooms, messages, version } = readFixture(copyOfFixture());
    expect(version).toBe('1');
    expect(rooms.map((r) => [r.name, r.last_seq]).sort()).toEqual([
      ['dev', 2],
      ['lobby', 5],
      ['quiet', 0],
    ]);
    expect(messages).toHaveLength(7);
  });

  it('keeps every message with its seq, epoch and messageId after the migration', async () => {
    const dir = copyOfFixture();
    const before = readFixture(dir);
    const server = await start(dir);
    for (const versions of [[1], [2, 1]]) {
      const client = await RawClient.open(server.url, { versions });
      await client.login(`reader-${versions.length}`);
      for (const room of before.rooms) {
        const joined = await client.join(room.name);
        expect(joined).toMatchObject({ epoch: room.epoch, seq: room.last_seq });
        const { messages } = await page(client, room.name);
        const expected = before.messages.filter((m) => m.room === room.name);
        expect(messages).toEqual(
          expected.map((m) => ({
            seq: m.seq,
            messageId: `${room.epoch}.${m.seq}`,
            ts: m.ts,
            from: m.sender,
            text: m.text,
            clientId: m.client_id,
          })),
        );
      }
      client.close();
    }
    const after = new Database(join(dir, 'kuykan.db'), { readonly: true });
    expect(after.prepare("SELECT value FROM meta WHERE key = 'store_version'").get()).toEqual({
      value: String(STORE_VERSION),
    });
    expect(after.prepare('SELECT DISTINCT identity FROM messages').all()).toEqual([{ identity: LEGACY_IDENTITY }]);
    after.close();
  });

  it('recovers a resume made with the epoch and seq a v1 client kept', async () => {
    const dir = copyOfFixture();
    const lobby = readFixture(dir).rooms.find((r) => r.name === 'lobby')!;
    const server = await start(dir);
    const client = await RawClient.open(server.url);
    await client.login('somchai');
    const joined = await client.request({ type: 'join', room: 'lobby', epoch: lobby.epoch, seq: 3 });
    expect(joined).toMatchObject({ type: 'joined', recovered: true, seq: 5 });
    expect((joined as { messages: Array<{ text: string }> }).messages.map((m) => m.text)).toEqual([
      '👩‍💻 ready',
      'the last lobby message',
    ]);
    client.close();
  });

  it('serves v2 in the old rooms: new entries continue the seqs, old messages have no author to edit them', async () => {
    const dir = copyOfFixture();
    const lobby = readFixture(dir).rooms.find((r) => r.name === 'lobby')!;
    let server = await start(dir);
    const somchai = await memberV2(server.url, 'somchai', 'lobby');
    const old = `${lobby.epoch}.1`;
    refused(
      await somchai.request({ type: 'edit', room: 'lobby', target: old, clientId: cid(), text: 'rewritten' }),
      ErrorCode.NOT_AUTHOR,
    );
    refused(
      await somchai.request({ type: 'delete', room: 'lobby', target: old, clientId: cid() }),
      ErrorCode.NOT_AUTHOR,
    );
    const react = await somchai.request({
      type: 'react',
      room: 'lobby',
      target: old,
      clientId: cid(),
      emoji: '🙏',
      on: true,
    });
    expect(react).toMatchObject({ type: 'ack', seq: 6 });
    const reply = await say(somchai, 'lobby', 'still here', { replyTo: old });
    expect(reply.seq).toBe(7);
    const edit = await somchai.request({
      type: 'edit',
      room: 'lobby',
      target: reply.messageId,
      clientId: cid(),
      text: 'still here!',
    });
    expect(edit).toMatchObject({ type: 'ack', seq: 8 });
    somchai.close();
    // A second start finds a file of the current version and migrates nothing.
    await server.close();
    servers.splice(0);
    server = await start(dir);
    const reader = await memberV2(server.url, 'reader', 'lobby');
    const { messages } = await page(reader, 'lobby');
    expect(messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 7]);
    expect(messages[0]).toMatchObject({
      text: 'สวัสดีครับ ทุกคน 👋',
      reactions: [{ emoji: '🙏', count: 1, names: ['somchai'] }],
    });
    expect(messages.at(-1)).toMatchObject({
      text: 'still here!',
      reply: { messageId: old, from: 'somchai', text: 'สวัสดีครับ ทุกคน 👋' },
      revision: 8,
    });
    reader.close();
  });
});
