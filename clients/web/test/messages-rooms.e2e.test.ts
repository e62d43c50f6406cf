import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { bot, COMPOSER, login, openPage, type PageOptions, say, useChat } from './e2e-helpers.js';

const chat = useChat();
const run = chat.run;

async function open(options: PageOptions = {}): Promise<Page> {
  const page = await openPage(chat.browser, chat.server.httpUrl, options);
  page.setDefaultTimeout(8000);
  return page;
}
const composer = (page: Page) => page.getByRole('textbox', { name: COMPOSER });
const joinRoom = async (page: Page, room: string) => {
  const field = page.getByRole('navigation').getByRole('textbox', { name: /Join or create a room/ });
  await field.fill(room);
  await field.press('Enter');
  await page.getByRole('banner').getByText(`# ${room}`).waitFor();
};

describe.runIf(run)('web messages', () => {
  it('renders markdown-lite and safe links as elements, with initials avatars, day separators and hover times', async () => {
    const { client, room } = await bot(chat.server.url, 'Mark Down', 'markup');
    const page = await open();
    await login(page, 'reader');
    await joinRoom(page, 'markup');
    await room.send(
      '**bold** _it_ ~~gone~~ `a *b*` see https://example.com/x or javascript:alert(1)\n> quoted\n```\nblock *x*\n```',
    );
    await room.send('second line of the group');
    const log = page.getByRole('log');
    await log.getByText('second line of the group').waitFor();
    expect(await log.locator('strong').filter({ hasText: 'bold' }).count()).toBe(1);
    expect(await log.locator('em').filter({ hasText: 'it' }).count()).toBe(1);
    expect(await log.locator('s').filter({ hasText: 'gone' }).count()).toBe(1);
    expect(await log.locator('p code').first().textContent()).toBe('a *b*');
    expect(await log.locator('blockquote').textContent()).toBe('quoted');
    expect(await log.locator('pre').textContent()).toBe('block *x*');
    const link = log.getByRole('link', { name: 'https://example.com/x' });
    await link.waitFor(); // linkify-it arrives just after the first paint
    expect(await link.getAttribute('href')).toBe('https://example.com/x');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await log.getByRole('link').count()).toBe(1); // javascript: stays text

    expect(await log.locator('.avatar').first().textContent()).toBe('MD');
    await log.getByRole('separator').getByText('Today').waitFor();
    // The second message of a group shows its time only on hover.
    const second = log.locator('.msg').filter({ hasText: 'second line of the group' });
    const side = second.locator('.side time');
    expect(await side.evaluate((el) => getComputedStyle(el.parentElement!).opacity)).toBe('0');
    await second.hover();
    await expect.poll(() => side.evaluate((el) => getComputedStyle(el.parentElement!).opacity)).toBe('1');
    expect(await side.getAttribute('title')).toMatch(/\d{4}/);
    await client.close();
  });
});

describe.runIf(run)('web mentions and attention', () => {
  it('counts unread messages and mentions per room and in the title, highlights and notifies mentions while hidden', async () => {
    const page = await open();
    await page.context().grantPermissions(['notifications']);
    await page.evaluate(() => {
      const shown: string[] = [];
      (window as unknown as { shown: string[] }).shown = shown;
      const Real = window.Notification;
      window.Notification = class extends Real {
        constructor(title: string, options?: NotificationOptions) {
          super(title, options);
          shown.push(title);
        }
      } as typeof Notification;
    });
    await login(page, 'mina');
    const { client, room } = await bot(chat.server.url, 'pinger', 'side');
    await joinRoom(page, 'side');
    await page
      .getByRole('navigation')
      .getByRole('button', { name: /# lobby/ })
      .click();
    // Version 2: a mention travels with the message, as the composer sends it, and the server counts it [MENTION-1].
    await room.send('hello @mina, look', { mentions: ['mina'] });
    await room.send('and one more');
    const side = page.getByRole('navigation').getByRole('button', { name: /# side/ });
    await side.getByRole('img', { name: '1 mention of you' }).waitFor();
    await side.getByRole('img', { name: '2 unread' }).waitFor();
    await expect.poll(() => page.title()).toBe('(2 · @1) Kuykan · คุยกัน');

    const setHidden = (hidden: boolean) =>
      page.evaluate((value) => {
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => value });
        document.dispatchEvent(new Event('visibilitychange'));
      }, hidden);
    await setHidden(true);
    await room.send('@mina are you there?', { mentions: ['mina'] });
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { shown: string[] }).shown))
      .toEqual(['pinger mentioned you in #side']);
    // The switch turns them off.
    await page.getByRole('button', { name: 'Notifications' }).click();
    expect(await page.getByRole('button', { name: 'Notifications' }).getAttribute('aria-pressed')).toBe('false');
    await room.send('@mina hello again', { mentions: ['mina'] });
    await side.getByRole('img', { name: '3 mentions of you' }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { shown: string[] }).shown)).toHaveLength(1);
    await setHidden(false);

    await side.click();
    await expect.poll(() => page.title()).toBe('Kuykan · คุยกัน');
    const mentioned = page.getByRole('log').locator('.msg.mentioned');
    expect(await mentioned.count()).toBe(3);
    expect(await mentioned.first().locator('.mention.me').textContent()).toBe('@mina');
    await client.close();
  });
});

