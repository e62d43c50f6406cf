/** Layout in a real terminal: word wrapping, whole clusters, fallbacks, the cursor, attributes, long messages. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { KuykanClient } from '@kuykan/sdk';
import { type RunningServer, startServer } from '@kuykan/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tmux, tmuxAvailable } from './tmux.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const run = tmuxAvailable();
const tmux = new Tmux();
let server: RunningServer;
const MAX_TEXT = 200;

beforeAll(async () => {
  if (!run) return;
  if (!existsSync(CLI)) throw new Error('clients/tui/dist/cli.js is missing: run npm run build');
  server = await startServer({
    port: 0,
    host: '127.0.0.1',
    store: 'memory',
    logLevel: 'silent',
    limits: { maxTextLength: MAX_TEXT },
  });
});
afterAll(async () => {
  if (!run) return;
  tmux.kill();
  await server?.close();
});

const tui = (name: string, room: string) => `${process.execPath} ${CLI} ${server.url} --name ${name} --room ${room}`;

/** The message pane's text on each row (between its borders), for rows of a 60-column terminal. */
function paneRows(screen: string): string[] {
  return screen.split('\n').map((row) => /^x[^x]*xx(.*?)\s*x/.exec(row)?.[1] ?? '');
}

async function send(room: string, from: string, text: string): Promise<void> {
  const client = new KuykanClient(server.url, { name: from });
  await client.connect();
  await (await client.join(room)).send(text);
  await client.close();
}

