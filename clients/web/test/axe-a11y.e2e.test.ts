import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { bot, COMPOSER, login, openPage, type PageOptions, useChat } from './e2e-helpers.js';

const chat = useChat();
const run = chat.run;

async function open(options: PageOptions = {}): Promise<Page> {
  const page = await openPage(chat.browser, chat.server.httpUrl, options);
  page.setDefaultTimeout(8000);
  return page;
}

/** Serious and critical axe-core violations (WCAG 2.x A and AA rules), one line each. */
async function violations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' > ')).join(', ')}`);
}

async function chatScreen(options: PageOptions, name: string): Promise<Page> {
  const page = await open(options);
  expect(await violations(page), 'login').toEqual([]);
  await login(page, name);
  const { client, room } = await bot(chat.server.url, `${name}-friend`);
  await room.send(`hi @${name}, **welcome**: see https://example.com and \`code\``);
  await page.getByRole('log').getByRole('link').first().waitFor();
  await page.getByRole('textbox', { name: COMPOSER }).fill('a draft with a :smi');
  await page.getByRole('listbox').waitFor();
  expect(await violations(page), 'chat').toEqual([]);
  await page.getByRole('textbox', { name: COMPOSER }).fill('');
  await client.close();
  return page;
}

describe.runIf(run)('web accessibility (axe-core)', () => {
  // axe walks every shadow root: seconds per screen on a busy machine, hence the long timeouts.
  it.each(['light', 'dark'] as const)(
    'has no serious or critical violations on login, chat, picker and directory (%s)',
    async (colorScheme) => {
      const page = await chatScreen({ colorScheme }, `axe-${colorScheme}`);
      await page.getByRole('button', { name: 'Emoji' }).click();
      await page.getByRole('dialog', { name: 'Emoji' }).getByRole('tab').first().waitFor();
      expect(await violations(page), 'picker').toEqual([]);
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: 'Browse rooms' }).click();
      await page
        .getByRole('dialog', { name: 'Browse rooms' })
        .getByRole('button', { name: /# lobby/ })
        .waitFor();
      expect(await violations(page), 'directory').toEqual([]);
      await page.context().close();
    },
    120_000,
  );

  it('has none on a 360 px phone in Thai either', async () => {
    const page = await chatScreen({ width: 360, height: 640, locale: 'th-TH' }, 'axe-phone');
    await page.getByRole('button', { name: 'อีโมจิ' }).click();
    await page.getByRole('dialog', { name: 'อีโมจิ' }).getByRole('tab').first().waitFor();
    expect(await violations(page), 'phone picker').toEqual([]);
    await page.context().close();
  }, 120_000);

  it.each(['light', 'dark'] as const)(
    'has none with version 2 messages, the toolbar, a reply in the composer, files and a direct room (%s)',
    async (colorScheme) => {
      const page = await open({ colorScheme });
      await login(page, `v2-${colorScheme}`);
      const { client, room } = await bot(chat.server.url, `v2-${colorScheme}-friend`);
      const first = await room.send('an answer is coming');
      await room.react(first.messageId, '🎉');
      await room.edit(first.messageId, 'an answer is coming, edited');
      await room.send(`@v2-${colorScheme} here it is`, { replyTo: first.messageId, mentions: [`v2-${colorScheme}`] });
      const gone = await room.send('soon gone');
      await room.delete(gone.messageId);
      await room.sendFile(new TextEncoder().encode('notes'), { name: `notes-${colorScheme}.txt` });
      const log = page.getByRole('log');
      await log.getByRole('link', { name: new RegExp(`Download notes-${colorScheme}`) }).waitFor();
      await log.getByText('message deleted').first().waitFor();
      const answer = log.locator('.msg').filter({ hasText: 'here it is' }).last();
      await answer.hover();
      await answer.getByRole('toolbar').waitFor();
      await answer.getByRole('button', { name: /Reply/ }).click();
      await page
        .getByRole('status')
        .getByText(/Replying to/)
        .waitFor();
      await page
        .locator('kk-composer input[type=file]')
        .setInputFiles({ name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) });
      await page.getByRole('alert').filter({ hasText: 'empty.txt was not sent' }).waitFor();
      await answer.hover();
      expect(await violations(page), 'v2 chat').toEqual([]);
      await page
        .getByRole('complementary')
        .getByRole('button', { name: /directly/ })
        .click();
      await page.getByRole('navigation').getByRole('heading', { name: 'Direct messages' }).waitFor();
      const elsewhere = await bot(chat.server.url, `v2-${colorScheme}-caller`, `elsewhere-${colorScheme}`);
      await elsewhere.room.send(`@v2-${colorScheme} over here`, { mentions: [`v2-${colorScheme}`] });
      await page.getByRole('navigation').getByRole('heading', { name: 'Mentions in other rooms' }).waitFor();
      expect(await violations(page), 'direct room and a mention elsewhere').toEqual([]);
      await elsewhere.client.close();
      await client.close();
      await page.context().close();
    },
    120_000,
  );

  it('announces new messages politely, a burst as one count', async () => {
    const page = await open();
    await login(page, 'listener');
    const { client, room } = await bot(chat.server.url, 'chatty');
    const region = page.locator('kk-app .sr[aria-live="polite"]');
    await room.send('just one');
    await expect.poll(() => region.textContent()).toBe('chatty: just one');
    await Promise.all([room.send('burst 1'), room.send('burst 2'), room.send('burst 3')]);
    await expect.poll(() => region.textContent(), { timeout: 5000 }).toBe('3 new messages');
    await client.close();
  });
});
