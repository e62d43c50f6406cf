import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { bot, login, openPage, useChat } from './e2e-helpers.js';

const chat = useChat({ files: { maxUploadBytes: 200_000 } });
const run = chat.run;

async function open(name: string): Promise<Page> {
  const page = await openPage(chat.browser, chat.server.httpUrl);
  page.setDefaultTimeout(15_000);
  await login(page, name);
  return page;
}
const log = (page: Page) => page.getByRole('log');

/** A PNG larger than the 320 px thumbnail, made here so the test carries no binary fixture. */
function png(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 30, g: 120, b: 200 } } })
    .png()
    .toBuffer();
}

/** Serious and critical axe-core violations (WCAG 2.x A and AA rules), as in axe-a11y.e2e.test.ts. */
async function violations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' > ')).join(', ')}`);
}

/** The lightbox's dialog (in its own element's shadow root; Playwright pierces it). */
const lightbox = (page: Page) => page.locator('kk-lightbox dialog');

describe.runIf(run)('the image lightbox', () => {
  it('opens the full image by mouse and by keyboard, with the name as caption and a download link; Escape, Close and the backdrop close it', async () => {
    const page = await open('Anan');
    const chunks: string[] = [];
    page.on('request', (request) => {
      if (/kk-lightbox/.test(request.url())) chunks.push(request.url());
    });
    const name = 'sunset <img src=x onerror=alert(1)>.png';
    await page.locator('kk-composer input[type=file]').setInputFiles({
      name,
      mimeType: 'image/png',
      buffer: await png(1600, 1000),
    });
    const opener = log(page).getByRole('button', { name: `Open image ${name}` });
    await opener.waitFor();
    // The lightbox, its code included, is not part of the page until an image is opened.
    expect(await page.locator('kk-lightbox').count()).toBe(0);
    expect(chunks).toEqual([]);
    expect(await violations(page), 'image button').toEqual([]);

    await opener.click();
    const dialog = lightbox(page);
    await dialog.waitFor();
    expect(await dialog.evaluate((d: HTMLDialogElement) => d.open && d.matches(':modal'))).toBe(true);
    const full = dialog.getByRole('img', { name });
    // The full image, not the 320 px thumbnail.
    await expect.poll(() => full.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1600);
    const thumb = await opener.locator('img').getAttribute('src');
    expect(await full.getAttribute('src')).not.toBe(thumb);
    // Fitted to the 1100×700 viewport, proportions kept.
    const box = (await full.boundingBox())!;
    expect(box.width).toBeLessThanOrEqual(1100);
    expect(box.height).toBeLessThanOrEqual(700);
    expect(await full.evaluate((img) => getComputedStyle(img).objectFit)).toBe('contain');
    // The hostile name is only text.
    expect(await dialog.locator('figcaption .name').textContent()).toBe(name);
    expect(await dialog.locator('img[src="x"]').count()).toBe(0);
    const download = dialog.getByRole('link', { name: 'Download' });
    expect(await download.getAttribute('href')).toBe(await full.getAttribute('src'));
    expect(await download.getAttribute('download')).toBe(name);
    expect(chunks).toHaveLength(1);
    expect(await violations(page), 'lightbox').toEqual([]);

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => opener.evaluate((el) => el.matches(':focus'))).toBe(true);

    // By keyboard: Enter on the focused image, then the Close button; Space, then the backdrop.
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => opener.evaluate((el) => el.matches(':focus'))).toBe(true);
    await page.keyboard.press(' ');
    await dialog.waitFor();
    await page.mouse.click(5, 5);
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => opener.evaluate((el) => el.matches(':focus'))).toBe(true);
    expect((page as Page & { dialogs: string[] }).dialogs).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('names the image button and the lightbox in Thai', async () => {
    const page = await openPage(chat.browser, chat.server.httpUrl, { locale: 'th-TH', colorScheme: 'dark' });
    page.setDefaultTimeout(15_000);
    await login(page, 'Ploy');
    await page.locator('kk-composer input[type=file]').setInputFiles({
      name: 'แมว.png',
      mimeType: 'image/png',
      buffer: await png(400, 300),
    });
    await log(page).getByRole('button', { name: 'เปิดรูป แมว.png' }).click();
    await lightbox(page).getByRole('link', { name: 'ดาวน์โหลด' }).waitFor();
    expect(await violations(page), 'lightbox, Thai, dark').toEqual([]);
    await lightbox(page).getByRole('button', { name: 'ปิด' }).click();
    await lightbox(page).waitFor({ state: 'hidden' });
    await page.context().close();
  }, 60_000);
});

describe.runIf(run)('retrying a failed upload', () => {
  it('offers Retry after a network failure, and Retry sends the same file once', async () => {
    const page = await open('Malee');
    const dao = await bot(chat.server.url, 'dao');
    const received: string[] = [];
    dao.room.on('message', ({ message }) => {
      for (const file of message.attachments ?? []) received.push(`${file.name} ${file.size}`);
    });
    // The first PUT of the bytes fails on the network; later ones go through.
    let puts = 0;
    await page.route('**/files/upload**', (route) => {
      puts += 1;
      return puts === 1 ? route.abort('connectionreset') : route.continue();
    });

    await page.locator('kk-composer input[type=file]').setInputFiles({
      name: 'report.bin',
      mimeType: 'application/octet-stream',
      buffer: Buffer.alloc(120_000, 7),
    });
    const row = page.locator('kk-uploads li').filter({ hasText: 'report.bin' });
    await row.getByRole('alert').waitFor();
    expect(await row.getByRole('button').allTextContents()).toEqual(['Retry', 'Dismiss']);

    await row.getByRole('button', { name: 'Retry' }).click();
    // The same entry shows its progress again, then leaves the list once sent.
    await row.getByRole('progressbar').waitFor();
    await row.waitFor({ state: 'detached' });
    await log(page)
      .getByRole('link', { name: /Download report\.bin/ })
      .waitFor();
    await expect.poll(() => received).toEqual(['report.bin 120000']);
    expect(puts).toBe(2);
    expect(
      await log(page)
        .getByRole('link', { name: /report\.bin/ })
        .count(),
    ).toBe(1);
    await dao.client.close();
    await page.context().close();
  }, 60_000);

  it('offers Retry when the server is unavailable (HTTP 503) or rate-limits, not when the file is too large', async () => {
    const page = await open('Somchai');
    let unavailable = true;
    await page.route('**/files/upload**', (route) =>
      unavailable ? route.fulfill({ status: 503, body: 'down for maintenance' }) : route.continue(),
    );
    const input = page.locator('kk-composer input[type=file]');
    await input.setInputFiles({ name: 'later.txt', mimeType: 'text/plain', buffer: Buffer.from('later') });
    const later = page.locator('kk-uploads li').filter({ hasText: 'later.txt' });
    await later.getByRole('alert').waitFor();
    unavailable = false;
    await later.getByRole('button', { name: 'Retry' }).click();
    await log(page)
      .getByRole('link', { name: /Download later\.txt/ })
      .waitFor();

    // A rate limit: Retry waits out retryAfterMs, then sends.
    let limited = true;
    await page.route('**/files/upload**', (route) =>
      limited
        ? route.fulfill({
            status: 429,
            contentType: 'application/json',
            body: JSON.stringify({ code: 400, message: 'slow down', retryAfterMs: 300 }),
          })
        : route.continue(),
    );
    await input.setInputFiles({ name: 'busy.txt', mimeType: 'text/plain', buffer: Buffer.from('busy') });
    const busy = page.locator('kk-uploads li').filter({ hasText: 'busy.txt' });
    await busy.getByRole('alert').waitFor();
    limited = false;
    await busy.getByRole('button', { name: 'Retry' }).click();
    await log(page)
      .getByRole('link', { name: /Download busy\.txt/ })
      .waitFor();

    // Refusals that would only repeat: the server's own code in the body, or the status alone.
    const refusals = [
      { name: 'full.bin', status: 413, body: JSON.stringify({ code: 319, message: 'quota exceeded' }) },
      { name: 'bad.bin', status: 400, body: 'bad request' },
    ];
    for (const refusal of refusals) {
      await page.route('**/files/upload**', (route) => route.fulfill({ status: refusal.status, body: refusal.body }));
      await input.setInputFiles({ name: refusal.name, mimeType: 'text/plain', buffer: Buffer.from('no') });
      const row = page.locator('kk-uploads li').filter({ hasText: refusal.name });
      await row.getByRole('alert').waitFor();
      expect(await row.getByRole('button').allTextContents(), refusal.name).toEqual(['Dismiss']);
    }
    expect(await page.locator('kk-uploads li').filter({ hasText: 'full.bin' }).textContent()).toContain(
      'Your storage is full',
    );

    await input.setInputFiles({
      name: 'huge.bin',
      mimeType: 'application/octet-stream',
      buffer: Buffer.alloc(300_000),
    });
    const huge = page.locator('kk-uploads li').filter({ hasText: 'huge.bin' });
    await huge.getByText('huge.bin was not sent: The file is too large').waitFor();
    expect(await huge.getByRole('button').allTextContents()).toEqual(['Dismiss']);
    await page.context().close();
  }, 60_000);
});
