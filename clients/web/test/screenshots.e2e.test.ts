/**
 * The README's pictures: a short conversation that shows what the client is for (a reply with its
 * quote, reactions, an edit, an inline image, a bot, a mention of the viewer, a direct room and an
 * unread room), played by SDK users and watched by one browser user, in English and in Thai.
 */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KuykanClient, type Room } from '@kuykan/sdk';
import type { RunningServer } from '@kuykan/server';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launch } from './browser.js';
import { bot, login, openPage, type PageOptions, SCREENSHOTS, say, serve } from './e2e-helpers.js';

// Rewritten only on request (UPDATE_SCREENSHOTS=1); otherwise the same shots go to a temporary
// folder, so a test run leaves the working tree clean.
const screenshots = process.env.UPDATE_SCREENSHOTS ? SCREENSHOTS : mkdtempSync(join(tmpdir(), 'kuykan-shots-'));
const run = chromiumAvailable();
let browser: Browser;

beforeAll(async () => {
  if (run) browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** One picture's script: who speaks, in which rooms, saying what, and the UI's words to look for. */
interface Scene {
  me: string;
  friends: [string, string];
  bot: string;
  room: string;
  /** A room the viewer has joined but is not reading: it gets an unread badge. */
  busy: string;
  photoName: string;
  photo: string;
  train: string;
  trainFixed: string;
  forecast: string;
  /** Answers the photo and mentions the viewer (after `@name `). */
  camera: string;
  mine: string;
  busyLines: string[];
  /** The first friend's direct message to the viewer. */
  secret: string;
  unread: string;
  joinRoom: string;
}

const SCENES: Record<'en' | 'th', Scene> = {
  en: {
    me: 'Nok',
    friends: ['Ploy', 'Tom'],
    bot: 'weather',
    room: 'trip',
    busy: 'design',
    photoName: 'balcony.png',
    photo: 'Guesthouse booked 🏡 the view!',
    train: 'Train booked: Friday 18:00 🚆',
    trainFixed: 'Train booked: Friday **18:30** 🚆',
    forecast: '☀️ This weekend: 31 °C, clear',
    camera: 'bring your camera 📷',
    mine: 'Deal 📸 see you on the train!',
    busyLines: ['New logo drafts are up', 'Feedback by Monday please 🙏', 'v3 looks great'],
    secret: 'psst… a birthday cake for Tom? 🎂',
    unread: '3 unread',
    joinRoom: 'Join or create a room',
  },
  th: {
    me: 'น้ำ',
    friends: ['มะลิ', 'สมชาย'],
    bot: 'พยากรณ์อากาศ',
    room: 'ทริปเชียงใหม่',
    busy: 'งานออกแบบ',
    photoName: 'ระเบียง.png',
    photo: 'จองเกสต์เฮาส์ใกล้คูเมืองแล้ว 🏡 ดูวิวจากระเบียงสิ',
    train: 'จองตั๋วรถไฟแล้วนะ ศุกร์ 18:00 🚆',
    trainFixed: 'จองตั๋วรถไฟแล้วนะ ศุกร์ **18:30** 🚆',
    forecast: '☀️ เสาร์–อาทิตย์นี้ 31 °C ฟ้าโปร่ง',
    camera: 'อย่าลืมเอากล้องไปถ่ายวิวนี้ด้วยนะ 📷',
    mine: 'ได้เลย 📸 เจอกันที่สถานีวันศุกร์!',
    busyLines: ['อัปโหลดโลโก้แบบใหม่แล้ว', 'ขอความเห็นภายในวันจันทร์นะคะ 🙏', 'แบบที่ 3 สวยมาก'],
    secret: 'แอบถามหน่อย ซื้อเค้กวันเกิดให้สมชายดีไหม 🎂',
    unread: 'ยังไม่ได้อ่าน 3',
    joinRoom: 'เข้าหรือสร้างห้อง',
  },
};

/** A 600×200 sunset over hills, drawn here so the repository carries no binary fixture. */
function sunset(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="200">
    <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#3b2a6b"/><stop offset="0.55" stop-color="#e0607e"/><stop offset="1" stop-color="#ffb36b"/>
    </linearGradient></defs>
    <rect width="600" height="200" fill="url(#sky)"/>
    <circle cx="390" cy="128" r="38" fill="#ffe29a"/>
    <path d="M0 140 Q100 85 200 130 T400 128 T600 118 V200 H0Z" fill="#8a3f6e"/>
    <path d="M0 168 Q130 130 270 162 T600 150 V200 H0Z" fill="#5a2a5c"/>
    <path d="M0 188 Q160 170 320 185 T600 180 V200 H0Z" fill="#33193f"/>
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

const bubble = (page: Page, text: string) => page.getByRole('log').locator('.msg').filter({ hasText: text });
const roomButton = (page: Page, name: string) => page.getByRole('navigation').getByRole('button', { name });

/** Waits until fonts and every inline image have loaded, and nothing is hovered. */
async function settle(page: Page): Promise<void> {
  await page.mouse.move(0, 0);
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await expect
    .poll(() =>
      page
        .getByRole('log')
        .locator('img')
        .evaluateAll((images) => images.every((img) => (img as HTMLImageElement).complete)),
    )
    .toBe(true);
}

/**
 * Plays `scene` on `server`: the friends talk first, the viewer joins, then a busy room and a
 * direct message arrive, and the viewer reacts and (if `answer`) answers. Returns the viewer's page, ready to
 * shoot, and the SDK users, to close after the shot (closing earlier would add "left" notices).
 */
async function stagePage(
  server: RunningServer,
  scene: Scene,
  photo: Buffer,
  options: PageOptions,
  answer: boolean,
): Promise<{ page: Page; cast: KuykanClient[] }> {
  const [first, second] = scene.friends;
  const a = await bot(server.url, first, scene.room);
  const b = await bot(server.url, second, scene.room);
  const designRoom = await b.client.join(scene.busy);
  const forecaster = new KuykanClient(server.url, { name: scene.bot, bot: true, reconnect: false });
  await forecaster.connect();
  const weather: Room = await forecaster.join(scene.room);

  const shared = await b.room.sendFile(photo, { name: scene.photoName, type: 'image/png', text: scene.photo });
  await a.room.react(shared.messageId, '😍');
  await a.room.react(shared.messageId, '🔥');
  const train = await a.room.send(scene.train);
  await a.room.edit(train.messageId, scene.trainFixed);
  await weather.send(scene.forecast);
  await a.room.send(`@${scene.me} ${scene.camera}`, { replyTo: shared.messageId, mentions: [scene.me] });

  const page = await openPage(browser, server.httpUrl, options);
  page.setDefaultTimeout(15_000);
  await login(page, scene.me);
  for (const room of [scene.busy, scene.room]) {
    await page.getByRole('textbox', { name: scene.joinRoom }).fill(room);
    await page.getByRole('textbox', { name: scene.joinRoom }).press('Enter');
    await page.getByRole('banner').getByText(`# ${room}`).waitFor();
  }
  for (const line of scene.busyLines) await designRoom.send(line);
  const direct = await a.client.directRoom(scene.me);
  await direct.send(scene.secret);

  // The version 2 parts are on screen before the picture is taken.
  const view = bubble(page, scene.photo).first(); // the photo; the reply quoting it comes after
  const image = view.getByRole('img', { name: scene.photoName });
  await expect
    .poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
    .toBeGreaterThan(0);
  const fire = view.getByRole('button', { name: /^🔥 1/ });
  await fire.click();
  await view.getByRole('button', { name: /^🔥 2/ }).waitFor();
  expect(await view.getByRole('button', { name: /^🔥 2/ }).getAttribute('aria-pressed')).toBe('true');
  await bubble(page, '18:30').locator('.edited').waitFor();
  await bubble(page, scene.forecast).locator('.bot').waitFor();
  const camera = bubble(page, scene.camera);
  expect(await camera.getByRole('note').textContent()).toContain(scene.photo);
  expect(await camera.getAttribute('class')).toContain('mentioned');
  await roomButton(page, `# ${scene.busy}`).getByRole('img', { name: scene.unread }).waitFor();
  await roomButton(page, `@${first}`).getByRole('img').first().waitFor();

  if (answer) {
    await say(page, scene.mine);
    await bubble(page, scene.mine).locator('time').first().waitFor();
  }
  // No focus ring (composer) or focus highlight (the chip's message) in the picture.
  await page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    (active as HTMLElement | null)?.blur();
  });
  // On the phone the list's top is cut: start the picture at the photo's author rather than mid-line
  // (the list's bottom padding leaves room for that; on a wide screen it is already in view).
  await view.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await settle(page);
  return { page, cast: [a.client, b.client, forecaster] };
}

describe.runIf(run)('README screenshots', () => {
  it('shows a version 2 conversation in light, dark, Thai, a 360 px phone and the Thai emoji search', async () => {
    mkdirSync(screenshots, { recursive: true });
    const photo = await sunset();
    // The phone leaves out the viewer's answer, so the photo still fits above the fold.
    const shots: Array<[string, Scene, PageOptions, boolean]> = [
      ['light', SCENES.en, { colorScheme: 'light' }, true],
      ['dark', SCENES.en, { colorScheme: 'dark' }, true],
      ['thai', SCENES.th, { colorScheme: 'light', locale: 'th-TH' }, true],
      ['phone', SCENES.en, { width: 360, height: 740, colorScheme: 'light' }, false],
    ];
    for (const [name, scene, options, answer] of shots) {
      // A server per picture, so each shows one conversation and its own viewer.
      const server = await serve();
      try {
        const { page, cast } = await stagePage(server, scene, photo, options, answer);
        await page.screenshot({ path: `${screenshots}/${name}.png` });
        expect(existsSync(`${screenshots}/${name}.png`)).toBe(true);
        if (name === 'thai') {
          await page.getByRole('button', { name: 'อีโมจิ', exact: true }).click();
          await page.getByRole('searchbox', { name: 'ค้นหาอีโมจิ' }).fill('แมว');
          await page.getByRole('button', { name: 'แมว', exact: true }).waitFor();
          await settle(page);
          await page.screenshot({ path: `${screenshots}/picker.png` });
          expect(existsSync(`${screenshots}/picker.png`)).toBe(true);
        }
        await page.context().close();
        await Promise.all(cast.map((client) => client.close()));
      } finally {
        await server.close();
      }
    }
  }, 180_000);
});
