/**
 * Protocol v2 in a real terminal, end to end against a real v2 server: two
 * terminal clients (ploy and nok) and SDK clients select, reply, react,
 * edit, delete, mention, open direct rooms and read; bots are marked.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { KuykanClient } from '@kuykan/sdk';
import { type RunningServer, startServer } from '@kuykan/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributesAt, Tmux, tmuxAvailable } from './tmux.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const run = tmuxAvailable();
const tmux = new Tmux();
let server: RunningServer;
const clients: KuykanClient[] = [];

beforeAll(async () => {
  if (!run) return;
  if (!existsSync(CLI)) throw new Error('clients/tui/dist/cli.js is missing: run npm run build');
  server = await startServer({
    port: 0,
    host: '127.0.0.1',
    store: 'memory',
    logLevel: 'silent',
    limits: { maxTextLength: 10_000 },
  });
});
afterAll(async () => {
  if (!run) return;
  tmux.kill();
  for (const client of clients) await client.close();
  await server?.close();
});

const tui = (name: string, room: string, extra = '') =>
  `${process.execPath} ${CLI} ${server.url} --name ${name} --key key-${name} --room ${room} ${extra}`;

async function sdk(name: string, options: { bot?: boolean } = {}): Promise<KuykanClient> {
  const client = new KuykanClient(server.url, { name, key: `key-${name}`, ...options });
  await client.connect();
  clients.push(client);
  return client;
}

/** Types a line and presses Enter. */
function say(session: string, text: string): void {
  tmux.type(session, text);
  tmux.keys(session, 'Enter');
}

/** The attributes where `text` starts on the screen (see attributesAt). */
function attributes(session: string, text: string): string[] {
  for (const row of tmux.styled(session).split('\n')) {
    const found = attributesAt(row, text);
    if (found) return [...found].sort();
  }
  return [];
}

/** The rows of a screen, the row holding `text` and the one after it. */
function rowsFrom(screen: string, text: string, count = 2): string[] {
  const rows = screen.split('\n');
  const at = rows.findIndex((row) => row.includes(text));
  return at === -1 ? [] : rows.slice(at, at + count);
}

