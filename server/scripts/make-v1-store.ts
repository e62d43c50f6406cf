/**
 * Writes the version 1 store fixture (server/test/fixtures/v1-store/kuykan.db)
 * with the SQLite store of STORE_VERSION 1, as the server of protocol v1
 * wrote it: three rooms, one of them empty. Run once, with the v1 code, from
 * the repository root; the output is committed and read by
 * server/test/sqlite-migration.test.ts, which checks that later servers
 * migrate it in place.
 *
 *   npx tsx server/scripts/make-v1-store.ts
 */

import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SqliteStore } from '../src/store/sqlite.js';

const dir = fileURLToPath(new URL('../test/fixtures/v1-store/', import.meta.url));
for (const file of ['kuykan.db', 'kuykan.db-wal', 'kuykan.db-shm']) rmSync(`${dir}${file}`, { force: true });

const store = new SqliteStore({ dataDir: dir });
const say = (room: string, from: string, clientId: string, text: string) =>
  store.append({ room, from, userKey: from, clientId, text });

await store.openRoom('lobby');
await say('lobby', 'somchai', 'c1', 'สวัสดีครับ ทุกคน 👋');
await say('lobby', 'alice', 'a1', 'hello from v1');
await say('lobby', 'somchai', 'c2', 'line one\nline two');
await say('lobby', 'alice', 'a2', '👩‍💻 ready');
await say('lobby', 'somchai', 'c3', 'the last lobby message');
await store.openRoom('dev');
await say('dev', 'alice', 'a1', 'build is green');
await say('dev', 'bob', 'b1', 'ship it');
await store.openRoom('quiet');
await store.close();
console.log(`wrote ${dir}kuykan.db`);
