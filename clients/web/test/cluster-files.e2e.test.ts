/**
 * Issue 18's end-to-end case across nodes: a photo dropped into the web
 * client on one node reaches a user on another node as its thumbnail. Three
 * nodes on one Redis (Redis engine and store) share a files directory, as
 * server/README.md says several nodes must.
 */

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningServer, startServer } from '@kuykan/server';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeys, REDIS_URL, redisMissing, testPrefix } from '../../../server/test/redis.js';
import { chromiumAvailable, launch } from './browser.js';
import { DIST, login, openPage } from './e2e-helpers.js';

const run = chromiumAvailable() && !(await redisMissing('web files across three nodes'));
const prefix = testPrefix();
const filesDir = mkdtempSync(join(tmpdir(), 'kuykan-web-cluster-files-'));
let nodes: RunningServer[] = [];
let browser: Browser;

beforeAll(async () => {
  if (!run) return;
  nodes = await Promise.all(
    [1, 2, 3].map(() =>
      startServer({
        port: 0,
        host: '127.0.0.1',
        engine: 'redis',
        redisUrl: REDIS_URL,
        redisPrefix: prefix,
        dataDir: mkdtempSync(join(tmpdir(), 'kuykan-web-node-')),
        files: { filesDir },
        logLevel: 'silent',
        webRoot: DIST,
        limits: { presenceGraceMs: 300 },
      }),
    ),
  );
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await Promise.all(nodes.map((node) => node.close()));
  if (run) await deleteKeys(REDIS_URL, prefix);
});

async function open(node: RunningServer): Promise<Page> {
  const page = await openPage(browser, node.httpUrl);
  page.setDefaultTimeout(15_000);
  return page;
}

/** A 2000×1500 photo-sized PNG, made here so the test carries no binary fixture. */
function photo(): Promise<Buffer> {
  return sharp({ create: { width: 2000, height: 1500, channels: 3, background: { r: 30, g: 120, b: 200 } } })
    .png()
    .toBuffer();
}

describe.runIf(run)('web files across three nodes', () => {
  it.each([
    ['on the same node', 0, 'Ploy', 'Lek'],
    ['on the third node', 2, 'Nok', 'Dao'],
  ])(
    'shows a photo dropped on the first node as a thumbnail to a user %s',
    async (where, node, from, to) => {
      const sender = await open(nodes[0]!);
      await login(sender, from);
      const receiver = await open(nodes[node]!);
      await login(receiver, to);
      await sender.getByRole('log').getByText(to).first().waitFor();

      const bytes = (await photo()).toString('base64');
      const name = `beach-${to}.png`;
      const dropped = Date.now();
      // A real drop: a DataTransfer holding the file, dispatched on the room as the browser would.
      const transfer = await sender.evaluateHandle(
        ([data, name]) => {
          const raw = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
          const dt = new DataTransfer();
          dt.items.add(new File([raw], name, { type: 'image/png' }));
          return dt;
        },
        [bytes, name] as const,
      );
      for (const type of ['dragover', 'drop'])
        await sender.locator('main').dispatchEvent(type, { dataTransfer: transfer });

      const thumbnail = receiver.getByRole('log').getByRole('img', { name });
      await thumbnail.waitFor();
      await expect
        .poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
        .toBeGreaterThan(0);
      const seenMs = Date.now() - dropped;
      // The thumbnail, not the photo: at most 320 px wide, and served by the receiver's own node.
      const natural = await thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth);
      expect(natural).toBeLessThanOrEqual(320);
      const src = await thumbnail.evaluate((img: HTMLImageElement) => img.currentSrc);
      expect(new URL(src).host).toBe(new URL(nodes[node]!.httpUrl).host);
      console.log(
        `web files across three nodes: dropped on node 1, thumbnail shown to a user ${where} after ${seenMs} ms`,
      );
      await sender.context().close();
      await receiver.context().close();
    },
    60_000,
  );
});
