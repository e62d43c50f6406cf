/**
 * Measures room unloading: one connection joins and leaves N distinct rooms
 * (default 50,000) on an in-process server, then reports loaded rooms
 * (`/healthz`), RSS and, with `--engine redis`, the node's subscribed room
 * channels, before the run and after the presence grace plus a GC.
 *
 *   node --expose-gc --import tsx server/scripts/room-churn.ts [--rooms 50000] [--engine redis]
 *
 * The Redis variant uses a fresh key prefix on KUYKAN_REDIS_URL (default
 * redis://127.0.0.1:6379) and deletes its keys afterwards.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeFrame, encodeFrame, type ServerFrame, SUBPROTOCOL } from '@kuykan/protocol';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { startServer } from '../src/index.js';

const { values } = parseArgs({
  options: { rooms: { type: 'string', default: '50000' }, engine: { type: 'string', default: 'local' } },
});
const ROOMS = Number(values.rooms);
const GRACE_MS = 500;
const redisUrl = process.env.KUYKAN_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `kuykan-churn:${process.pid}:${Date.now()}:`;
const onRedis = values.engine === 'redis';
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

/** A lean client: one request in flight, no frame log (the script's own memory stays flat). */
class Client {
  private next = 1;
  private pending: ((frame: ServerFrame) => void) | undefined;
  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const frame = decodeFrame(data, { direction: 'server' });
      if ('id' in frame && frame.id !== undefined) this.pending?.(frame);
    });
  }
  static async open(url: string): Promise<Client> {
    const ws = new WebSocket(url, SUBPROTOCOL);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const client = new Client(ws);
    ws.send(encodeFrame({ type: 'hello', versions: [1], client: 'room-churn' }));
    return client;
  }
  request(frame: Record<string, unknown>): Promise<ServerFrame> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending = (reply) => (reply.type === 'error' ? reject(new Error(JSON.stringify(reply))) : resolve(reply));
      this.ws.send(encodeFrame({ ...frame, id } as never));
    });
  }
  close(): void {
    this.ws.close();
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'kuykan-churn-'));
const server = await startServer({
  port: 0,
  host: '127.0.0.1',
  logLevel: 'silent',
  dataDir,
  limits: { presenceGraceMs: GRACE_MS, joinRate: 1_000_000, joinBurst: 1_000_000 },
  ...(onRedis ? { engine: 'redis', store: 'redis', redisUrl, redisPrefix: prefix } : {}),
});
const admin = onRedis ? new Redis(redisUrl) : undefined;

async function snapshot(label: string): Promise<Record<string, number | string>> {
  gc!();
  await new Promise((r) => setTimeout(r, 200));
  gc!();
  const health = (await (await fetch(`${server.httpUrl}/healthz`)).json()) as { rooms: number };
  const channels = admin ? (await admin.pubsub('CHANNELS', `${prefix}room:*`)).length : '-';
  const rssMiB = Math.round((process.memoryUsage().rss / 2 ** 20) * 10) / 10;
  const heapMiB = Math.round((process.memoryUsage().heapUsed / 2 ** 20) * 10) / 10;
  return { label, rooms: health.rooms, roomChannels: channels, rssMiB, heapMiB };
}

async function cycle(client: Client, count: number, tag: string): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    await client.request({ type: 'join', room: `${tag}-${i}` });
    await client.request({ type: 'leave', room: `${tag}-${i}` });
  }
}

const client = await Client.open(server.url);
await client.request({ type: 'login', name: 'churner', key: 'churn-key' });
// Warm-up, so the baseline includes compiled code and pools rather than counting them as growth.
await cycle(client, 200, 'warm');
const rows = [await snapshot('baseline')];
const started = Date.now();
await cycle(client, ROOMS, 'churn');
const seconds = (Date.now() - started) / 1000;
rows.push(await snapshot(`after ${ROOMS} cycles`));
client.close();
await new Promise((r) => setTimeout(r, GRACE_MS * 3));
rows.push(await snapshot('after the grace'));
console.table(rows);
const growth = (Number(rows[2]!.rssMiB) / Number(rows[0]!.rssMiB) - 1) * 100;
console.log(`${ROOMS} join+leave cycles in ${seconds.toFixed(1)} s; RSS growth ${growth.toFixed(1)} %`);
await server.close();
if (admin) {
  const keys: string[] = [];
  for await (const batch of admin.scanStream({ match: `${prefix}*`, count: 1000 })) keys.push(...(batch as string[]));
  for (let i = 0; i < keys.length; i += 1000) await admin.unlink(...keys.slice(i, i + 1000));
  admin.disconnect();
}
rmSync(dataDir, { recursive: true, force: true });
