import { KuykanClient } from '@kuykan/sdk';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { bot, login, openPage, useChat } from './e2e-helpers.js';

const chat = useChat();
const run = chat.run;

async function open(): Promise<Page> {
  const page = await openPage(chat.browser, chat.server.httpUrl);
  page.setDefaultTimeout(15_000);
  return page;
}
const rooms = (page: Page) => page.getByRole('navigation');
const roomButton = (page: Page, name: RegExp) => rooms(page).getByRole('button', { name });

describe.runIf(run)('direct rooms and read markers', () => {
  it('opens a direct room from the users list; the other side gets it with unread and mention badges', async () => {
    const nok = await open();
    await login(nok, 'Nok');
    const tom = await open();
    await login(tom, 'Tom');

    await nok.getByRole('complementary').getByRole('button', { name: 'Message Tom directly' }).click();
    await nok.getByRole('banner').getByText('@Tom').waitFor();
    await roomButton(nok, /@Tom/).waitFor();
    await nok.getByRole('textbox', { name: /Message @Tom/ }).fill('psst, lunch?');
    await nok.getByRole('textbox', { name: /Message @Tom/ }).press('Enter');
    await nok.getByRole('log').getByText('psst, lunch?').waitFor();

    // Tom was not in the room: it appears with the server's counts (every message of the other member mentions me).
    const dm = roomButton(tom, /@Nok/);
    await dm.waitFor();
    await dm.getByRole('img', { name: '1 unread' }).waitFor();
    await dm.getByRole('img', { name: '1 mention of you' }).waitFor();
    await dm.click();
    await tom.getByRole('log').getByText('psst, lunch?').waitFor();
    expect(await dm.getByRole('img').count()).toBe(0);
    await tom.getByRole('textbox', { name: /Message @Nok/ }).fill('sure');
    await tom.getByRole('textbox', { name: /Message @Nok/ }).press('Enter');
    await nok.getByRole('log').getByText('sure').waitFor();
    expect(await roomButton(nok, /#/).count()).toBe(1); // the lobby, and the direct room shown by its peer
    // A reload joins it again, still by its peer, open where it was.
    await nok.reload();
    await nok.getByRole('banner').getByText('@Tom').waitFor();
    await nok.getByRole('log').getByText('sure').waitFor();
    await roomButton(nok, /@Tom/).waitFor();
    await nok.context().close();
    await tom.context().close();
  }, 60_000);

  it('lists mentions in rooms not joined: one joins the room, another is dismissed', async () => {
    const page = await open();
    await login(page, 'Mali');
    const kitchen = await bot(chat.server.url, 'cook', 'kitchen');
    const garden = await bot(chat.server.url, 'gardener', 'garden');
    await kitchen.room.send('@Mali lunch is ready', { mentions: ['Mali'] });
    await garden.room.send('@Mali the roses are out', { mentions: ['Mali'] });
    const invites = page.getByRole('navigation').getByRole('list', { name: 'Mentions in other rooms' });
    await invites.getByRole('button', { name: '# garden · gardener mentioned you' }).waitFor();
    await invites.getByRole('button', { name: '# kitchen · cook mentioned you' }).click();
    await page.getByRole('banner').getByText('# kitchen').waitFor();
    await page.getByRole('log').getByText('lunch is ready').waitFor();
    expect(await invites.getByRole('button', { name: /kitchen/ }).count()).toBe(0);
    await invites.getByRole('button', { name: 'Dismiss the mention in #garden' }).click();
    await invites.waitFor({ state: 'detached' });
    await kitchen.client.close();
    await garden.client.close();
    await page.context().close();
  }, 60_000);

  it('counts unread messages from the server after a reload, and a read room stays read', async () => {
    const page = await open();
    await login(page, 'Ploy');
    const nav = rooms(page);
    await nav.getByRole('textbox', { name: 'Join or create a room' }).fill('news');
    await nav.getByRole('textbox', { name: 'Join or create a room' }).press('Enter');
    await page.getByRole('banner').getByText('# news').waitFor();
    await roomButton(page, /# lobby/).click();
    await page.getByRole('banner').getByText('# lobby').waitFor();

    const dao = await bot(chat.server.url, 'dao', 'news');
    await dao.room.send('one');
    await dao.room.send('two');
    await dao.room.send('@Ploy three', { mentions: ['Ploy'] });
    await roomButton(page, /# news/)
      .getByRole('img', { name: '3 unread' })
      .waitFor();

    // A reload shows what the server counted (the messages came with the join, not live).
    await page.reload();
    const news = roomButton(page, /# news/);
    await news.getByRole('img', { name: '3 unread' }).waitFor();
    await news.getByRole('img', { name: '1 mention of you' }).waitFor();

    // Reading the room moves the marker on the server (another session of Ploy's sees it move),
    // so after another reload, with the lobby open, nothing in news is unread.
    const key = await page.evaluate(() => localStorage.getItem('kuykan.key'));
    const other = new KuykanClient(chat.server.url, { name: 'Ploy', key: key!, reconnect: false });
    await other.connect();
    const marked = new Promise<number>((resolve) =>
      other.on('read', ({ room, seq }) => {
        if (room === 'news') resolve(seq);
      }),
    );
    await news.click();
    await page.getByRole('log').getByText('three').waitFor();
    expect(await marked).toBe(3);
    await roomButton(page, /# lobby/).click();
    await page.getByRole('banner').getByText('# lobby').waitFor();
    await page.reload();
    await page.getByRole('banner').getByText('# lobby').waitFor();
    await roomButton(page, /# news/).waitFor();
    expect(
      await roomButton(page, /# news/)
        .getByRole('img')
        .count(),
    ).toBe(0);
    await other.close();
    await dao.client.close();
    await page.context().close();
  }, 60_000);
});
