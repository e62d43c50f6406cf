import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningServer } from '@kuykan/server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launch } from './browser.js';
import { bot, COMPOSER, login, openPage, serve } from './e2e-helpers.js';

const run = chromiumAvailable();
const dataDir = mkdtempSync(join(tmpdir(), 'kuykan-web-reconnect-'));
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  if (!run) return;
  server = await serve({ dataDir });
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe.runIf(run)('web client across a server restart', () => {
  it('says when the browser goes offline, and clears the banner when it is back', async () => {
    const page = await openPage(browser, server.httpUrl);
    await login(page, 'commuter');
    await page.context().setOffline(true);
    await page
      .getByRole('status')
      .getByText(/You are offline/)
      .waitFor();
    await page.context().setOffline(false);
    await expect.poll(() => page.getByText(/You are offline|reconnecting/).count(), { timeout: 20_000 }).toBe(0);
    await page.getByRole('textbox', { name: COMPOSER }).fill('online again');
    await page.getByRole('textbox', { name: COMPOSER }).press('Enter');
    await page.getByRole('log').getByText('online again').waitFor();
    await page.context().close();
  }, 60_000);

  it('shows the reconnecting banner, queues a message, sends it once when back, and notes the reconnect', async () => {
    const page = await openPage(browser, server.httpUrl);
    await login(page, 'patient');
    await page.getByRole('textbox', { name: COMPOSER }).fill('before the restart');
    await page.getByRole('textbox', { name: COMPOSER }).press('Enter');
    await page.getByRole('log').getByText('before the restart').waitFor();
    // Confirmed before the restart: else it, too, would wait for the connection.
    await page.getByRole('log').getByText('sending…').waitFor({ state: 'detached' });

    const port = Number(new URL(server.httpUrl).port);
    await server.close(); // clients are told "service restart" (1012) and retry
    await page
      .getByRole('status')
      .getByText(/reconnecting/i)
      .waitFor();

    await page.getByRole('textbox', { name: COMPOSER }).fill('sent while away');
    await page.getByRole('textbox', { name: COMPOSER }).press('Enter');
    await page.getByRole('log').getByText('waiting for connection').waitFor();

    server = await serve({ dataDir, port });
    await page.getByRole('status').getByText('Back online.').waitFor({ timeout: 45_000 });
    const log = page.getByRole('log');
    await log.getByText('sent while away').waitFor();
    await log.getByText('Reconnected.').waitFor();
    await expect.poll(() => log.getByText('waiting for connection').count(), { timeout: 15_000 }).toBe(0);
    expect(await log.getByText('sent while away').count()).toBe(1);
    expect(await log.getByText('before the restart').count()).toBe(1);

    // The server has it exactly once, too.
    const { client, room } = await bot(server.url, 'auditor');
    const page1 = await room.history({ limit: 50 });
    expect(page1.messages.filter((m) => m.text === 'sent while away')).toHaveLength(1);
    await client.close();
  }, 90_000);
});
