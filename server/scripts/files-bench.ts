/**
 * `npx tsx server/scripts/files-bench.ts [--mb 100]`: measures the attachment
 * pipeline on this machine.
 *
 * - upload throughput: one PUT of a `--mb` MB file of random bytes over
 *   loopback, streamed from disk by the client, into a server (a child
 *   process: FileService, memory index, filesystem store);
 * - the server's RSS, sampled every 20 ms while it receives the file: the
 *   peak over the baseline taken just before (it must stay flat, since the
 *   body is streamed to disk and never held);
 * - image processing of a 12-megapixel JPEG (4000×3000, generated here):
 *   the thumbnail alone, and the whole of `processImage` (re-encoded
 *   original without EXIF + thumbnail).
 *
 * Files live in a temporary directory that is removed at the end.
 */

import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { processImage } from '../src/files/images.js';
import { FileService } from '../src/files/index.js';

const MB = 1_000_000;
const USER = { key: 'bench', name: 'Bench' };

type ToChild = { kind: 'slot'; size: number } | { kind: 'sample' } | { kind: 'stop' };
type FromChild =
  | { kind: 'ready'; port: number }
  | { kind: 'slot'; token: string }
  | { kind: 'sampling'; baseline: number }
  | { kind: 'samples'; baseline: number; peak: number; count: number };

/** The server side: a FileService on a free port, sampling its own RSS when asked. */
async function serve(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kuykan-bench-files-'));
  const service = await FileService.open(
    { store: 'memory', dataDir: dir },
    { filesDir: join(dir, 'files'), maxUploadBytes: 2 ** 31, uploadQuotaBytes: 2 ** 40, gcIntervalMs: 0 },
  );
  const server = createServer((req, res) => void service.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  let timer: NodeJS.Timeout | undefined;
  let baseline = 0;
  let peak = 0;
  let count = 0;
  const send = (message: FromChild) => process.send?.(message);
  process.on('message', async (message: ToChild) => {
    if (message.kind === 'slot') {
      const slot = await service.requestSlot(USER, { room: 'bench', name: 'big.bin', size: message.size, type: '' });
      send({ kind: 'slot', token: slot.token });
    } else if (message.kind === 'sample') {
      baseline = process.memoryUsage().rss;
      peak = baseline;
      timer = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
        count += 1;
      }, 20);
      send({ kind: 'sampling', baseline });
    } else {
      clearInterval(timer);
      send({ kind: 'samples', baseline, peak, count });
      server.close();
      await service.close();
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    }
  });
  send({ kind: 'ready', port: (server.address() as AddressInfo).port });
}

function ask<K extends FromChild['kind']>(child: ChildProcess, message: ToChild, kind: K) {
  return new Promise<Extract<FromChild, { kind: K }>>((resolve) => {
    const onMessage = (reply: FromChild) => {
      if (reply.kind !== kind) return;
      child.off('message', onMessage);
      resolve(reply as Extract<FromChild, { kind: K }>);
    };
    child.on('message', onMessage);
    child.send(message);
  });
}

async function measureUpload(megabytes: number, dir: string): Promise<void> {
  const size = megabytes * MB;
  const path = join(dir, 'big.bin');
  // Written in 1 MB pieces, so the client holds no more than the server does.
  const out = createWriteStream(path);
  for (let written = 0; written < size; written += MB) {
    if (!out.write(randomBytes(Math.min(MB, size - written))))
      await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));

  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { execArgv: ['--import', 'tsx'] });
  const { port } = await new Promise<{ port: number }>((resolve) =>
    child.once('message', (m: FromChild) => resolve(m as { port: number })),
  );
  const { token } = await ask(child, { kind: 'slot', size }, 'slot');
  await ask(child, { kind: 'sample' }, 'sampling');
  const started = performance.now();
  const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const put = request(`http://127.0.0.1:${port}/files/upload`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-length': String(size) },
    });
    put.on('response', (response) => {
      let body = '';
      response.on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    put.on('error', reject);
    createReadStream(path).pipe(put);
  });
  const seconds = (performance.now() - started) / 1000;
  const { baseline, peak, count } = await ask(child, { kind: 'stop' }, 'samples');
  if (answer.status !== 201) throw new Error(`upload answered ${answer.status}: ${answer.body}`);
  const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
  console.log(
    `upload of ${megabytes} MB over loopback: ${seconds.toFixed(2)} s, ${(megabytes / seconds).toFixed(0)} MB/s`,
  );
  console.log(
    `server RSS while receiving it: baseline ${mib(baseline)} MiB, peak ${mib(peak)} MiB, ` +
      `peak − baseline ${mib(peak - baseline)} MiB (${count} samples every 20 ms)`,
  );
}

async function measureThumbnail(dir: string): Promise<void> {
  const photo = join(dir, 'photo.jpg');
  // Noise, so the encoder and decoder work as hard as on a real photo.
  await sharp({
    create: {
      width: 4000,
      height: 3000,
      channels: 3,
      background: '#000',
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  })
    .jpeg({ quality: 90 })
    .toFile(photo);
  const timed = async (run: () => Promise<unknown>) => {
    const runs: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const started = performance.now();
      await run();
      runs.push(performance.now() - started);
    }
    return Math.min(...runs).toFixed(0);
  };
  const thumbOnly = await timed(() =>
    sharp(photo).autoOrient().resize(320, 320, { fit: 'inside' }).webp({ quality: 75 }).toFile(join(dir, 't.webp')),
  );
  const whole = await timed(() =>
    processImage(photo, 'image/jpeg', join(dir, 'o.jpg'), join(dir, 'o.webp'), {
      maxPixels: 50_000_000,
      thumbSize: 320,
    }),
  );
  console.log(
    `12-megapixel JPEG (4000×3000): thumbnail ${thumbOnly} ms; re-encode without EXIF + thumbnail ${whole} ms (best of 3)`,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { serve: { type: 'boolean' }, mb: { type: 'string' } } });
  if (values.serve) {
    await serve();
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'kuykan-bench-'));
  try {
    console.log(`node ${process.version}, sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips}`);
    await measureUpload(Number(values.mb ?? 100), dir);
    await measureThumbnail(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
