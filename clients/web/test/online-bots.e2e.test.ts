import { KuykanClient } from '@kuykan/sdk';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { bot, login, openPage, useChat } from './e2e-helpers.js';

const chat = useChat();
const run = chat.run;

/** An SDK user logged in as a bot (`bot: true`), in the lobby; e2e-helpers' `bot()` logs in as a person. */
async function realBot(name: string): Promise<KuykanClient> {
  const client = new KuykanClient(chat.server.url, { name, bot: true, reconnect: false });
  await client.connect();
  await client.join('lobby');
  return client;
}

/** A user's row in the online users list. */
const row = (page: Page, name: string) =>
  page
    .getByRole('complementary')
    .getByRole('listitem')
    .filter({ has: page.locator('.who', { hasText: new RegExp(`^${name}$`) }) });

describe.runIf(run)('online users list', () => {
  it('marks bots with the bot badge, whether they were there before or join later, and not people', async () => {
    const early = await realBot('robot');
    const person = await bot(chat.server.url, 'dao');
    const page = await openPage(chat.browser, chat.server.httpUrl);
    page.setDefaultTimeout(8000);
    await login(page, 'Nok');
    const late = await realBot('beeper');
    await page.getByRole('complementary').getByRole('heading', { name: /— 4$/ }).waitFor();

    // The badge's text is its accessible name: a screen reader hears "robot bot".
    for (const name of ['robot', 'beeper']) {
      await expect.poll(() => row(page, name).ariaSnapshot()).toContain(`text: ${name} bot\n`);
      expect(await row(page, name).locator('.bot').textContent()).toBe('bot');
    }
    for (const name of ['dao', 'Nok']) {
      expect(await row(page, name).count()).toBe(1);
      expect(await row(page, name).locator('.bot').count()).toBe(0);
    }
    // The same look as the badge on a bot's messages.
    const border = await row(page, 'robot')
      .locator('.bot')
      .evaluate((el) => getComputedStyle(el).borderStyle);
    expect(border).toBe('solid');

    await Promise.all([early.close(), late.close(), person.client.close()]);
    await page.context().close();
  });
});
