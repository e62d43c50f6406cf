/** Shared steps for the end-to-end files: a server serving dist/, pages, login, sending. */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Limits } from '@kuykan/protocol';
import { KuykanClient, type Room } from '@kuykan/sdk';
import { type RunningServer, type ServerOptions, startServer } from '@kuykan/server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { chromiumAvailable, launch } from './browser.js';

export const DIST = fileURLToPath(new URL('../dist', import.meta.url));
export const SCREENSHOTS = fileURLToPath(new URL('../../../docs/screenshots', import.meta.url));

/** The UI follows the browser language, so these match both English and Thai. */
export const NAME_FIELD = /Your name|ชื่อของคุณ/;
export const START = /Start chatting|เริ่มคุย/;
export const COMPOSER = /Message #|พิมพ์ข้อความ/;

export type ServeOptions = {
  limits?: Partial<Limits>;
  dataDir?: string;
  port?: number;
  files?: ServerOptions['files'];
};

/** Starts a server serving the built client; `port` restarts one where an earlier one listened. */
export async function serve(options: ServeOptions = {}): Promise<RunningServer> {
  if (!existsSync(`${DIST}/index.html`)) throw new Error('clients/web/dist is missing: run npm run build');
  return startServer({
    port: options.port ?? 0,
    host: '127.0.0.1',
    store: options.dataDir ? 'sqlite' : 'memory',
    dataDir: options.dataDir ?? mkdtempSync(join(tmpdir(), 'kuykan-web-')),
    logLevel: 'silent',
    webRoot: DIST,
    limits: { presenceGraceMs: 300, ...options.limits },
    ...(options.files ? { files: options.files } : {}),
  });
}

export interface PageOptions {
  width?: number;
  height?: number;
  colorScheme?: 'light' | 'dark';
  locale?: string;
  /** Reuse a context (same localStorage: another tab of the same browser). */
  context?: BrowserContext;
}

/** Opens the client in a fresh context (or a new tab of `options.context`); records dialogs on `page.dialogs`. */
export async function openPage(browser: Browser, url: string, options: PageOptions = {}): Promise<Page> {
  const context =
    options.context ??
    (await browser.newContext({
      viewport: { width: options.width ?? 1100, height: options.height ?? 700 },
      colorScheme: options.colorScheme ?? 'light',
      locale: options.locale ?? 'en-US',
    }));
  const page = await context.newPage();
  const dialogs: string[] = [];
  (page as Page & { dialogs: string[] }).dialogs = dialogs;
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(url);
  return page;
}

export async function login(page: Page, name: string): Promise<void> {
  await page.getByLabel(NAME_FIELD).fill(name);
  await page.getByRole('button', { name: START }).click();
  await page.getByRole('log').waitFor();
}

export async function say(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: COMPOSER }).fill(text);
  await page.getByRole('textbox', { name: COMPOSER }).press('Enter');
}

/** An SDK user (a bot) in `room`. */
export async function bot(
  url: string,
  name: string,
  roomName = 'lobby',
): Promise<{ client: KuykanClient; room: Room }> {
  const client = new KuykanClient(url, { name, reconnect: false });
  await client.connect();
  return { client, room: await client.join(roomName) };
}

/** Sends `count` messages `${prefix} ${n}` (n from 1), a batch of acks at a time. */
export async function flood(room: Room, prefix: string, count: number, batch = 50): Promise<void> {
  for (let start = 1; start <= count; start += batch) {
    const sends: Promise<unknown>[] = [];
    for (let n = start; n < start + batch && n <= count; n++) sends.push(room.send(`${prefix} ${n}`));
    await Promise.all(sends);
  }
}

/** A test file's server and Chromium (see {@link useChat}). */
export interface Chat {
  /** Whether Chromium is here: the file's suites run only then. */
  readonly run: boolean;
  readonly server: RunningServer;
  readonly browser: Browser;
}

/**
 * One server serving the built client and one Chromium for a test file:
 * started before its tests (when Chromium is here), closed after them.
 */
export function useChat(options: ServeOptions = {}): Chat {
  const chat = { run: chromiumAvailable() } as { run: boolean; server: RunningServer; browser: Browser };
  beforeAll(async () => {
    if (!chat.run) return;
    chat.server = await serve(options);
    chat.browser = await launch();
  });
  afterAll(async () => {
    await chat.browser?.close();
    await chat.server?.close();
  });
  return chat;
}
