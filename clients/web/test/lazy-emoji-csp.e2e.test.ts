import { describe, expect, it } from 'vitest';
import { measureBundle } from '../scripts/size.js';
import { bot, COMPOSER, DIST, login, openPage, say, useChat } from './e2e-helpers.js';

const chat = useChat();
const run = chat.run;

describe.runIf(run)('web client loading and policy', () => {
  it('fetches only from its own origin, and the emoji chunks only when the picker opens', async () => {
    // linkify-it is lazy too, but fetched right after the first paint; the emoji chunks wait for the
    // picker, and an English UI never fetches the Thai data.
    const lazyFiles = measureBundle(DIST)
      .lazy.filter((chunk) => /emoji/.test(chunk.src) && !/\/th\//.test(chunk.src))
      .map((chunk) => chunk.file);
    expect(lazyFiles.length).toBeGreaterThan(0);
    const context = await chat.browser.newContext({ viewport: { width: 1000, height: 700 } });
    const requested: string[] = [];
    context.on('request', (request) => requested.push(request.url()));
    const violations: string[] = [];
    const page = await openPage(chat.browser, chat.server.httpUrl, { context });
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    page.on('pageerror', (error) => violations.push(error.message));

    await login(page, 'lazy');
    await say(page, 'no emoji yet');
    await page.getByRole('log').getByText('no emoji yet').waitFor();
    const loadedLazily = () => lazyFiles.filter((file) => requested.some((url) => url.endsWith(file)));
    expect(loadedLazily()).toEqual([]);

    await page.getByRole('button', { name: 'Emoji' }).click();
    await page.locator('kk-emoji-picker').getByRole('button', { name: 'grinning face', exact: true }).waitFor();
    expect(loadedLazily().sort()).toEqual([...lazyFiles].sort());

    const origin = new URL(chat.server.httpUrl).origin;
    const foreign = requested.filter((url) => !url.startsWith(origin) && !url.startsWith('data:'));
    expect(foreign).toEqual([]);
    expect(violations).toEqual([]);
    await context.close();
  });

  it('shows who is typing, and stops when they stop', async () => {
    const page = await openPage(chat.browser, chat.server.httpUrl);
    await login(page, 'watcher');
    const { client, room } = await bot(chat.server.url, 'typist');
    room.typing(true);
    const typing = page.getByText('typist is typing…');
    await typing.waitFor();
    room.typing(false);
    await typing.waitFor({ state: 'detached' });
    await client.close();
  });

  it('shows a join notice for a hostile name as plain text', async () => {
    const page = await openPage(chat.browser, chat.server.httpUrl);
    await login(page, 'noticer');
    await page.evaluate(() => {
      (window as unknown as { pwned: boolean }).pwned = false;
    });
    const hostile = '<svg onload=window.pwned=true>';
    const { client } = await bot(chat.server.url, hostile);
    await page.getByRole('log').getByText(`${hostile} joined`).waitFor();
    expect(await page.evaluate(() => (window as unknown as { pwned: boolean }).pwned)).toBe(false);
    expect(await page.locator('kk-message-list svg').count()).toBe(0);
    await client.close();
    await page.getByRole('log').getByText(`${hostile} left`).waitFor();
    await page.getByRole('textbox', { name: COMPOSER }).waitFor();
  });
});
