import type { RunningServer } from '@kuykan/server';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launch } from './browser.js';
import { bot, COMPOSER, login, openPage, serve } from './e2e-helpers.js';

const run = chromiumAvailable();
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  if (!run) return;
  // A small quota, so the second large file is refused with QUOTA_EXCEEDED.
  server = await serve({ files: { maxUploadBytes: 200_000, uploadQuotaBytes: 250_000 } });
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(): Promise<Page> {
  const page = await openPage(browser, server.httpUrl);
  page.setDefaultTimeout(15_000);
  return page;
}
const log = (page: Page) => page.getByRole('log');

/** A 640×480 PNG, made here so the test carries no binary fixture. */
function png(): Promise<Buffer> {
  return sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 200, g: 40, b: 90 } } })
    .png()
    .toBuffer();
}

describe.runIf(run)('attachments in the web client', () => {
  it('sends a picked image and a file: the image inline at its thumbnail size, the file as a download link', async () => {
    const page = await open();
    await login(page, 'Nok');
    const dao = await bot(server.url, 'dao');
    const received: string[] = [];
    dao.room.on('message', ({ message }) => {
      for (const file of message.attachments ?? []) received.push(`${file.name} ${file.mediaType}`);
    });

    await page.locator('kk-composer input[type=file]').setInputFiles([
      { name: 'cat.png', mimeType: 'image/png', buffer: await png() },
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello, files\n') },
    ]);
    const image = log(page).getByRole('img', { name: 'cat.png' });
    await image.waitFor();
    // Space is reserved from the attachment's size before the bytes arrive: 640×480 shown as 320×240.
    expect(await image.getAttribute('width')).toBe('320');
    expect(await image.getAttribute('height')).toBe('240');
    await expect
      .poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBeGreaterThan(0);
    const link = log(page).getByRole('link', { name: /Download notes\.txt \(13 B\)/ });
    await link.waitFor();
    expect(await link.getAttribute('href')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(await link.textContent()).toContain('13 B');
    await expect.poll(() => received.sort()).toEqual(['cat.png image/png', 'notes.txt text/plain']);

    // Others' files show the same way, and a hostile name is only text.
    await dao.room.sendFile(new TextEncoder().encode('x'), { name: '<img src=x onerror=alert(1)>.txt' });
    await log(page)
      .getByRole('link', { name: /Download <img src=x onerror=alert\(1\)>\.txt/ })
      .waitFor();
    expect(await log(page).locator('img[src="x"]').count()).toBe(0);
    expect((page as Page & { dialogs: string[] }).dialogs).toEqual([]);

    await dao.client.close();
    await page.context().close();
  }, 60_000);

  it('takes files dropped on the room and pasted into the composer', async () => {
    const page = await open();
    await login(page, 'Ploy');
    const files = async (name: string, text: string) =>
      page.evaluateHandle(
        ([fileName, body]) => {
          const transfer = new DataTransfer();
          transfer.items.add(new File([body!], fileName!, { type: 'text/plain' }));
          return transfer;
        },
        [name, text],
      );
    const dropped = await files('dropped.txt', 'dropped here');
    await page.locator('main').dispatchEvent('dragover', { dataTransfer: dropped });
    await page.getByText('Drop files to send them to # lobby').waitFor();
    await page.locator('main').dispatchEvent('drop', { dataTransfer: dropped });
    await log(page)
      .getByRole('link', { name: /Download dropped\.txt/ })
      .waitFor();
    expect(await page.getByText('Drop files to send them').count()).toBe(0);

    const pasted = await files('pasted.txt', 'pasted here');
    await page.getByRole('textbox', { name: COMPOSER }).evaluate((field, clipboardData) => {
      field.dispatchEvent(new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true }));
    }, pasted);
    await log(page)
      .getByRole('link', { name: /Download pasted\.txt/ })
      .waitFor();
    await page.context().close();
  }, 60_000);

  it('shows an upload going out with its progress, and Cancel stops it', async () => {
    const page = await open();
    await login(page, 'Slow');
    // A slow uplink, so the upload is still going when we look.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 30_000,
    });
    await page.locator('kk-composer input[type=file]').setInputFiles({
      name: 'slow.bin',
      mimeType: 'application/octet-stream',
      buffer: Buffer.alloc(150_000, 3),
    });
    const row = page.locator('kk-uploads li').filter({ hasText: 'slow.bin' });
    await row.getByText(/^Uploading slow\.bin: \d+%$/).waitFor();
    const bar = row.getByRole('progressbar');
    await expect.poll(() => bar.evaluate((el: HTMLProgressElement) => el.value)).toBeGreaterThan(0);
    expect(await bar.evaluate((el: HTMLProgressElement) => el.max)).toBe(150_000);
    await row.getByRole('button', { name: 'Cancel' }).click();
    await row.waitFor({ state: 'detached' });

    // Nothing was sent: a message written afterwards is the last one, with no file before it.
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    await page.getByRole('textbox', { name: COMPOSER }).fill('after the cancel');
    await page.getByRole('textbox', { name: COMPOSER }).press('Enter');
    await log(page).locator('.msg').filter({ hasText: 'after the cancel' }).locator('time').first().waitFor();
    expect(
      await log(page)
        .getByRole('link', { name: /slow\.bin/ })
        .count(),
    ).toBe(0);
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.context().close();
  }, 60_000);

  it('says why a file was refused: too large before uploading, the quota from the server; Dismiss clears it', async () => {
    const page = await open();
    await login(page, 'Malee');
    const input = page.locator('kk-composer input[type=file]');
    await input.setInputFiles({
      name: 'huge.bin',
      mimeType: 'application/octet-stream',
      buffer: Buffer.alloc(300_000),
    });
    await page.getByRole('alert').getByText('huge.bin was not sent: The file is too large (at most 195 KB).').waitFor();
    const tooLarge = page.locator('kk-uploads li').filter({ hasText: 'huge.bin' });
    await tooLarge.getByRole('button', { name: 'Dismiss' }).click();
    await tooLarge.waitFor({ state: 'detached' });

    await input.setInputFiles({
      name: 'first.bin',
      mimeType: 'application/octet-stream',
      buffer: Buffer.alloc(150_000, 1),
    });
    await log(page)
      .getByRole('link', { name: /Download first\.bin/ })
      .waitFor();
    await input.setInputFiles({
      name: 'second.bin',
      mimeType: 'application/octet-stream',
      buffer: Buffer.alloc(150_000, 2),
    });
    await page.getByRole('alert').filter({ hasText: 'second.bin was not sent: Your storage is full' }).waitFor();
    await page.context().close();
  }, 60_000);
});
