import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { KuykanClient } from '@kuykan/sdk';
import { type RunningServer, startServer } from '@kuykan/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tmux, tmuxAvailable } from './tmux.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const run = tmuxAvailable();
let server: RunningServer;
const tmux = new Tmux();

beforeAll(async () => {
  if (!run) return;
  if (!existsSync(CLI)) throw new Error('clients/tui/dist/cli.js is missing: run npm run build');
  server = await startServer({ port: 0, host: '127.0.0.1', store: 'memory', logLevel: 'silent' });
});
afterAll(async () => {
  if (!run) return;
  tmux.kill();
  await server.close();
});

const tui = (name: string, room: string) => `${process.execPath} ${CLI} ${server.url} --name '${name}' --room ${room}`;

describe.runIf(run)('terminal client under tmux', () => {
  it('lets two people chat in Thai and emoji, with the users list, join notice and aligned borders', async () => {
    tmux.start('somchai', tui('สมชาย', 'lobby'));
    await tmux.waitFor('somchai', (s) => s.includes('Online (1)'), 'somchai online');
    tmux.start('nok', tui('Nok', 'lobby'));
    await tmux.waitFor('somchai', (s) => s.includes('Nok joined'), 'join notice');

    tmux.type('nok', 'hello 👋🏽 family 👨‍👩‍👧 flag 🇹🇭 end');
    tmux.keys('nok', 'Enter');
    tmux.type('somchai', 'สวัสดีครับ น้ำ :tada: ok');
    tmux.keys('somchai', 'Enter');

    // Both messages, in either order: each side's send races the other's.
    const screenA = await tmux.waitFor(
      'somchai',
      (s) => s.includes('hello 👋🏽 family 👨‍👩‍👧 flag 🇹🇭 end') && /›สมชาย: สวัสดีครับ น้ำ 🎉 ok/.test(s),
      "Nok's message and somchai's own at somchai",
    );
    const screenB = await tmux.waitFor('nok', (s) => s.includes('สวัสดีครับ น้ำ 🎉 ok'), "somchai's message at Nok");
    expect(screenA).toContain('Online (2)');
    expect(screenA).toMatch(/● Nok/);
    expect(screenB).toMatch(/● สมชาย/);
    expect(screenA).toMatch(/›สมชาย: สวัสดีครับ น้ำ 🎉 ok/);

    // Every row is exactly as wide as the terminal, as tmux itself measures it:
    // a miscounted emoji or Thai vowel would push the border out of line.
    const rows = tmux.rows('somchai');
    const widths = await tmux.measure(rows);
    for (const [i, row] of rows.entries()) expect(widths[i], `${row}\n${screenA}`).toBe(100);
  });

  it('inserts an emoji from the Ctrl+E picker', async () => {
    tmux.keys('somchai', 'C-e');
    await tmux.waitFor('somchai', (s) => s.includes('Tab Ctrl+T'), 'the picker');
    tmux.type('somchai', 'tada');
    await tmux.waitFor('somchai', (s) => s.includes(':tada:'), 'search results');
    tmux.keys('somchai', 'Enter');
    tmux.type('somchai', ' picked');
    tmux.keys('somchai', 'Enter');
    await tmux.waitFor('nok', (s) => s.includes('🎉 picked'), 'picked emoji at Nok');
  });

  it('shows hostile names and messages literally without corrupting the screen', async () => {
    const attacker = new KuykanClient(server.url, { name: '{bold}evil{/bold}' });
    await attacker.connect();
    const room = await attacker.join('lobby');
    // The server refuses escape sequences outright [MSG-2]; what a hostile server might
    // still send is covered by the sanitize unit tests.
    await expect(room.send('\u001b[2J\u001b[31mRED')).rejects.toMatchObject({ code: 303 });
    await room.send('RED {red-fg}tag{/} \u202Ereversed\u202C');
    await room.send('two\n09:99 admin: forged');
    const screen = await tmux.waitFor('nok', (s) => s.includes('forged'), 'hostile messages');
    expect(screen).toContain('{bold}evil{/bold}: RED');
    expect(screen).toMatch(/● \{bold\}evil\{\/b\S*…/);
    expect(screen).toContain('RED {red-fg}tag{/}');
    expect(screen).toContain('reversed');
    // The continuation bar is drawn with the terminal's line-drawing set: `x` in a capture.
    expect(screen).toMatch(/[│x] 09:99 admin: forged/);
    expect(screen).not.toMatch(/^.{0,20}09:99 admin/m);
    // The frame is intact: the top border and the users pane are still there.
    expect(screen.split('\n')[0]).toMatch(/Rooms.*Online/);
    await attacker.close();
  });

  it('switches rooms with a mouse click on the room list', async () => {
    tmux.type('somchai', '/join second');
    tmux.keys('somchai', 'Enter');
    await tmux.waitFor('somchai', (s) => /lq #second q/.test(s), 'the second room');
    // An SGR mouse press, then release, on row 2, column 3 (1-based): the first room's row.
    // Separate writes: blessed reads one mouse report per input chunk.
    tmux.type('somchai', '\u001b[<0;3;2M');
    await new Promise((r) => setTimeout(r, 100));
    tmux.type('somchai', '\u001b[<0;3;2m');
    const screen = await tmux.waitFor('somchai', (s) => /lq #lobby q/.test(s), 'lobby selected by the click');
    expect(screen).toContain('#lobby');
  });

  it('shows a taken name inline and accepts another', async () => {
    tmux.start('dup', `${process.execPath} ${CLI} ${server.url} --room lobby --name nok`);
    await tmux.waitFor('dup', (s) => s.includes('is in use'), 'name taken');
    tmux.keys('dup', 'BSpace', 'BSpace', 'BSpace');
    tmux.type('dup', 'ploy');
    tmux.keys('dup', 'Enter');
    await tmux.waitFor('dup', (s) => s.includes('ploy (you)'), 'logged in as ploy');
  });
});
