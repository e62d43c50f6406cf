import type { RunningServer } from '@kuykan/server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launch } from './browser.js';
import { bot, COMPOSER, login, openPage, type PageOptions, say, serve } from './e2e-helpers.js';

const run = chromiumAvailable();
let server: RunningServer;
let browser: Browser;
const MAX_TEXT = 500;

beforeAll(async () => {
  if (!run) return;
  // A long typing TTL: only an explicit stop can clear the indicator within the test.
  server = await serve({ limits: { maxTextLength: MAX_TEXT, typingTtlMs: 60_000 } });
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const open = (options: PageOptions = {}) => openPage(browser, server.httpUrl, options);
const composer = (page: Page) => page.getByRole('textbox', { name: COMPOSER });
/** The element focused, through shadow roots. */
const focusedTag = (page: Page) =>
  page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el?.tagName.toLowerCase();
  });

describe.runIf(run)('web composer', () => {
  it('has focus after login and grows with its text', async () => {
    const page = await open();
    await login(page, 'grower');
    await expect.poll(() => focusedTag(page)).toBe('textarea');
    const field = composer(page);
    const oneLine = (await field.boundingBox())!.height;
    await page.keyboard.type('one');
    for (const line of ['two', 'three']) {
      await page.keyboard.press('Shift+Enter');
      await page.keyboard.type(line);
    }
    const threeLines = (await field.boundingBox())!.height;
    expect(threeLines).toBeGreaterThan(oneLine * 2);
    // Every line is visible: nothing scrolls inside the field.
    expect(await field.evaluate((el) => el.scrollHeight - el.clientHeight)).toBeLessThanOrEqual(1);
  });

  it("counts against the server's maxTextLength and refuses a long paste before sending", async () => {
    const page = await open();
    await login(page, 'paster');
    await composer(page).fill('y'.repeat(MAX_TEXT - 10));
    await page.getByText(`${MAX_TEXT - 10} / ${MAX_TEXT}`).waitFor();
    await composer(page).fill('x'.repeat(10_000));
    const error = page.getByRole('alert').filter({ hasText: `Too long: 10000 of ${MAX_TEXT} characters` });
    await error.waitFor();
    expect(await composer(page).getAttribute('aria-invalid')).toBe('true');
    await composer(page).press('Enter');
    await page.getByRole('button', { name: 'Send' }).click();
    expect(await page.locator('kk-message-list .text').count()).toBe(0);
    expect(await composer(page).inputValue()).toHaveLength(10_000);
  });

  it('shows why the server refused a message and offers Edit instead of a Retry that cannot work', async () => {
    const page = await open();
    await login(page, 'refused');
    await say(page, 'bell \u0007 ring');
    const failed = page.getByRole('log').getByText(/not sent: The server refused this message/);
    await failed.waitFor();
    expect(await page.getByRole('log').getByRole('button', { name: 'Retry' }).count()).toBe(0);
    await page.getByRole('log').getByRole('button', { name: 'Edit' }).click();
    expect(await composer(page).inputValue()).toBe('bell \u0007 ring');
    await failed.waitFor({ state: 'detached' });
  });

  it('lets the arrow keys choose a :shortcode: suggestion', async () => {
    const page = await open();
    await login(page, 'arrows');
    await composer(page).focus();
    await page.keyboard.type(':smile');
    const options = page.getByRole('listbox').getByRole('option');
    await options.nth(1).waitFor();
    expect(await options.nth(0).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowDown');
    expect(await options.nth(1).getAttribute('aria-selected')).toBe('true');
    const second = (await options.nth(1).textContent())!.trim().split(' ')[0]!;
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    expect(await composer(page).inputValue()).toBe(second);
    await page.keyboard.type(' @arr');
    await page.getByRole('option', { name: /arrows/ }).waitFor();
    await page.keyboard.press('Tab');
    expect(await composer(page).inputValue()).toBe(`${second} @arrows `);
  });

  it('clears the typing indicator as soon as the typer empties the field', async () => {
    const typer = await open();
    await login(typer, 'typer');
    const watcher = await open();
    await login(watcher, 'watcher');
    await composer(typer).pressSequentially('hel');
    const indicator = watcher.getByText('typer is typing…');
    await indicator.waitFor();
    await composer(typer).fill('');
    // The TTL is 60 s: only the stop sent on emptying can clear it in time.
    await indicator.waitFor({ state: 'detached', timeout: 5000 });
  });
});

describe.runIf(run)('web client in Thai', () => {
  it('translates server refusals, uses a 24-hour clock and keeps an even line rhythm', async () => {
    const { client } = await bot(server.url, 'สมชาย');
    const page = await open({ locale: 'th-TH' });
    await page.getByLabel('ชื่อของคุณ').fill('สมชาย');
    await page.getByRole('button', { name: 'เริ่มคุย' }).click();
    await page.getByRole('alert').getByText('ชื่อนี้มีคนใช้อยู่ ลองชื่ออื่น').waitFor();
    await client.close();
    await login(page, 'นก');
    await say(page, 'สวัสดีครับ ทุกคน');
    await say(page, 'hello everyone');
    const log = page.getByRole('log');
    await log.getByText('hello everyone').waitFor();
    const time = (await log.locator('time').first().textContent())!.trim();
    // 0:00 to 23:59, no AM/PM: hour 0 too, or the test fails from midnight to one o'clock.
    expect(time).toMatch(/^(1?\d|2[0-3]):[0-5]\d$/);
    // Measured until both are laid out: under load a box can still be null
    // (not yet visible) when the later message already is.
    const heightDifference = async () => {
      const [thai, latin] = await Promise.all(
        ['สวัสดีครับ ทุกคน', 'hello everyone'].map((text) => log.getByText(text).boundingBox()),
      );
      return thai && latin ? thai.height - latin.height : 'not laid out';
    };
    await expect.poll(heightDifference).toBe(0);
    const heading = page.getByRole('navigation').getByRole('heading');
    expect(await heading.evaluate((el) => getComputedStyle(el).textTransform)).toBe('none');
    expect(await heading.evaluate((el) => getComputedStyle(el).letterSpacing)).toBe('normal');
  });

  it('shows English times on a 24-hour clock too', async () => {
    const page = await open({ locale: 'en-US' });
    await login(page, 'clock');
    await say(page, 'what time is it');
    const time = (await page.getByRole('log').locator('time').first().textContent())!.trim();
    expect(time).toMatch(/^(1?\d|2[0-3]):[0-5]\d$/);
  });
});

describe.runIf(run)('web client with hostile text', () => {
  it('isolates a bidi override, clips a combining-mark tower and ellipsises long names', async () => {
    const longName = `n${'w'.repeat(31)}`;
    const longRoom = `r${'m'.repeat(63)}`;
    const { client, room } = await bot(server.url, longName);
    const page = await open();
    await login(page, 'victim');
    await room.send('abc \u202Eevil override txt.exe');
    await room.send(`ก${'\u0E48'.repeat(240)}`);
    await room.send('plain line');
    const log = page.getByRole('log');
    await log.getByText('plain line').waitFor();

    const spoof = log.locator('.text').filter({ hasText: 'evil override' });
    expect(await spoof.textContent()).not.toContain('\u202E');
    expect(await spoof.evaluate((el) => [el.getAttribute('dir'), getComputedStyle(el).unicodeBidi])).toEqual([
      'auto',
      'isolate',
    ]);
    const tower = log.locator('.text').filter({ hasText: /^ก\u0E48+$/ });
    const plain = log.locator('.text').filter({ hasText: 'plain line' });
    expect((await tower.boundingBox())!.height).toBeLessThanOrEqual((await plain.boundingBox())!.height + 1);
    expect(await tower.evaluate((el) => getComputedStyle(el).overflow)).toBe('clip');

    // A long user name keeps one line in the users list and in the message head.
    const user = page.getByRole('complementary').getByRole('listitem').filter({ hasText: longName });
    expect((await user.boundingBox())!.height).toBeLessThan(40);
    const from = log.locator('.from').filter({ hasText: longName }).first();
    expect(await from.evaluate((el) => el.scrollWidth > el.clientWidth || el.clientHeight < 30)).toBe(true);

    // A long room name is cut with an ellipsis and does not widen the sidebar or move the join form.
    const nav = page.getByRole('navigation');
    const form = nav.getByRole('textbox', { name: /Join or create a room/ });
    const before = (await form.boundingBox())!;
    await form.fill(longRoom);
    await form.press('Enter');
    await page.getByRole('banner').getByText(`# ${longRoom}`).waitFor();
    const navBox = (await nav.boundingBox())!;
    const roomButton = nav.getByRole('button', { name: new RegExp(longRoom) });
    const buttonBox = (await roomButton.boundingBox())!;
    expect(buttonBox.x + buttonBox.width).toBeLessThanOrEqual(navBox.x + navBox.width);
    expect(buttonBox.height).toBeLessThan(45);
    expect(await nav.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
    const after = (await form.boundingBox())!;
    expect(after.y - before.y).toBeLessThan(buttonBox.height + 8); // moved by one row, not by a wrapped name
    await client.close();
  });
});
