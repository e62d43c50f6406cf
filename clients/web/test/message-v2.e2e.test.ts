import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { bot, COMPOSER, login, openPage, say, serve, useChat } from './e2e-helpers.js';

const chat = useChat();
const run = chat.run;

async function open(url = chat.server.httpUrl): Promise<Page> {
  const page = await openPage(chat.browser, url);
  page.setDefaultTimeout(10_000);
  return page;
}
const bubble = (page: Page, text: string) => page.getByRole('log').locator('.msg').filter({ hasText: text });
const composer = (page: Page) => page.getByRole('textbox', { name: COMPOSER });

describe.runIf(run)('messages in protocol version 2', () => {
  it('shows edits, deletions, reactions, replies, mentions and bots as they happen', async () => {
    const page = await open();
    await login(page, 'Nok');
    const dao = await bot(chat.server.url, 'dao');

    const hello = await dao.room.send('hello there');
    const greeting = bubble(page, 'hello there');
    await greeting.waitFor();

    // Someone else's edit: the new text and the edited marker.
    await dao.room.edit(hello.messageId, 'hello there, edited');
    await bubble(page, 'hello there, edited').locator('.edited').getByText('(edited)').waitFor();

    // Reactions from others: a chip with a count, not pressed; pressing it adds mine.
    await dao.room.react(hello.messageId, '🎉');
    const party = greeting.getByRole('button', { name: /^🎉 1/ });
    await party.waitFor();
    expect(await party.getAttribute('aria-pressed')).toBe('false');
    await party.click();
    const party2 = greeting.getByRole('button', { name: /^🎉 2/ });
    await party2.waitFor();
    expect(await party2.getAttribute('aria-pressed')).toBe('true');

    // A quick reaction from the toolbar; pressing my chip again takes it back.
    await greeting.hover();
    await greeting.getByRole('button', { name: 'React with 👍' }).click();
    const thumbs = greeting.getByRole('button', { name: /^👍 1/ });
    await thumbs.waitFor();
    expect(await thumbs.getAttribute('aria-pressed')).toBe('true');
    await thumbs.click();
    await thumbs.waitFor({ state: 'detached' });

    // Any emoji from the picker: it closes once one is picked.
    await greeting.hover();
    await greeting.getByRole('button', { name: 'More reactions' }).click();
    const picker = page.getByRole('dialog', { name: 'Emoji' });
    await picker.getByRole('searchbox', { name: 'Search emoji' }).fill('rocket');
    await picker.getByRole('button', { name: 'rocket' }).click();
    await picker.waitFor({ state: 'detached' });
    const rocket = greeting.getByRole('button', { name: /^🚀 1/ });
    await rocket.waitFor();
    expect(await rocket.getAttribute('aria-pressed')).toBe('true');

    // A reply that mentions me: a quoted preview of the original, highlighted for me.
    await dao.room.send('@Nok look at this', { replyTo: hello.messageId, mentions: ['Nok'] });
    const answer = bubble(page, 'look at this');
    await answer.waitFor();
    expect(await answer.getByRole('note').textContent()).toContain('hello there, edited');
    expect(await answer.getAttribute('class')).toContain('mentioned');

    // A deletion by someone else: a tombstone, and the reply's quote says so too.
    await dao.room.delete(hello.messageId);
    await page.getByRole('log').getByText('message deleted').first().waitFor();
    await answer.getByRole('note').getByText('message deleted').waitFor();
    expect(await bubble(page, 'hello there, edited').count()).toBe(0);

    // A bot's messages carry a badge (the SDK logs a bot in with `bot: true`).
    const { KuykanClient } = await import('@kuykan/sdk');
    const robot = new KuykanClient(chat.server.url, { name: 'robot', bot: true, reconnect: false });
    await robot.connect();
    await (await robot.join('lobby')).send('beep boop');
    await bubble(page, 'beep boop').locator('.bot').getByText('bot').waitFor();

    await robot.close();
    await dao.client.close();
    await page.context().close();
  }, 60_000);

  it('replies, edits and deletes my own messages from the toolbar, by mouse and keyboard', async () => {
    const page = await open();
    await login(page, 'Ploy');
    const dao = await bot(chat.server.url, 'dao2');
    const seen: { text: string; replyTo?: string }[] = [];
    dao.room.on('message', ({ message }) => seen.push({ text: message.text, replyTo: message.reply?.messageId }));
    const question = await dao.room.send('lunch at noon?');
    await bubble(page, 'lunch at noon?').waitFor();

    // Reply: the composer says what it answers; Escape cancels, Reply again and send.
    const target = bubble(page, 'lunch at noon?').first();
    await target.hover();
    await target.getByRole('button', { name: /Reply/ }).click();
    await page
      .getByRole('status')
      .getByText(/Replying to dao2/)
      .waitFor();
    await composer(page).press('Escape');
    await page.getByText(/Replying to dao2/).waitFor({ state: 'detached' });
    await target.hover();
    await target.getByRole('button', { name: /Reply/ }).click();
    await say(page, 'yes please');
    const reply = bubble(page, 'yes please');
    await reply.getByRole('note').getByText('lunch at noon?').waitFor();
    await expect.poll(() => seen.find((m) => m.text === 'yes please')?.replyTo).toBe(question.messageId);

    // Edit by keyboard: ⋯ opens the toolbar, Edit brings the text into the composer.
    await say(page, 'my typo mesage');
    const mine = bubble(page, 'my typo mesage');
    await mine.locator('time').first().waitFor();
    await composer(page).fill('a draft');
    await mine.getByRole('button', { name: /Actions for the message from Ploy/ }).focus();
    await page.keyboard.press('Enter');
    await mine.getByRole('toolbar').waitFor();
    await mine.getByRole('button', { name: /Edit/ }).click();
    expect(await composer(page).inputValue()).toBe('my typo mesage');
    // Escape cancels the edit and gives back the draft.
    await composer(page).press('Escape');
    expect(await composer(page).inputValue()).toBe('a draft');
    await mine.hover();
    await mine.getByRole('button', { name: /Edit/ }).click();
    await composer(page).fill('my fixed message');
    await composer(page).press('Enter');
    const fixed = bubble(page, 'my fixed message');
    await fixed.getByText('(edited)').waitFor();
    expect(await composer(page).inputValue()).toBe('a draft');
    expect(dao.room.timeline.find((m) => m.text === 'my fixed message')?.editedTs).toBeGreaterThan(0);

    // Delete asks first; Cancel keeps the message, Delete makes it a tombstone for everyone.
    await fixed.hover();
    await fixed.getByRole('button', { name: /Delete/ }).click();
    await fixed.getByRole('button', { name: 'Cancel' }).click();
    await fixed.hover();
    await fixed.getByRole('button', { name: /Delete/ }).click();
    await fixed.getByRole('group', { name: 'Delete this message?' }).getByRole('button', { name: 'Delete' }).click();
    await fixed.waitFor({ state: 'detached' });
    await expect.poll(() => dao.room.timeline.some((m) => m.deleted && m.from === 'Ploy')).toBe(true);
    // Others' messages offer no edit or delete.
    await target.hover();
    await target.getByRole('toolbar').waitFor();
    expect(await target.getByRole('button', { name: /Edit|Delete/ }).count()).toBe(0);

    await dao.client.close();
    await page.context().close();
  }, 60_000);

  it('applies a reaction and an edit made while the server is away once it is back, each once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kuykan-web-v2-'));
    let restarting = await serve({ dataDir });
    try {
      const page = await openPage(chat.browser, restarting.httpUrl);
      page.setDefaultTimeout(15_000);
      await login(page, 'Lek');
      await say(page, 'before the outage');
      const mine = bubble(page, 'before the outage');
      await mine.locator('time').first().waitFor();
      // Acked before the outage: a message still sending offers no reaction or edit until it is.
      await mine.getByText('sending…').waitFor({ state: 'detached' });

      const port = Number(new URL(restarting.httpUrl).port);
      await restarting.close();
      await page
        .getByRole('status')
        .getByText(/reconnecting/)
        .waitFor();
      await mine.hover();
      await mine.getByRole('button', { name: 'React with 👍' }).click();
      await mine.getByRole('button', { name: /Edit/ }).click();
      await composer(page).fill('after the outage');
      await composer(page).press('Enter');

      restarting = await serve({ dataDir, port });
      await page.getByRole('status').getByText('Back online.').waitFor({ timeout: 45_000 });
      const edited = bubble(page, 'after the outage');
      await edited.getByText('(edited)').waitFor({ timeout: 45_000 });
      const thumbs = edited.getByRole('button', { name: /^👍 1/ });
      await thumbs.waitFor();
      expect(await thumbs.getAttribute('aria-pressed')).toBe('true');

      const check = await bot(restarting.url, 'checker');
      const record = check.room.timeline.find((m) => m.text === 'after the outage');
      expect(record?.reactions).toEqual([expect.objectContaining({ emoji: '👍', count: 1 })]);
      expect(check.room.timeline.filter((m) => m.from === 'Lek')).toHaveLength(1);
      await check.client.close();
      await page.context().close();
    } finally {
      await restarting.close();
    }
  }, 120_000);

  it('shows an edit refused after the edit window, in the UI language, with the text kept', async () => {
    const strict = await serve({ limits: { editWindowMs: 1 } });
    try {
      const page = await openPage(chat.browser, strict.httpUrl, { locale: 'th-TH' });
      page.setDefaultTimeout(10_000);
      await login(page, 'Malee');
      await say(page, 'ข้อความเดิม');
      const mine = bubble(page, 'ข้อความเดิม');
      await mine.locator('time').first().waitFor();
      await mine.hover();
      await mine.getByRole('button', { name: /แก้ไข/ }).click();
      await composer(page).fill('ข้อความใหม่');
      await composer(page).press('Enter');
      await page.getByRole('alert').getByText('เลยเวลาที่แก้ไขข้อความนี้ได้แล้ว').waitFor();
      expect(await composer(page).inputValue()).toBe('ข้อความใหม่');
      expect(await bubble(page, 'ข้อความใหม่').count()).toBe(0);
      await page.context().close();
    } finally {
      await strict.close();
    }
  }, 60_000);
});
