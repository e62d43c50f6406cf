import type { RunningServer } from '@kuykan/server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launch } from './browser.js';
import { bot, COMPOSER, flood, login, openPage, type PageOptions, say, serve } from './e2e-helpers.js';

const run = chromiumAvailable();
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  if (!run) return;
  // Bots here send hundreds of messages; the default send rate would throttle them.
  server = await serve({ limits: { sendRate: 5000, sendBurst: 5000 } });
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const open = (options: PageOptions = {}) => openPage(browser, server.httpUrl, options);
/** Message bubbles currently in the DOM (inside the list's shadow root). */
const bubbles = (page: Page) => page.locator('kk-message-list .text').count();

describe.runIf(run)('web client: rooms, history and accessibility', () => {
  it('creates a room from the sidebar and counts unread messages in the others', async () => {
    const page = await open();
    await login(page, 'roamer');
    const nav = page.getByRole('navigation');
    await nav.getByRole('textbox', { name: /Join or create a room/ }).fill('ห้องนั่งเล่น');
    await nav.getByRole('button', { name: 'Join' }).click();
    await page.getByRole('banner').getByText('# ห้องนั่งเล่น').waitFor();
    // Focus moves to the composer of the new room.
    await page.keyboard.type('first in the new room');
    await page.keyboard.press('Enter');
    await page.getByRole('log').getByText('first in the new room').waitFor();

    const { client, room } = await bot(server.url, 'unread-bot');
    await room.send('one');
    await room.send('two');
    const lobby = nav.getByRole('button', { name: /# lobby/ });
    await lobby.getByText('2', { exact: true }).waitFor();
    await lobby.click();
    await page.getByRole('log').getByText('two').waitFor();
    expect(await lobby.getByText('2', { exact: true }).count()).toBe(0);

    // While the tab is hidden the open room counts unread messages too, until the tab is seen again.
    const setHidden = (hidden: boolean) =>
      page.evaluate((value) => {
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => value });
        document.dispatchEvent(new Event('visibilitychange'));
      }, hidden);
    await setHidden(true);
    await room.send('while hidden');
    await lobby.getByText('1', { exact: true }).waitFor();
    await setHidden(false);
    await lobby.getByText('1', { exact: true }).waitFor({ state: 'detached' });

    await nav.getByRole('textbox', { name: /Join or create a room/ }).fill('bad room name!');
    await nav.getByRole('button', { name: 'Join' }).click();
    await nav.getByRole('alert').filter({ hasText: /\S/ }).waitFor();
    await client.close();
  });

  it('loads older history when scrolled to the top, back to the beginning of the room', async () => {
    const { client, room } = await bot(server.url, 'historian', 'archive');
    await flood(room, 'archived', 130);
    const page = await open({ height: 600 });
    await login(page, 'reader');
    await page.getByRole('navigation').getByRole('textbox').fill('archive');
    await page.getByRole('navigation').getByRole('textbox').press('Enter');
    const log = page.getByRole('log');
    await log.getByText('archived 130', { exact: true }).waitFor();
    expect(await log.getByText('archived 1', { exact: true }).count()).toBe(0);
    const beginning = log.getByText('This is the beginning of #archive.');
    // Each scroll to the top asks for one page (50); wait for it before scrolling again.
    for (let n = 0; n < 10 && (await beginning.count()) === 0; n++) {
      const shown = await bubbles(page);
      await log.evaluate((el) => el.scrollTo({ top: 0 }));
      await expect.poll(async () => (await bubbles(page)) > shown || (await beginning.count()) > 0).toBe(true);
    }
    await beginning.waitFor();
    await log.getByText('archived 1', { exact: true }).waitFor();
    expect(await log.getByText(/^archived \d+$/).count()).toBe(130);
    await client.close();
  });

  it('keeps the DOM bounded when more messages arrive than it keeps, and stays at the newest', async () => {
    const { client, room } = await bot(server.url, 'firehose', 'firehose');
    const page = await open();
    await login(page, 'watcher');
    await page.getByRole('navigation').getByRole('textbox').fill('firehose');
    await page.getByRole('navigation').getByRole('textbox').press('Enter');
    await page.getByRole('banner').getByText('# firehose').waitFor();
    await flood(room, 'burst', 700, 100);
    const last = page.getByRole('log').getByText('burst 700', { exact: true });
    await last.waitFor();
    expect(await bubbles(page)).toBeLessThanOrEqual(600);
    expect(await last.isVisible()).toBe(true);
    // Still responsive: a message typed now shows at once.
    await say(page, 'still smooth');
    await page.getByRole('log').getByText('still smooth').waitFor();
    await client.close();
  });

  it('has landmarks, labelled controls and a live log, and works from the keyboard', async () => {
    const page = await open();
    await login(page, 'keyboarder');
    for (const role of ['banner', 'navigation', 'main', 'complementary'] as const) {
      expect(await page.getByRole(role).count(), role).toBeGreaterThan(0);
    }
    // The log itself is silent: new messages are announced by a polite, rate-limited region instead.
    expect(await page.getByRole('log').getAttribute('aria-live')).toBe('off');
    expect(await page.locator('kk-app .sr[aria-live="polite"]').count()).toBe(1);
    const composer = page.getByRole('textbox', { name: COMPOSER });
    await composer.focus();
    await page.keyboard.type('line one');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('line two :tad');
    await page.getByRole('listbox').getByText(':tada:').waitFor();
    await page.keyboard.press('Tab'); // completes the shortcode
    expect(await composer.inputValue()).toBe('line one\nline two 🎉');
    await page.keyboard.press('Enter');
    await page.getByRole('log').getByText('line one line two 🎉').waitFor();
    expect(await composer.inputValue()).toBe('');
    // The focused control is visibly outlined.
    const outline = await composer.evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(outline).not.toBe('none');
  });

  it('switches theme and language from the header, and remembers both', async () => {
    const page = await open({ colorScheme: 'light' });
    await login(page, 'switcher');
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const light = await background();
    await page.getByRole('button', { name: /Theme/ }).click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await background()).not.toBe(light);
    await page.getByRole('button', { name: 'ภาษาไทย' }).click();
    await page.getByRole('heading', { name: /ออนไลน์/ }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('th');
    await page.reload();
    await page.getByRole('button', { name: 'English' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
  });

  it('fits a 360 px phone: no sideways scrolling, the join form and the online count in view', async () => {
    const page = await open({ width: 360, height: 640 });
    await login(page, 'phone-user');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    const join = page.getByRole('navigation').getByRole('button', { name: 'Join' });
    expect(await join.isVisible()).toBe(true);
    const box = (await join.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(360);
    expect(box.y + box.height).toBeLessThanOrEqual(640);
    await page
      .getByRole('banner')
      .getByRole('img', { name: /\d+ online/ })
      .waitFor();
    const composer = (await page.getByRole('textbox', { name: COMPOSER }).boundingBox())!;
    expect(composer.y + composer.height).toBeLessThanOrEqual(640);
  });

  it('treats a second tab of the same browser as the same user', async () => {
    const first = await open();
    await login(first, 'twotabs');
    // The second tab signs in by itself, as the same name and key.
    const second = await open({ context: first.context() });
    await second.getByRole('log').waitFor();
    await say(second, 'from the second tab');
    await first.getByRole('log').getByText('from the second tab').waitFor();
    const users = first.getByRole('complementary');
    expect(await users.getByRole('listitem').filter({ hasText: 'twotabs' }).count()).toBe(1);
  });
});
