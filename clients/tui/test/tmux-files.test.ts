/**
 * Files in a real terminal. Against the reference server: `/upload PATH`, the
 * file line (size, the type the server found, name, an absolute signed link
 * that serves the bytes) at both ends. Against a scripted server
 * (fake-files.ts), for what a real one cannot be made to do on cue: an upload
 * held half way (its progress in the status bar, Esc to cancel), hostile file
 * names, and file lines at random widths from 40 to 200.
 */
import { existsSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KuykanClient } from '@kuykan/sdk';
import { type RunningServer, startServer } from '@kuykan/server';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS } from './corpus.js';
import { FileServer } from './fake-files.js';
import { attributesAt, Tmux, tmuxAvailable } from './tmux.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const run = tmuxAvailable();
const tmux = new Tmux();
let files: FileServer;
let server: RunningServer;
let dir: string;
const BIG = 40_000_000;

beforeAll(async () => {
  if (!run) return;
  if (!existsSync(CLI)) throw new Error('clients/tui/dist/cli.js is missing: run npm run build');
  files = await FileServer.start();
  server = await startServer({ port: 0, host: '127.0.0.1', store: 'memory', logLevel: 'silent' });
  dir = mkdtempSync(join(tmpdir(), 'kuykan-files-'));
  // Sparse: 40 MB of zeros without writing them, more than loopback socket buffers hold.
  writeFileSync(join(dir, 'big.bin'), '');
  truncateSync(join(dir, 'big.bin'), BIG);
  writeFileSync(join(dir, 'report.pdf'), '%PDF-1.7 not really');
  writeFileSync(join(dir, '\u202Efdp.exe'), 'MZ');
});
afterAll(async () => {
  if (!run) return;
  tmux.kill();
  await files?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const tui = (name: string, width = 100, height = 30) =>
  tmux.start(name, `${process.execPath} ${CLI} ${files.url} --name ${name} --room files`, width, height);

function say(session: string, text: string): void {
  tmux.type(session, text);
  tmux.keys(session, 'Enter');
}

/** A link as drawn from the row where `start` is: its pieces on the rows continued with ↪, joined. */
function linkAt(screen: string, start: string): string {
  const rows = screen.split('\n');
  const at = rows.findIndex((r) => r.includes(start));
  if (at === -1) return '';
  // A link has no spaces; the pane's scrollbar column keeps a space before the border.
  let link = /^\S*/.exec(rows[at]!.slice(rows[at]!.indexOf(start)))![0];
  for (let i = at + 1; /↪\S/.test(rows[i] ?? ''); i++) link += /↪(\S+)/.exec(rows[i]!)![1];
  return link;
}

/** The status bar: the last row. */
const statusOf = (screen: string) => screen.trimEnd().split('\n').at(-1) ?? '';

describe.runIf(run)('files with the reference server under tmux', () => {
  it('uploads with /upload; both ends see the file with the type the server found and a link that serves it', async () => {
    tmux.start('ref', `${process.execPath} ${CLI} ${server.url} --name ref --room docs`, 100, 30);
    await tmux.waitFor('ref', (s) => s.includes('as ref'), 'login');
    const other = new KuykanClient(server.url, { name: 'reader' });
    await other.connect();
    const docs = await other.join('docs');
    say('ref', `/upload ${join(dir, 'report.pdf')}`);
    const screen = await tmux.waitFor('ref', (s) => s.includes('sent report.pdf'), 'the upload');
    // The server sniffs the bytes [ATT-3]: a PDF, whatever the client declared.
    expect(screen).toMatch(/📎 report\.pdf ~ 19 B ~ application\/pdf/);
    const link = linkAt(screen, 'http://');
    expect(link).toMatch(new RegExp(`^${server.url.replace(/^ws/, 'http')}/files/[^?]+\\?e=\\d+&s=`));
    const served = await fetch(link);
    expect(served.status).toBe(200);
    expect(await served.text()).toBe('%PDF-1.7 not really');
    const [message] = docs.timeline;
    expect(message?.attachments?.[0]).toMatchObject({ name: 'report.pdf', mediaType: 'application/pdf', size: 19 });
    await other.close();
  });

  it('shows a file named with a bidi override as plain text', async () => {
    say('ref', `/upload ${join(dir, '\u202Efdp.exe')}`);
    const screen = await tmux.waitFor('ref', (s) => /sent .*fdp\.exe/.test(s), 'the file');
    expect(screen).toMatch(/📎 fdp\.exe ~ 2 B ~ /);
    expect(screen).not.toContain('\u202E');
    tmux.keys('ref', 'C-c');
  });
});

describe.runIf(run)('files from a scripted server under tmux', () => {
  it('uploads with /upload, shows the progress in the status bar, then the file with its link', async () => {
    tui('up');
    await tmux.waitFor('up', (s) => s.includes('as up'), 'login');
    files.hold();
    say('up', `/upload ${join(dir, 'big.bin')}`);
    const halfway = await tmux.waitFor('up', (s) => /uploading big\.bin \d+%/.test(statusOf(s)), 'the progress');
    const [, percent] =
      /uploading big\.bin (\d+)% \(([\d.]+ [kMG]?B) of 40\.0 MB\) ~ Esc cancels/.exec(statusOf(halfway)) ?? [];
    expect(Number(percent), statusOf(halfway)).toBeLessThan(100);
    files.release();
    const done = await tmux.waitFor('up', (s) => s.includes('big.bin') && s.includes('/files/f1'), 'the file message');
    expect(statusOf(done)).toMatch(/● open/);
    expect(done).toMatch(/📎 big\.bin ~ 40\.0 MB ~ application\/octet-stream/);
    // The link is absolute (resolved against the server), whole (cut with ↪ at the pane's edge) and underlined.
    const link = `${files.url.replace(/^ws/, 'http')}/files/f1?sig=0123456789abcdef`;
    expect(linkAt(done, 'http://')).toBe(link);
    const row = tmux
      .styled('up')
      .split('\n')
      .find((r) => r.includes('/files/f1'))!;
    expect(attributesAt(row, 'http://')).toContain('underline');
    expect(done).toContain(`sent big.bin (40.0 MB)`);
  });

  it('cancels an upload with Esc and says so', async () => {
    files.hold();
    say('up', `/upload ${join(dir, 'big.bin')}`);
    await tmux.waitFor('up', (s) => /uploading big\.bin/.test(statusOf(s)), 'the second upload');
    tmux.keys('up', 'Escape');
    const cancelled = await tmux.waitFor('up', (s) => s.includes('the upload was cancelled'), 'the cancel');
    expect(statusOf(cancelled)).not.toContain('uploading');
    files.release();
  });

  it('says why a path cannot be sent', async () => {
    say('up', `/upload ${join(dir, 'nothing-here.png')}`);
    await tmux.waitFor('up', (s) => s.includes('ENOENT'), 'the missing file');
    say('up', `/upload ${dir}`);
    await tmux.waitFor('up', (s) => s.includes('is not a file'), 'a directory');
  });

  it('shows hostile file names from a hostile server inert, clipped to one line, leaving title and cursor alone', async () => {
    const long = `${'ยาว👍🏽'.repeat(2000)}.txt`;
    files.post('files', 'mallory', [
      {
        fileId: 'x1',
        name: '\u001b]0;pwned\u0007\u001b[2J\u001b[31mred.txt',
        size: 12,
        mediaType: 'text/\u001b[5mplain',
        url: '/files/x1',
      },
      { fileId: 'x2', name: `\u202Eevil\u202C\u2066.png`, size: 3, mediaType: 'image/png', url: '/files/x2' },
      { fileId: 'x3', name: long, size: 10_000, mediaType: 'text/plain', url: '/files/x3' },
    ]);
    const screen = await tmux.waitFor('up', (s) => s.includes('mallory:'), 'the hostile files');
    const rows = screen.split('\n');
    const at = rows.findIndex((r) => r.includes('mallory:'));
    expect(rows[at + 1]).toMatch(/📎 ���red\.txt ~ 12 B ~ text\/�plain/);
    expect(rows[at + 3]).toMatch(/📎 evil\.png ~ 3 B ~ image\/png/);
    // 10,000 characters of name: one line, cut with …, then the link on its own line.
    expect(rows[at + 5]).toMatch(/📎 ยาว👍🏽.*… ~ 10\.0 kB ~ text\/plain/);
    expect(linkAt(rows.slice(at).join('\n'), 'http://').endsWith('/files/x1')).toBe(true);
    expect(rows.slice(at + 6).join('\n')).toContain('/files/x3');
    expect(screen).not.toContain('pwned');
    expect(tmux.display('up', '#{pane_title}')).not.toContain('pwned');
    expect(tmux.display('up', '#{cursor_x} #{cursor_y}')).toBe('17 27');
    const all = tmux.rows('up');
    expect(await tmux.measure(all)).toEqual(all.map(() => 100));
  });

  it('draws file lines, selected or not, at exactly the terminal width from 40 to 200 columns', async () => {
    const pieces = Object.values(CORPUS).flat();
    const tried: number[] = [];
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 40, max: 200 }),
        fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 5e9 }),
        async (width, parts, size) => {
          tried.push(width);
          const room = `files-${++n}`;
          const name = `${parts.join('')}.bin`;
          files.post(
            room,
            'poster',
            [{ fileId: `p${n}`, name, size, mediaType: 'application/pdf', url: `/files/p${n}` }],
            'a file',
          );
          const session = `fw${n}`;
          tmux.start(session, `${process.execPath} ${CLI} ${files.url} --name fw${n} --room ${room}`, width, 24);
          await tmux.waitFor(session, (s) => linkAt(s, 'http://').endsWith(`/files/p${n}`), 'the file');
          let rows = tmux.rows(session);
          expect(await tmux.measure(rows), rows.join('\n')).toEqual(rows.map(() => width));
          tmux.keys(session, 'M-Up');
          await tmux.waitFor(session, (s) => s.includes('r reply'), 'the selection');
          rows = tmux.rows(session);
          expect(await tmux.measure(rows), rows.join('\n')).toEqual(rows.map(() => width));
          tmux.keys(session, 'C-c');
        },
      ),
      { numRuns: Number(process.env.KUYKAN_WIDTH_RUNS ?? 4), seed: 2026_12_07, endOnFailure: true },
    );
    console.log(`file lines: widths ${tried.join(', ')}`);
  }, 120_000);
});
