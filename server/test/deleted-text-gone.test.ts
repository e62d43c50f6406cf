/**
 * A deleted message's text leaves the SQLite files, not only the answers
 * [DEL-2]: once the delete is acknowledged, neither `kuykan.db` nor its
 * `-wal` and `-shm` files hold a byte of it, nor of its edits.
 */

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { memberV2, type RawClient, startTestServer, tempDir } from './helpers.js';
import { cid, say } from './v2-helpers.js';

let server: RunningServer;
let dir: string;
let ann: RawClient;
beforeAll(async () => {
  dir = tempDir('kuykan-erase-');
  server = await startTestServer({ store: 'sqlite', dataDir: dir, limits: { sendRate: 1000, sendBurst: 1000 } });
  ann = await memberV2(server.url, 'ann', 'secrets');
});
afterAll(async () => {
  ann.close();
  await server.close();
});

/** Which of the store's files hold `text` (as UTF-8) right now. */
function filesHolding(text: string): string[] {
  const needle = Buffer.from(text, 'utf8');
  return ['kuykan.db', 'kuykan.db-wal', 'kuykan.db-shm'].filter((name) => {
    const file = join(dir, name);
    return existsSync(file) && readFileSync(file).includes(needle);
  });
}

const marker = (label: string) => `${label}-${Math.random().toString(36).slice(2)}-ความลับ`;

describe('a deleted message', () => {
  it('is in the files once sent, and in none of them once the delete is acked', async () => {
    const secret = marker('short');
    const sent = await say(ann, 'secrets', secret);
    await say(ann, 'secrets', 'an unrelated message after it');
    expect(filesHolding(secret).length).toBeGreaterThan(0);
    const ack = await ann.request({ type: 'delete', room: 'secrets', target: sent.messageId, clientId: cid() });
    expect(ack).toMatchObject({ type: 'ack' });
    expect(filesHolding(secret)).toEqual([]);
  });

  it('takes a long text (overflow pages) with it', async () => {
    const secret = marker('long').repeat(100);
    const sent = await say(ann, 'secrets', secret);
    expect(filesHolding(secret.slice(0, 200)).length).toBeGreaterThan(0);
    await ann.request({ type: 'delete', room: 'secrets', target: sent.messageId, clientId: cid() });
    expect(filesHolding(secret.slice(0, 40))).toEqual([]);
  });

  it('takes the text it had before an edit and the text of the edit with it', async () => {
    const first = marker('draft');
    const second = marker('edited');
    const sent = await say(ann, 'secrets', first);
    await ann.request({ type: 'edit', room: 'secrets', target: sent.messageId, clientId: cid(), text: second });
    expect(filesHolding(second).length).toBeGreaterThan(0);
    await ann.request({ type: 'delete', room: 'secrets', target: sent.messageId, clientId: cid() });
    expect(filesHolding(first)).toEqual([]);
    expect(filesHolding(second)).toEqual([]);
  });

  it('takes its mentions with it', async () => {
    const name = `m${Math.random().toString(36).slice(2, 12)}`;
    const sent = await say(ann, 'secrets', 'hi there', { mentions: [name] });
    expect(filesHolding(name).length).toBeGreaterThan(0);
    await ann.request({ type: 'delete', room: 'secrets', target: sent.messageId, clientId: cid() });
    expect(filesHolding(name)).toEqual([]);
  });
});
