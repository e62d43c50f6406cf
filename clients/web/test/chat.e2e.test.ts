import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { KuykanClient } from '@kuykan/sdk';
import { type RunningServer, startServer } from '@kuykan/server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launch } from './browser.js';

const dist = fileURLToPath(new URL('../dist', import.meta.url));
const run = chromiumAvailable();

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  if (!run) return;
  if (!existsSync(`${dist}/index.html`)) throw new Error('clients/web/dist is missing: run npm run build');
  server = await startServer({
    port: 0,
    host: '127.0.0.1',
    store: 'sqlite',
    dataDir: fileURLToPath(new URL(`../../../.vitest-tmp/web-${Date.now()}`, import.meta.url)),
    logLevel: 'silent',
    webRoot: dist,
    limits: { presenceGraceMs: 500 },
  });
  browser = await launch();
});
afterAll(async () => {
  if (!run) return;
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.close();
});

async function open(
  options: { width?: number; height?: number; colorScheme?: 'light' | 'dark'; locale?: string } = {},
): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1100, height: options.height ?? 700 },
    colorScheme: options.colorScheme ?? 'light',
    locale: options.locale ?? 'en-US',
  });
  contexts.push(context);
  const page = await context.newPage();
  page.on('dialog', (dialog) => {
    (page as Page & { dialogs?: string[] }).dialogs ??= [];
    (page as Page & { dialogs?: string[] }).dialogs!.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(server.httpUrl);
  return page;
}

// The UI follows the browser language, so these match both English and Thai.
const NAME_FIELD = /Your name|ชื่อของคุณ/;
const START = /Start chatting|เริ่มคุย/;

async function login(page: Page, name: string): Promise<void> {
  await page.getByLabel(NAME_FIELD).fill(name);
  await page.getByRole('button', { name: START }).click();
  await page.getByRole('log').waitFor();
}

async function say(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: /Message|พิมพ์ข้อความ/ }).fill(text);
  await page.keyboard.press('Enter');
}