describe.runIf(run)('web rooms', () => {
  it('keeps per-room drafts and the joined rooms across a reload, signed in again, and leaves a room', async () => {
    const page = await open();
    await login(page, 'roomy');
    await joinRoom(page, 'alpha');
    await composer(page).fill('half typed');
    await page
      .getByRole('navigation')
      .getByRole('button', { name: /# lobby/ })
      .click();
    expect(await composer(page).inputValue()).toBe('');
    await page
      .getByRole('navigation')
      .getByRole('button', { name: /# alpha/ })
      .click();
    expect(await composer(page).inputValue()).toBe('half typed');

    await page.reload();
    await page.getByRole('banner').getByText('# alpha').waitFor();
    expect(
      await page
        .getByRole('navigation')
        .getByRole('button', { name: /# lobby/ })
        .count(),
    ).toBe(1);
    await expect.poll(() => composer(page).inputValue()).toBe('half typed');

    await page.getByRole('button', { name: 'Leave #alpha' }).click();
    await page.getByRole('banner').getByText('# lobby').waitFor();
    expect(
      await page
        .getByRole('navigation')
        .getByRole('button', { name: /# alpha/ })
        .count(),
    ).toBe(0);
    await page.reload();
    await page.getByRole('banner').getByText('# lobby').waitFor();
    expect(
      await page
        .getByRole('navigation')
        .getByRole('button', { name: /# alpha/ })
        .count(),
    ).toBe(0);
    // The last room cannot be left: there is no empty screen to fall into.
    expect(await page.getByRole('button', { name: /Leave #/ }).count()).toBe(0);
  });

  it('finds rooms in the directory, joins one, and creates a new one from the search', async () => {
    const { client } = await bot(chat.server.url, 'host', 'gamma-lounge');
    const page = await open();
    await login(page, 'explorer');
    await page.getByRole('button', { name: 'Browse rooms' }).click();
    const dialog = page.getByRole('dialog', { name: 'Browse rooms' });
    await dialog.getByRole('button', { name: /# gamma-lounge/ }).waitFor();
    await dialog.getByRole('searchbox', { name: 'Search rooms' }).fill('gam');
    expect(await dialog.getByRole('button', { name: /# lobby/ }).count()).toBe(0);
    await dialog.getByRole('button', { name: /# gamma-lounge.*1 online/ }).click();
    await page.getByRole('banner').getByText('# gamma-lounge').waitFor();
    await dialog.waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Browse rooms' }).click();
    await dialog.getByRole('searchbox', { name: 'Search rooms' }).fill('brand-new');
    await dialog.getByText('No rooms match.').waitFor();
    await dialog.getByRole('button', { name: 'Create #brand-new' }).click();
    await page.getByRole('banner').getByText('# brand-new').waitFor();
    await say(page, 'first!');
    await page.getByRole('log').getByText('first!').waitFor();

    await page.getByRole('button', { name: 'Browse rooms' }).click();
    // The dialog opens once its element has rendered: an Escape before that closes nothing.
    await dialog.getByRole('searchbox', { name: 'Search rooms' }).waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await client.close();
  });
});