describe.runIf(run)('layout under tmux', () => {
  it('wraps Thai at word boundaries at 60 columns, keeps 👍🏽 whole and indents under the text', async () => {
    tmux.start('wrap', tui('wrapper', 'wrap'), 60, 20);
    await tmux.waitFor('wrap', (s) => s.includes('as wrapper'), 'login');
    const thai = 'ข้อความเก่าญี่ปุ่นข้อความเก่าญี่ปุ่นภาษาไทยไม่มีการเว้นวรรคข้อความเก่าญี่ปุ่นสวัสดีครับ';
    await send('wrap', 'ploy', `${thai} ${'👍🏽'.repeat(12)}`);
    const screen = await tmux.waitFor('wrap', (s) => s.includes('ploy:'), 'the message');
    const rows = paneRows(screen);
    const first = rows.findIndex((r) => r.includes('ploy: '));
    const lines = [rows[first]!.slice(rows[first]!.indexOf('ploy: ') + 6)];
    for (let i = first + 1; rows[i]?.startsWith(' '); i++) {
      // Continuation lines start under the text: `HH:MM ploy: ` is 12 columns.
      expect(rows[i]!.match(/^ */)![0].length, screen).toBe(12);
      lines.push(rows[i]!.trim());
    }
    expect(lines.length, screen).toBeGreaterThan(2);
    // Every break falls on a word boundary of the text, found by the same segmenter a reader would use.
    const text = `${thai} ${'👍🏽'.repeat(12)}`;
    const boundaries = new Set(
      [...new Intl.Segmenter('th', { granularity: 'word' }).segment(text)].map((s) => s.index),
    );
    let at = 0;
    for (const line of lines.slice(0, -1)) {
      at = text.indexOf(line, at) + line.length;
      while (text[at] === ' ') at++;
      const inEmoji = text.slice(at).startsWith('👍🏽') && text.slice(0, at).endsWith('👍🏽');
      expect(boundaries.has(at) || inEmoji, `break at ${at} in ${lines.join(' / ')}`).toBe(true);
    }
    for (const line of lines) expect(line.match(/👍/g)?.length ?? 0).toBe(line.match(/🏽/g)?.length ?? 0);
    expect(lines.join('')).toContain('ข้อความเก่า');
  });

  it('shows a long Thai message with ten 👍🏽 at once on both screens', async () => {
    tmux.start('long-a', tui('longa', 'long'), 100, 30);
    tmux.start('long-b', tui('longb', 'long'), 60, 20);
    await tmux.waitFor('long-a', (s) => s.includes('longb'), 'both in the room');
    const message = `ภาษาไทยเป็นภาษาที่ไม่มีการเว้นวรรคระหว่างคำทำให้การตัดคำเป็นเรื่องยากสำหรับโปรแกรมคอมพิวเตอร์หลายโปรแกรม${'👍🏽'.repeat(10)}`;
    tmux.type('long-a', message);
    tmux.keys('long-a', 'Enter');
    // No other event arrives to redraw either screen: the message must show by itself.
    await tmux.waitFor('long-a', (s) => s.includes('หลายโปรแกรม👍🏽'), 'the message at its sender', 5000);
    await tmux.waitFor('long-b', (s) => s.includes('👍🏽👍🏽'), 'the message at the other side', 5000);
    for (const [session, width] of [
      ['long-a', 100],
      ['long-b', 60],
    ] as const) {
      const rows = tmux.rows(session);
      expect(await tmux.measure(rows), rows.join('\n')).toEqual(rows.map(() => width));
    }
  });

  it('refuses a message over the server limit with the reason on screen and keeps the text', async () => {
    tmux.type('long-a', 'ยาว'.repeat(67));
    tmux.keys('long-a', 'Enter');
    const screen = await tmux.waitFor('long-a', (s) => s.includes('not sent'), 'the refusal');
    expect(screen.replace(/\s*xx\s*x?\n\S*\s*xx\s*/g, ' ')).toContain(
      `not sent: the message is ${MAX_TEXT + 1} characters, the server takes ${MAX_TEXT}`,
    );
    // The text stays in the input, to shorten and send again.
    tmux.keys('long-a', 'C-u');
    expect(screen.split('\n').slice(-6).join('\n')).toMatch(/ยาวยาว/);
  });

  it('puts the terminal cursor at the input position', async () => {
    tmux.type('long-a', 'สวัสดี 👍🏽');
    await tmux.waitFor('long-a', (s) => s.includes('สวัสดี 👍🏽'), 'the typed text');
    // Input text starts at column 17 (rooms pane 16, border 1); สวัสดี is 4 columns, the space 1, 👍🏽 4 in tmux.
    expect(tmux.display('long-a', '#{cursor_flag} #{cursor_x} #{cursor_y}')).toBe('1 26 27');
    tmux.keys('long-a', 'Left');
    await new Promise((r) => setTimeout(r, 200));
    expect(tmux.display('long-a', '#{cursor_x}')).toBe('22');
    tmux.keys('long-a', 'C-u');
  });

  it('expands :thumbsup: and :+1:, and draws a family tmux cannot hold as its members', async () => {
    tmux.type('long-a', 'ok :thumbsup: :+1: fam 👨‍👩‍👧‍👦 end');
    tmux.keys('long-a', 'Enter');
    // Expanded only once sent: the input itself still shows the shortcodes.
    const screen = await tmux.waitFor('long-a', (s) => s.includes('ok 👍 👍 fam'), 'the message');
    expect(screen).toContain('ok 👍 👍 fam 👨👩👧👦 end');
  });

  it('shows bold, italic, code and links as attributes, not markers', async () => {
    await send('long', 'mark', 'see **this** and *that* `code` https://kuykan.example/a');
    await tmux.waitFor('long-a', (s) => s.includes('kuykan.example'), 'the message');
    const styled = tmux.styled('long-a');
    const line = styled.split('\n').find((l) => l.includes('kuykan.example'))!;
    expect(line).not.toContain('**');
    // SGR 1 (bold) right before the bold word, SGR 4 (underline) before the link.
    expect(line).toMatch(/\x1b\[(?:\d*;)*1(?:;\d*)*m(?:\x1b\[[\d;]*m)*this/);
    expect(line).toMatch(/\x1b\[(?:\d*;)*4(?:;\d*)*m(?:\x1b\[[\d;]*m)*https:\/\/kuykan\.example\/a/);
    // SGR 3 (italic) before the italic word: blessed has no italic, blink carries it (blessed-patch.ts).
    expect(line).toMatch(/\x1b\[(?:\d*;)*3(?:;\d*)*m(?:\x1b\[[\d;]*m)*that/);
    expect(line).not.toMatch(/\x1b\[(?:\d*;)*5(?:;\d*)*m/);
  });

  it('cuts a link longer than the line between characters, each continuation marked ↪, nothing lost', async () => {
    // No letter x: the rows are read between line-drawing `x` borders.
    const link = `https://kuykan.test/files/${'0123456789abcdef'.repeat(6)}/report.pdf`;
    await send('wrap', 'linker', `see ${link}`);
    const screen = await tmux.waitFor('wrap', (s) => s.includes('port.pdf'), 'the link');
    // The users pane is 14 columns here: its label fits its border and leaves nothing in the list.
    expect(screen.split('\n')[0]).toMatch(/ \(\d\) q*k$/);
    expect(screen).not.toMatch(/●\(\d/);
    const rows = paneRows(screen);
    const first = rows.findIndex((r) => r.includes('linker: see '));
    let joined = rows[first]!.slice(rows[first]!.indexOf('see ') + 4);
    for (let i = first + 1; rows[i]?.includes('↪'); i++) joined += rows[i]!.trim().slice(1);
    expect(joined, screen).toBe(link);
    const all = tmux.rows('wrap');
    expect(await tmux.measure(all)).toEqual(all.map(() => 60));
  });

  it('marks the newest emoji in the picker instead of drawing them into their neighbours', async () => {
    tmux.keys('long-a', 'C-e');
    await tmux.waitFor('long-a', (s) => s.includes('▏'), 'the picker');
    tmux.type('long-a', 'pushing');
    const screen = await tmux.waitFor('long-a', (s) => s.includes(':leftwards_pushing_hand:'), 'the search');
    expect(screen).toMatch(/\?\? +:leftwards_pushing_hand:/);
    const rows = tmux.rows('long-a');
    expect(await tmux.measure(rows)).toEqual(rows.map(() => 100));
    tmux.keys('long-a', 'Escape');
  });

  it('keeps the login prompt aligned for a name of emoji sequences and leaves nothing behind', async () => {
    tmux.start('named', `${process.execPath} ${CLI} ${server.url} --room long`, 80, 24);
    await tmux.waitFor('named', (s) => s.includes('Your name'), 'the prompt');
    // Refused (a colon and a space could forge a line, NAME-7): the prompt shows why, still aligned.
    tmux.type('named', '👨‍👩‍👧‍👦🏳️‍🌈: 👍🏽');
    tmux.keys('named', 'Enter');
    await tmux.waitFor('named', (s) => s.includes('colon'), 'the refusal');
    const rows = tmux.rows('named');
    expect(await tmux.measure(rows)).toEqual(rows.map(() => 80));
    for (let i = 0; i < 12; i++) tmux.keys('named', 'BSpace');
    // ZWJ and flag sequences are valid names (NAME-3); the whole screen stays aligned around them.
    tmux.type('named', '👨‍👩‍👧‍👦🏳️‍🌈👍🏽');
    tmux.keys('named', 'Enter');
    const screen = await tmux.waitFor('named', (s) => s.includes('(you)'), 'logged in');
    expect(screen).not.toMatch(/Your name|colon|Kuykan ·/);
    const after = tmux.rows('named');
    expect(await tmux.measure(after)).toEqual(after.map(() => 80));
  });
});
