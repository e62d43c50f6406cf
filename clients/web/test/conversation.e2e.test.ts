import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningServer } from '@kuykan/server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launch } from './browser.js';
import { COMPOSER, login, openPage, type PageOptions, serve } from './e2e-helpers.js';

const run = chromiumAvailable();
const dataDir = mkdtempSync(join(tmpdir(), 'kuykan-web-talk-'));
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  if (!run) return;
  server = await serve({ dataDir });
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(options: PageOptions): Promise<Page> {
  const page = await openPage(browser, server.httpUrl, options);
  page.setDefaultTimeout(10_000);
  return page;
}
const composer = (page: Page) => page.getByRole('textbox', { name: COMPOSER });
const bubble = (page: Page, text: string) => page.getByRole('log').locator('.msg').filter({ hasText: text });

describe.runIf(run)('a conversation between a Thai and an English user', () => {
  it('mentions, shortcodes, a reply, a reaction, an edit, a deletion, a direct room, a new room, a reload and a server restart, each side in its own language', async () => {
    const malee = await open({ locale: 'th-TH' });
    await login(malee, 'มาลี');
    const tom = await open({ locale: 'en-GB' });
    await login(tom, 'Tom');

    // Tom mentions Malee by completing her name.
    await composer(tom).pressSequentially('hi @มา');
    await tom.getByRole('option', { name: /มาลี/ }).waitFor();
    await tom.keyboard.press('Tab');
    await tom.keyboard.type('**welcome** :wave:');
    await tom.keyboard.press('Enter');
    const toMalee = bubble(malee, 'welcome');
    await toMalee.locator('strong').getByText('welcome').waitFor();
    expect(await toMalee.getAttribute('class')).toContain('mentioned');
    expect(await toMalee.locator('.mention.me').textContent()).toBe('@มาลี');
    expect(await toMalee.textContent()).toContain('👋');

    // Malee answers in Thai with a shortcode; Tom sees his mention and the emoji.
    await composer(malee).fill('@Tom สวัสดีค่ะ :thumbsup: ยินดีที่ได้รู้จัก');
    await composer(malee).press('Enter');
    const toTom = bubble(tom, 'สวัสดีค่ะ');
    await toTom.waitFor();
    expect(await toTom.getAttribute('class')).toContain('mentioned');
    expect(await toTom.textContent()).toContain('สวัสดีค่ะ 👍 ยินดีที่ได้รู้จัก');

    // Version 2. Tom answers her message from its toolbar; Malee sees the quote and follows it.
    await toTom.hover();
    await toTom.getByRole('button', { name: /Reply/ }).click();
    await tom
      .getByRole('status')
      .getByText(/Replying to มาลี/)
      .waitFor();
    await composer(tom).fill('nice to meet you too');
    await composer(tom).press('Enter');
    const answer = bubble(malee, 'nice to meet you too');
    await answer.getByRole('note', { name: 'ตอบกลับ มาลี' }).waitFor();
    expect(await answer.getByRole('note').textContent()).toContain('สวัสดีค่ะ');
    await answer.getByRole('button', { name: /สวัสดีค่ะ/ }).click();
    const mine = bubble(malee, 'ยินดีที่ได้รู้จัก').first();
    await expect.poll(() => mine.evaluate((el) => el.matches(':focus'))).toBe(true);

    // Malee reacts to the answer from the toolbar (Thai labels); Tom sees her reaction, not pressed.
    await malee.mouse.move(0, 0); // the pointer was over the answer already: come back to it
    await answer.hover();
    await answer.getByRole('button', { name: 'แสดงความรู้สึกด้วย 🎉' }).click();
    const chip = bubble(tom, 'nice to meet you too').getByRole('button', { name: /^🎉 1, by มาลี/ });
    await chip.waitFor();
    expect(await chip.getAttribute('aria-pressed')).toBe('false');

    // Tom edits his answer with ↑ in the empty composer; Malee sees the new text marked in Thai.
    await composer(tom).press('ArrowUp');
    expect(await composer(tom).inputValue()).toBe('nice to meet you too');
    await composer(tom).fill('nice to meet you too, มาลี');
    await composer(tom).press('Enter');
    await bubble(malee, 'nice to meet you too, มาลี').locator('.edited').getByText('(แก้ไขแล้ว)').waitFor();
    expect(await bubble(malee, 'nice to meet you too, มาลี').getByRole('button', { name: /^🎉 1/ }).count()).toBe(1);

    // Malee deletes a message sent by mistake (asked first, in Thai); Tom sees a tombstone.
    await composer(malee).fill('ส่งผิดห้อง');
    await composer(malee).press('Enter');
    await bubble(tom, 'ส่งผิดห้อง').waitFor();
    const slip = bubble(malee, 'ส่งผิดห้อง');
    await malee.getByRole('log').getByText('กำลังส่ง…').waitFor({ state: 'detached' });
    await slip.hover();
    await slip.getByRole('button', { name: /ลบ/ }).click();
    await slip.getByRole('group', { name: 'ลบข้อความนี้ไหม?' }).getByRole('button', { name: 'ลบ' }).click();
    await bubble(tom, 'ส่งผิดห้อง').waitFor({ state: 'detached' });
    await tom.getByRole('log').getByText('message deleted').waitFor();
    await malee.getByRole('log').getByText('ข้อความถูกลบแล้ว').waitFor();

    // Tom writes to Malee directly; the room comes to her with its badge, named by its peer.
    await tom.getByRole('complementary').getByRole('button', { name: 'Message มาลี directly' }).click();
    await tom.getByRole('banner').getByText('@มาลี').waitFor();
    await tom.getByRole('textbox', { name: /Message @มาลี/ }).fill('just between us 🤫');
    await tom.getByRole('textbox', { name: /Message @มาลี/ }).press('Enter');
    const direct = malee.getByRole('navigation').getByRole('button', { name: /@Tom/ });
    await direct.getByRole('img', { name: 'ยังไม่ได้อ่าน 1' }).waitFor();
    await direct.click();
    await bubble(malee, 'just between us').waitFor();
    await malee
      .getByRole('navigation')
      .getByRole('button', { name: /# lobby/ })
      .click();
    await malee.getByRole('banner').getByText('# lobby').waitFor();

    // Each side labels the day in its own language.
    await malee.getByRole('log').getByRole('separator').getByText('วันนี้').waitFor();
    await tom.getByRole('log').getByRole('separator').getByText('Today').waitFor();

    // Malee opens a new room; Tom finds it in the directory.
    const nav = malee.getByRole('navigation');
    await nav.getByRole('textbox', { name: 'เข้าหรือสร้างห้อง' }).fill('ห้องลับ');
    await nav.getByRole('textbox', { name: 'เข้าหรือสร้างห้อง' }).press('Enter');
    await malee.getByRole('banner').getByText('# ห้องลับ').waitFor();
    await composer(malee).fill('ห้องนี้เงียบดีนะ');
    await composer(malee).press('Enter');
    await tom.getByRole('button', { name: 'Browse rooms' }).click();
    await tom
      .getByRole('dialog')
      .getByRole('button', { name: /# ห้องลับ/ })
      .click();
    await bubble(tom, 'ห้องนี้เงียบดีนะ').waitFor();

    // Malee reloads: signed in again, in the same room, with its history, in Thai.
    await malee.reload();
    await malee.getByRole('banner').getByText('# ห้องลับ').waitFor();
    await bubble(malee, 'ห้องนี้เงียบดีนะ').waitFor();
    expect(await malee.getByLabel('ชื่อของคุณ').count()).toBe(0);

    // The server restarts: both reconnect, catch up, and say so in their language.
    const port = Number(new URL(server.httpUrl).port);
    await server.close();
    await malee
      .getByRole('status')
      .getByText(/กำลังเชื่อมต่อใหม่/)
      .waitFor();
    await composer(tom).fill('did you get this after the restart?');
    await composer(tom).press('Enter');
    server = await serve({ dataDir, port });
    await malee.getByRole('status').getByText('กลับมาออนไลน์แล้ว').waitFor({ timeout: 45_000 });
    await bubble(malee, 'did you get this after the restart?').waitFor({ timeout: 45_000 });
    await malee.getByRole('log').getByText('เชื่อมต่อใหม่แล้ว').first().waitFor();
    await tom.getByRole('log').getByText('Reconnected.').first().waitFor();
    expect(await bubble(tom, 'did you get this after the restart?').count()).toBe(1);
    expect(await bubble(malee, 'did you get this after the restart?').count()).toBe(1);
    // What version 2 changed survived the restart: the edit, the reaction, the tombstone.
    await tom
      .getByRole('navigation')
      .getByRole('button', { name: /# lobby/ })
      .click();
    const edited = bubble(tom, 'nice to meet you too, มาลี');
    await edited.locator('.edited').waitFor();
    expect(await edited.getByRole('button', { name: /^🎉 1/ }).count()).toBe(1);
    expect(await bubble(tom, 'ส่งผิดห้อง').count()).toBe(0);
  }, 180_000);
});
