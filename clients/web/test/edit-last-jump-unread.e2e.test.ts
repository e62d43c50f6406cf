import { KuykanClient } from '@kuykan/sdk';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { bot, COMPOSER, flood, login, openPage, say, useChat } from './e2e-helpers.js';

const chat = useChat();
const run = chat.run;

async function open(): Promise<Page> {
  const page = await openPage(chat.browser, chat.server.httpUrl, { height: 600 });
  page.setDefaultTimeout(15_000);
  return page;
}
const bubble = (page: Page, text: string) => page.getByRole('log').locator('.msg').filter({ hasText: text }).first();
/** A message by its own text (not a reply quoting it). */
const own = (page: Page, text: string) =>
  page
    .getByRole('log')
    .locator('.msg')
    .filter({ has: page.locator('.text', { hasText: text }) });
const composer = (page: Page) => page.getByRole('textbox', { name: COMPOSER });
const roomButton = (page: Page, name: RegExp) => page.getByRole('navigation').getByRole('button', { name });

/** The element lies (at least partly) inside the visible part of the message list. */
async function inView(page: Page, element: Locator): Promise<boolean> {
  const list = await page.getByRole('log').boundingBox();
  const box = await element.boundingBox();
  if (!list || !box) return false;
  return box.y + box.height > list.y && box.y < list.y + list.height;
}

describe.runIf(run)('↑ edits my last message', () => {
  it('brings my last message into an empty composer; Escape cancels, Enter saves', async () => {
    const page = await open();
    await login(page, 'Nok');
    await say(page, 'first one');
    await say(page, 'second one');
    await bubble(page, 'second one').waitFor();
    await page.getByRole('log').getByText('sending…').waitFor({ state: 'detached' });

    // With text in the field ↑ is only a caret move.
    await composer(page).fill('a draft');
    await composer(page).press('ArrowUp');
    expect(await composer(page).inputValue()).toBe('a draft');
    await composer(page).fill('');

    await composer(page).press('ArrowUp');
    await page
      .getByRole('status')
      .getByText(/Editing your message/)
      .waitFor();
    expect(await composer(page).inputValue()).toBe('second one');
    await composer(page).press('Escape');
    await page.getByText(/Editing your message/).waitFor({ state: 'detached' });
    expect(await composer(page).inputValue()).toBe('');

    await composer(page).press('ArrowUp');
    await composer(page).fill('second one, fixed');
    await composer(page).press('Enter');
    await bubble(page, 'second one, fixed').locator('.edited').waitFor();
    expect(await composer(page).inputValue()).toBe('');
    expect(await page.getByRole('log').getByText('first one').count()).toBe(1);
    await page.context().close();
  }, 60_000);
});

