import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningServer } from '@kuykan/server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launch } from './browser.js';
import { COMPOSER, login, openPage, type PageOptions, serve } from './e2e-helpers.js';

const run = chromiumAvailable();
const dataDir = mkdtempSync(join(tmpdir(), 'kuykan-web-talk-'));
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

async function open(options: PageOptions): Promise<Page> {
  const page = await openPage(browser, server.httpUrl, options);
  page.setDefaultTimeout(10_000);
  return page;
}
const composer = (page: Page) => page.getByRole('textbox', { name: COMPOSER });
const bubble = (page: Page, text: string) => page.getByRole('log').locator('.msg').filter({ hasText: text });

describe.runIf(run)('a conversation between a Thai and an English user', () => {
  it('mentions, shortcodes, a new room, a reload and a server restart, each side in its own language', async () => {
    const malee = await open({ locale: 'th-TH' });
    await login(malee, 'มาลี');
    const tom = await open({ locale: 'en-GB' });
    await login(tom, 'Tom');

    // Tom mentions Malee by completing her name.
    await composer(tom).pressSequentially('hi @มา');
    await tom.getByRole('option', { name: /มาลี/ }).waitFor();
    await tom.keyboard.press('Tab');
    await tom.keyboard.type('**welcome** :wave:');
    await tom.keyboard.press('Enter');
    const toMalee = bubble(malee, 'welcome');
    await toMalee.locator('strong').getByText('welcome').waitFor();
    expect(await toMalee.getAttribute('class')).toContain('mentioned');
    expect(await toMalee.locator('.mention.me').textContent()).toBe('@มาลี');
    expect(await toMalee.textContent()).toContain('👋');

    // Malee answers in Thai with a shortcode; Tom sees his mention and the emoji.
    await composer(malee).fill('@Tom สวัสดีค่ะ :thumbsup: ยินดีที่ได้รู้จัก');
    await composer(malee).press('Enter');
    const toTom = bubble(tom, 'สวัสดีค่ะ');
    await toTom.waitFor();
    expect(await toTom.getAttribute('class')).toContain('mentioned');
    expect(await toTom.textContent()).toContain('สวัสดีค่ะ 👍 ยินดีที่ได้รู้จัก');

    // Each side labels the day in its own language.
    await malee.getByRole('log').getByRole('separator').getByText('วันนี้').waitFor();
    await tom.getByRole('log').getByRole('separator').getByText('Today').waitFor();

    // Malee opens a new room; Tom finds it in the directory.
    const nav = malee.getByRole('navigation');
    await nav.getByRole('textbox', { name: 'เข้าหรือสร้างห้อง' }).fill('ห้องลับ');
    await nav.getByRole('textbox', { name: 'เข้าหรือสร้างห้อง' }).press('Enter');
    await malee.getByRole('banner').getByText('# ห้องลับ').waitFor();
    await composer(malee).fill('ห้องนี้เงียบดีนะ');
    await composer(malee).press('Enter');
    await tom.getByRole('button', { name: 'Browse rooms' }).click();
    await tom
      .getByRole('dialog')
      .getByRole('button', { name: /# ห้องลับ/ })
      .click();
    await bubble(tom, 'ห้องนี้เงียบดีนะ').waitFor();

    // Malee reloads: signed in again, in the same room, with its history, in Thai.
    await malee.reload();
    await malee.getByRole('banner').getByText('# ห้องลับ').waitFor();
    await bubble(malee, 'ห้องนี้เงียบดีนะ').waitFor();
    expect(await malee.getByLabel('ชื่อของคุณ').count()).toBe(0);

    // The server restarts: both reconnect, catch up, and say so in their language.
    const port = Number(new URL(server.httpUrl).port);
    await server.close();
    await malee
      .getByRole('status')
      .getByText(/กำลังเชื่อมต่อใหม่/)
      .waitFor();
    await composer(tom).fill('did you get this after the restart?');
    await composer(tom).press('Enter');
    server = await serve({ dataDir, port });
    await malee.getByRole('status').getByText('กลับมาออนไลน์แล้ว').waitFor({ timeout: 45_000 });
    await bubble(malee, 'did you get this after the restart?').waitFor({ timeout: 45_000 });
    await malee.getByRole('log').getByText('เชื่อมต่อใหม่แล้ว').first().waitFor();
    await tom.getByRole('log').getByText('Reconnected.').first().waitFor();
    expect(await bubble(tom, 'did you get this after the restart?').count()).toBe(1);
    expect(await bubble(malee, 'did you get this after the restart?').count()).toBe(1);
  }, 120_000);
});
