/** The app model as the terminal draws it: counts in the room list, drafts per room, paging back to the floor. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { KuykanClient } from '@kuykan/sdk';
import { type RunningServer, startServer } from '@kuykan/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeys, REDIS_URL, redisMissing, testPrefix } from '../../../server/test/redis.js';
import { Tmux, tmuxAvailable } from './tmux.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const run = tmuxAvailable();
const tmux = new Tmux();
const closers: Array<() => Promise<void> | void> = [];

beforeAll(() => {
  if (run && !existsSync(CLI)) throw new Error('clients/tui/dist/cli.js is missing: run npm run build');
});
afterAll(async () => {
  if (!run) return;
  tmux.kill();
  for (const close of closers.reverse()) await close();
});

const tui = (server: RunningServer, name: string, room: string) =>
  `${process.execPath} ${CLI} ${server.url} --name ${name} --room ${room}`;

async function user(server: RunningServer, name: string): Promise<KuykanClient> {
  const client = new KuykanClient(server.url, { name });
  await client.connect();
  closers.push(() => client.close());
  return client;
}

/** The room list's rows (left pane, between its borders). */
const roomRows = (screen: string) => screen.split('\n').map((row) => /^x([^x]*)x/.exec(row)?.[1]?.trimEnd() ?? '');

/** Presses PageUp until `check` passes (each press may load a page, which must arrive before the next counts). */
async function pageUpUntil(session: string, check: (screen: string) => boolean, what: string): Promise<string> {
  for (let i = 0; i < 10; i++) {
    tmux.keys(session, 'PageUp');
    try {
      return await tmux.waitFor(session, check, what, 1500);
    } catch {
      // Not there yet: another page up.
    }
  }
  return tmux.waitFor(session, check, what, 1);
}

describe.runIf(run)('app model under tmux', () => {
  it('counts unread messages and mentions of me per room, and clears them when the room opens', async () => {
    const server = await startServer({ port: 0, host: '127.0.0.1', store: 'memory', logLevel: 'silent' });
    closers.push(() => server.close());
    tmux.start('counts', tui(server, 'ploy', 'lobby'), 90, 20);
    await tmux.waitFor('counts', (s) => s.includes('as ploy'), 'login');
    tmux.type('counts', '/join news');
    tmux.keys('counts', 'Enter');
    await tmux.waitFor('counts', (s) => /lq #news q/.test(s), 'news open');

    const dao = await user(server, 'dao');
    const lobby = await dao.join('lobby');
    await lobby.send('hi');
    // Version 2: a message mentions whom its list names [MENTION-1] (the terminal fills it from @name).
    await lobby.send('@PLOY look', { mentions: ['PLOY'] });
    await lobby.send('mail@ploy is no mention');
    const counted = await tmux.waitFor('counts', (s) => s.includes('(3 @1)'), 'three unread, one mention');
    expect(roomRows(counted)).toContain('#lobby (3 @1)');
    // The room open now counts nothing: its messages are read as they arrive.
    await (await dao.join('news')).send('seen at once');
    await tmux.waitFor('counts', (s) => s.includes('seen at once'), 'the message in the open room');
    expect(roomRows(tmux.screen('counts'))).toContain('#news');

    tmux.keys('counts', 'C-p');
    const opened = await tmux.waitFor('counts', (s) => /lq #lobby q/.test(s) && s.includes('mail@ploy'), 'lobby open');
    expect(roomRows(opened)).toContain('#lobby');
    expect(opened).not.toContain('(3');
  });

  it('keeps what was typed with its room when another room opens', async () => {
    tmux.type('counts', 'half a thought');
    tmux.keys('counts', 'C-n');
    const news = await tmux.waitFor('counts', (s) => /lq #news q/.test(s), 'news open');
    expect(news).not.toContain('half a thought');
    tmux.keys('counts', 'C-p');
    await tmux.waitFor('counts', (s) => /lq #lobby q/.test(s) && s.includes('half a thought'), 'the draft back');
    tmux.keys('counts', 'C-u');
  });

  it('says where a room starts, and that the server dropped older messages when paging reaches its floor', async () => {
    if (await redisMissing('terminal retention floor')) return;
    const prefix = testPrefix();
    const server = await startServer({
      port: 0,
      host: '127.0.0.1',
      store: 'redis',
      redisUrl: REDIS_URL,
      redisPrefix: prefix,
      historyLength: 20,
      logLevel: 'silent',
      limits: { maxRecoverable: 10, joinRecent: 10, historyPageMax: 10, sendRate: 1000, sendBurst: 1000 },
    });
    closers.push(async () => {
      await server.close();
      await deleteKeys(REDIS_URL, prefix);
    });
    const bot = await user(server, 'bot');
    const old = await bot.join('old');
    for (let i = 1; i <= 40; i++) await old.send(`line ${i}`);
    await (await bot.join('whole')).send('only line');

    tmux.start('floor', tui(server, 'reader', 'whole'), 80, 24);
    const whole = await tmux.waitFor('floor', (s) => s.includes('only line'), 'the whole room');
    expect(whole).toMatch(/start of #whole/);

    tmux.type('floor', '/join old');
    tmux.keys('floor', 'Enter');
    const latest = await tmux.waitFor('floor', (s) => s.includes('line 40'), 'the latest ten');
    expect(latest).not.toMatch(/start of|removed/);
    const top = await pageUpUntil('floor', (s) => s.includes('the server dropped older messages'), 'the floor');
    // Retention kept the newest 20: line 21 is the oldest there is, and nothing claims to be the start.
    expect(top).toMatch(/line 21\b/);
    expect(top).not.toMatch(/line 20\b|start of #old/);
  }, 60_000);
});