describe.runIf(run)('web client in Chromium', () => {
  it('lets two people and an SDK bot chat, with presence and join notices', async () => {
    const somchai = await open();
    await login(somchai, 'สมชาย');
    const nok = await open();
    await login(nok, 'Nok');
    await somchai.getByText('Nok joined').waitFor();
    await somchai.getByRole('complementary').getByText('Nok', { exact: true }).waitFor();

    await say(somchai, 'สวัสดีครับ 👋🏽');
    await nok.getByRole('log').getByText('สวัสดีครับ 👋🏽').waitFor();
    await say(nok, 'hi! 👨‍👩‍👧 :tada:');
    await somchai.getByRole('log').getByText('hi! 👨‍👩‍👧 🎉').waitFor();

    const bot = new KuykanClient(server.url, { name: 'bot' });
    await bot.connect();
    const room = await bot.join('lobby');
    await somchai.getByText('bot joined').waitFor();
    await room.send('I am a bot 🤖');
    await nok.getByRole('log').getByText('I am a bot 🤖').waitFor();
    expect(await somchai.getByRole('heading', { name: /Online — 3/ }).count()).toBe(1);
    await bot.close();
    await somchai.getByText('bot left').waitFor({ timeout: 10_000 });
  });

  it('shows a taken name inline and lets the user pick another', async () => {
    const page = await open();
    await login(page, 'taken-web');
    const other = await open();
    await other.getByLabel('Your name').fill('TAKEN-web');
    await other.getByRole('button', { name: 'Start chatting' }).click();
    await other
      .getByRole('alert')
      .getByText(/in use/)
      .waitFor();
    await login(other, 'free-web');
  });

  it('inserts an emoji from the picker at the caret and sends it', async () => {
    const page = await open();
    await login(page, 'picker');
    await page.getByRole('textbox', { name: /Message/ }).fill('party ');
    await page.getByRole('button', { name: 'Emoji' }).click();
    await page.locator('kk-emoji-picker').getByRole('button', { name: 'grinning face', exact: true }).click();
    await page.keyboard.press('Escape');
    await page.getByRole('textbox', { name: /Message/ }).press('Enter');
    await page.getByRole('log').getByText('party 😀').waitFor();
  });

  it('shows history after a reload, signed in again as the same user without the form', async () => {
    const page = await open();
    await login(page, 'reloader');
    await say(page, 'remember me');
    await page.getByRole('log').getByText('remember me').waitFor();
    await page.reload();
    await page.getByRole('log').getByText('remember me').waitFor();
    expect(await page.getByLabel('Your name').count()).toBe(0);
  });

  it('shows hostile names and messages literally and executes nothing', async () => {
    const page = await open();
    await login(page, 'victim');
    await page.evaluate(() => {
      (window as unknown as { pwned: number }).pwned = 0;
    });
    const corpus = [
      '<img src=x onerror="window.pwned=1;alert(1)">',
      '<script>window.pwned=2</script>',
      '"><svg onload=window.pwned=3>',
      'javascript:window.pwned=4',
      '{{constructor.constructor("window.pwned=5")()}}',
      '<a href="javascript:window.pwned=6">click</a>',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection attempt, meant literally
      '\u202Eevil\u202C <b>bold</b> ${window.pwned=7}',
    ];
    const attacker = new KuykanClient(server.url, { name: '<img src=x onerror=alert(9)>' });
    await attacker.connect();
    const room = await attacker.join('lobby');
    for (const text of corpus) await room.send(text);
    // Shown literally, less the bidi controls, which are never drawn.
    for (const text of corpus) {
      const shown = text.replace(/[\u202A-\u202E\u2066-\u2069]/g, '');
      await page.getByRole('log').getByText(shown, { exact: true }).first().waitFor();
    }
    expect(await page.locator('kk-message-list a').count()).toBe(0);
    await page.getByRole('complementary').getByText('<img src=x onerror=alert(9)>').waitFor();
    expect(await page.evaluate(() => (window as unknown as { pwned: number }).pwned)).toBe(0);
    expect((page as Page & { dialogs?: string[] }).dialogs ?? []).toEqual([]);
    expect(
      await page.locator('kk-message-list img, kk-message-list script, kk-message-list svg, kk-message-list b').count(),
    ).toBe(0);
    await attacker.close();
  });

  it('is served with a Content-Security-Policy that forbids inline scripts', async () => {
    const response = await fetch(server.httpUrl);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(await response.text()).not.toMatch(/<script>(?!<\/script>)/);
  });

  it('keeps a reader at the bottom, and offers a jump button only after they scroll up', async () => {
    const page = await open({ width: 360, height: 640 });
    await login(page, 'scroller');
    const writer = new KuykanClient(server.url, { name: 'writer' });
    await writer.connect();
    const room = await writer.join('lobby');
    for (let n = 0; n < 25; n++) await room.send(`line ${n} สวัสดี 🌸`);
    const last = page.getByRole('log').getByText('line 24 สวัสดี 🌸');
    await last.waitFor();
    const jump = page.getByRole('button', { name: /New messages/ });
    expect(await jump.count()).toBe(0);
    expect(await last.isVisible()).toBe(true);
    // Scrolled up as the list sees it: its scroll listener (added first) has run before the next message
    // arrives, or the message finds it still at the bottom and no jump button is offered.
    await page.getByRole('log').evaluate(
      (el) =>
        new Promise<void>((resolve) => {
          el.addEventListener('scroll', () => resolve(), { once: true });
          el.scrollTo({ top: 0 });
        }),
    );
    await room.send('after scrolling up');
    await jump.waitFor();
    await jump.click();
    await page.getByRole('log').getByText('after scrolling up').waitFor({ state: 'visible' });
    expect(await jump.count()).toBe(0);
    await writer.close();
  });

  it('follows the browser language: Thai UI for a Thai browser', async () => {
    const page = await open({ locale: 'th-TH' });
    await page.getByRole('button', { name: 'เริ่มคุย' }).waitFor();
    await login(page, 'ผู้ใช้ไทย');
    await page.getByRole('heading', { name: /ออนไลน์/ }).waitFor();
  });
});