describe.runIf(run)('protocol v2 under tmux', () => {
  it('selects a message with Alt+Up, highlights it, and replies with its quote above', async () => {
    tmux.start('ploy', tui('ploy', 'lobby'), 100, 30);
    await tmux.waitFor('ploy', (s) => s.includes('as ploy'), 'ploy logged in');
    tmux.start('nok', tui('nok', 'lobby'), 100, 30);
    await tmux.waitFor('ploy', (s) => s.includes('nok joined'), 'both in the lobby');
    say('nok', 'the original question');
    await tmux.waitFor('ploy', (s) => s.includes('the original question'), 'the question at ploy');

    tmux.keys('ploy', 'M-Up');
    const selecting = await tmux.waitFor('ploy', (s) => s.includes('r reply'), 'the selection keys');
    expect(selecting).toMatch(/r reply ~ e edit ~ d delete ~ \+ react/);
    // The selected message is drawn inverse (SGR 7): its text and the rest of its line.
    expect(attributes('ploy', 'the original question')).toContain('inverse');
    expect(attributes('ploy', 'nok joined')).not.toContain('inverse');
    tmux.type('ploy', 'r');
    await tmux.waitFor('ploy', (s) => s.includes('reply to nok'), 'reply mode');
    say('ploy', 'the answer');
    for (const session of ['ploy', 'nok']) {
      const screen = await tmux.waitFor(session, (s) => s.includes('ploy: the answer'), `the reply at ${session}`);
      const [quote, reply] = rowsFrom(screen, '↱ nok: the original question');
      expect(quote, screen).toBeDefined();
      expect(reply).toMatch(/ploy: the answer/);
    }
    expect(tmux.screen('ploy')).not.toContain('reply to nok');
  });

  it('reacts with +:emoji: to the newest message and with + and the picker to the selected one', async () => {
    say('nok', '+:tada:');
    for (const session of ['ploy', 'nok']) {
      const screen = await tmux.waitFor(session, (s) => s.includes('🎉 1'), `the reaction at ${session}`);
      expect(rowsFrom(screen, 'ploy: the answer')[1]).toContain('🎉 1');
    }
    tmux.keys('ploy', 'M-Up');
    tmux.keys('ploy', 'M-Up');
    await tmux.waitFor('ploy', (s) => s.includes('r reply'), 'the selection');
    tmux.type('ploy', '+');
    await tmux.waitFor('ploy', (s) => s.includes('▏'), 'the picker');
    tmux.type('ploy', 'thumbsup');
    await tmux.waitFor('ploy', (s) => s.includes(':+1:') || s.includes(':thumbsup:'), 'the search');
    tmux.keys('ploy', 'Enter');
    const screen = await tmux.waitFor('nok', (s) => s.includes('👍 1'), 'the thumbs up at nok');
    expect(rowsFrom(screen, 'nok: the original question')[1]).toContain('👍 1');
    // My own reaction is marked (cyan, bold) at ploy, not at nok.
    expect(attributes('ploy', '👍 1')).toEqual(expect.arrayContaining(['bold', 'fg:6']));
    expect(attributes('nok', '👍 1')).not.toContain('bold');
    tmux.keys('ploy', 'Escape');
    await tmux.waitFor('ploy', (s) => !s.includes('r reply'), 'the selection ended');
  });

  it('edits my last message with Up in an empty input, and the reply quoting it follows', async () => {
    tmux.keys('nok', 'Up');
    const editing = await tmux.waitFor('nok', (s) => s.includes('editing your message'), 'edit mode');
    expect(editing).toMatch(/editing your message.*\n.*the original question/);
    tmux.keys('nok', 'C-u');
    say('nok', 'the better question');
    for (const session of ['ploy', 'nok']) {
      const screen = await tmux.waitFor(
        session,
        (s) => s.includes('the better question (edited)'),
        `the edit at ${session}`,
      );
      // REPLY-3: the quote shows the original's new text.
      expect(screen).toContain('↱ nok: the better question');
      expect(screen).not.toContain('the original question');
    }
  });

  it('deletes a message of mine only after y, leaving a tombstone and a deleted quote', async () => {
    tmux.keys('nok', 'M-Up', 'M-Up');
    await tmux.waitFor('nok', (s) => s.includes('r reply'), 'the selection');
    tmux.type('nok', 'd');
    await tmux.waitFor('nok', (s) => s.includes('delete this message? y/n'), 'the question');
    tmux.type('nok', 'n');
    await tmux.waitFor('nok', (s) => !s.includes('delete this message?'), 'no deletion');
    expect(tmux.screen('nok')).toContain('the better question (edited)');
    tmux.keys('nok', 'M-Up', 'M-Up');
    await tmux.waitFor('nok', (s) => s.includes('r reply'), 'the selection again');
    tmux.type('nok', 'd');
    await tmux.waitFor('nok', (s) => s.includes('delete this message? y/n'), 'the question again');
    tmux.type('nok', 'y');
    for (const session of ['ploy', 'nok']) {
      const screen = await tmux.waitFor(session, (s) => s.includes('(message deleted)'), `the tombstone at ${session}`);
      expect(screen).toContain('↱ nok: (deleted)');
      expect(screen).not.toContain('better question');
      expect(screen).not.toContain('👍 1');
    }
  });

  it('refuses to edit or delete the message of someone else, saying why', async () => {
    tmux.keys('nok', 'M-Up');
    await tmux.waitFor('nok', (s) => s.includes('r reply'), 'the selection of ploy’s answer');
    tmux.type('nok', 'e');
    await tmux.waitFor('nok', (s) => s.includes('you can only edit your own messages'), 'the refusal');
  });

  it('highlights a mention of me, counts it in the room list, and rings the bell only when asked', async () => {
    say('ploy', '/join side');
    await tmux.waitFor('ploy', (s) => /lq #side q/.test(s), 'ploy in #side');
    expect(tmux.display('ploy', '#{window_bell_flag}')).toBe('0');
    say('nok', 'hey @PLOY, look');
    await tmux.waitFor('ploy', (s) => s.includes('#lobby (1 @1)'), 'the mention counted');
    expect(tmux.display('ploy', '#{window_bell_flag}')).toBe('0');
    say('ploy', '/bell on');
    await tmux.waitFor('ploy', (s) => s.includes('the bell rings'), 'the bell on');
    say('nok', 'again @ploy');
    await tmux.waitFor('ploy', (s) => s.includes('#lobby (2 @2)'), 'the second mention');
    await waitForBell('ploy');
    tmux.keys('ploy', 'C-p');
    await tmux.waitFor('ploy', (s) => /lq #lobby q/.test(s) && s.includes('again @ploy'), 'the lobby');
    // @ploy in black on yellow, the rest of the text as it was.
    expect(attributes('ploy', '@PLOY,')).toEqual(expect.arrayContaining(['fg:0', 'bg:3']));
    expect(attributes('ploy', ', look')).not.toContain('bg:3');
    const screen = tmux.screen('ploy');
    // The read marker: the two messages that came while ploy was in #side are new.
    const rows = screen.split('\n');
    const marker = rows.findIndex((r) => / new q/.test(r));
    expect(marker, screen).toBeGreaterThan(-1);
    expect(rows.findIndex((r) => r.includes('hey @PLOY'))).toBe(marker + 1);
    say('ploy', '/bell off');
  });

  it('opens a direct room with /dm; it appears at the other side with its count', async () => {
    say('nok', '/dm ploy');
    await tmux.waitFor('nok', (s) => /lq @ploy q/.test(s), 'the direct room at nok');
    say('nok', 'psst, just us');
    const listed = await tmux.waitFor('ploy', (s) => s.includes('@nok (1 @1)'), 'the direct room at ploy');
    expect(listed).not.toContain('psst');
    // Rooms in join order: #lobby (open), #side, @nok; Ctrl+P wraps around to the last.
    tmux.keys('ploy', 'C-p');
    const opened = await tmux.waitFor('ploy', (s) => s.includes('psst, just us'), 'the direct room open');
    expect(opened).toMatch(/lq @nok q/);
    expect(opened).toMatch(/ new q/);
  });

  it('shows the read marker where I left off on the next run (the server keeps it)', async () => {
    tmux.keys('ploy', 'C-c');
    const bot = await sdk('dao');
    const lobby = await bot.join('lobby');
    await lobby.send('while ploy was away');
    tmux.start('ploy2', tui('ploy', 'lobby'), 100, 30);
    const screen = await tmux.waitFor('ploy2', (s) => s.includes('while ploy was away'), 'ploy back');
    const rows = screen.split('\n');
    const marker = rows.findIndex((r) => / new q/.test(r));
    expect(marker, screen).toBeGreaterThan(-1);
    expect(rows[marker + 1]).toContain('while ploy was away');
    expect(rows.slice(0, marker).join('\n')).toContain('again @ploy');
  });

  it('marks bots in the log and the users list', async () => {
    const bot = await sdk('helper', { bot: true });
    const lobby = await bot.join('lobby');
    await lobby.send('beep, I am a bot');
    const screen = await tmux.waitFor('ploy2', (s) => s.includes('beep, I am a bot'), 'the bot message');
    expect(screen).toMatch(/helper bot: beep, I am a bot/);
    expect(screen).toMatch(/● helper bot/);
  });

  it('quotes a hostile 10,000-character message on one line, clipped, with the cursor and title untouched', async () => {
    const attacker = await sdk('mallory');
    const lobby = await attacker.join('lobby');
    const hostile = `\u202Eevil\u202C {bold}x{/bold} ${'ยาว👍🏽'.repeat(3000)}`.slice(0, 10_000);
    const { messageId } = await lobby.send(hostile);
    await lobby.send('reply to this', { replyTo: messageId });
    const screen = await tmux.waitFor('ploy2', (s) => s.includes('reply to this'), 'the reply');
    const [quote, reply] = rowsFrom(screen, '↱ mallory:');
    expect(reply).toContain('mallory: reply to this');
    expect(quote).toContain('evil {bold}x{/bold} ยาว👍🏽');
    expect(quote).toContain('…');
    const rows = tmux.rows('ploy2');
    expect(await tmux.measure(rows)).toEqual(rows.map(() => 100));
    expect(tmux.display('ploy2', '#{pane_title}')).not.toContain('evil');
    // The cursor is in the input: column 17 (rooms pane 16, border 1), row 27.
    expect(tmux.display('ploy2', '#{cursor_x} #{cursor_y}')).toBe('17 27');
  });
});

/** Waits until tmux saw a bell in the session's window. */
async function waitForBell(session: string): Promise<void> {
  await tmux.waitFor(session, () => tmux.display(session, '#{window_bell_flag}') === '1', 'the bell', 5000);
}