describe.runIf(run)('a reply quote shows its original', () => {
  it('scrolls to a loaded original, highlights and focuses it; loads older history for one further back; says so when too far', async () => {
    const dao = await bot(chat.server.url, 'dao', 'history');
    // The ancient question is further back than the latest 50 and four more pages of 50.
    const ancient = await dao.room.send('the ancient question');
    await flood(dao.room, 'deep filler', 400);
    const middle = await dao.room.send('the middle question');
    await flood(dao.room, 'filler', 40);
    // The room opens with the latest 50 (joinRecent): the near question in the middle of them.
    await flood(dao.room, 'more filler', 30);
    await dao.room.send('answer to ancient', { replyTo: ancient.messageId });
    await dao.room.send('answer to middle', { replyTo: middle.messageId });
    const near = await dao.room.send('the near question');
    await flood(dao.room, 'near filler', 20);
    await dao.room.send('answer to near', { replyTo: near.messageId });

    const page = await open();
    await login(page, 'Mali');
    await page.getByRole('textbox', { name: 'Join or create a room' }).fill('history');
    await page.getByRole('textbox', { name: 'Join or create a room' }).press('Enter');
    await bubble(page, 'answer to near').waitFor();

    // Loaded, out of view: the quote scrolls to it, highlights it and moves focus there.
    const original = own(page, 'the near question');
    expect(await inView(page, original)).toBe(false);
    await bubble(page, 'answer to near')
      .getByRole('button', { name: /the near question/ })
      .click();
    await expect.poll(() => inView(page, original)).toBe(true);
    expect(await original.getAttribute('class')).toContain('flash');
    expect(await original.evaluate((el) => el.matches(':focus'))).toBe(true);

    // Not loaded but within a few pages: older history loads until it is there.
    expect(await own(page, 'the middle question').count()).toBe(0);
    await bubble(page, 'answer to middle')
      .getByRole('button', { name: /the middle question/ })
      .click();
    const middleBubble = own(page, 'the middle question');
    await middleBubble.waitFor();
    await expect.poll(() => inView(page, middleBubble)).toBe(true);
    expect(await middleBubble.evaluate((el) => el.matches(':focus'))).toBe(true);

    // Too far back: said politely, nothing jumps.
    await bubble(page, 'answer to ancient')
      .getByRole('button', { name: /the ancient question/ })
      .click();
    await page
      .getByRole('status')
      .getByText('The message this answers is too far back to show here.')
      .waitFor({ timeout: 30_000 });
    expect(await own(page, 'the ancient question').count()).toBe(0);
    await dao.client.close();
    await page.context().close();
  }, 120_000);
});

describe.runIf(run)('the "New messages" line', () => {
  it('opens a room at the first unread message under a line, which is gone once read and reopened', async () => {
    const page = await open();
    await login(page, 'Ploy');
    const dao = await bot(chat.server.url, 'dao3', 'news');
    await dao.room.send('old news');
    await page.getByRole('textbox', { name: 'Join or create a room' }).fill('news');
    await page.getByRole('textbox', { name: 'Join or create a room' }).press('Enter');
    await bubble(page, 'old news').waitFor();
    // A room joined just now has no line: its history is not news to anyone.
    expect(await page.locator('.unread-line').count()).toBe(0);

    const key = await page.evaluate(() => localStorage.getItem('kuykan.key'));
    const other = new KuykanClient(chat.server.url, { name: 'Ploy', key: key!, reconnect: false });
    await other.connect();
    const readUpTo = (seq: number) =>
      new Promise<void>((resolve) =>
        other.on('read', ({ room, seq: at }) => {
          if (room === 'news' && at >= seq) resolve();
        }),
      );

    await roomButton(page, /# lobby/).click();
    await page.getByRole('banner').getByText('# lobby').waitFor();
    await flood(dao.room, 'fresh', 40, 10);
    await roomButton(page, /# news/)
      .getByRole('img', { name: '40 unread' })
      .waitFor();

    await roomButton(page, /# news/).click();
    const line = page.getByRole('log').getByRole('separator', { name: 'New messages' });
    await line.waitFor();
    const first = bubble(page, 'fresh 1');
    // The line sits right above the first unread message, and the room opens there.
    expect(await line.evaluate((el) => (el.nextElementSibling as HTMLElement).dataset.id)).toBe(
      await first.getAttribute('data-id'),
    );
    expect(await inView(page, line)).toBe(true);
    expect(await inView(page, first)).toBe(true);
    expect(await inView(page, bubble(page, 'fresh 40'))).toBe(false);

    // Reading to the bottom moves the marker; the line stays while the room is open…
    const read = readUpTo(dao.room.seq);
    await page.getByRole('log').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await read;
    expect(await line.count()).toBe(1);
    // …and is gone when it opens again, at the bottom.
    await roomButton(page, /# lobby/).click();
    await page.getByRole('banner').getByText('# lobby').waitFor();
    await roomButton(page, /# news/).click();
    await page.getByRole('banner').getByText('# news').waitFor();
    await bubble(page, 'fresh 40').waitFor();
    expect(await line.count()).toBe(0);
    await expect.poll(() => inView(page, bubble(page, 'fresh 40'))).toBe(true);
    await other.close();
    await dao.client.close();
    await page.context().close();
  }, 60_000);
});
