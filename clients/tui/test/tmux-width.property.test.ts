/**
 * The width property, in a real terminal: for random messages and names from
 * a corpus of the text this client is for, at random widths from 40 to 200,
 * every row tmux captures is exactly the terminal's width (as tmux itself
 * measures it) — with a reply quoting one of them, reactions from the corpus,
 * and the selection highlight — and closing the emoji picker leaves nothing
 * behind. (File lines: tmux-files.test.ts.)
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { validateReaction } from '@kuykan/protocol';
import { KuykanClient } from '@kuykan/sdk';
import { type RunningServer, startServer } from '@kuykan/server';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS } from './corpus.js';
import { Tmux, tmuxAvailable } from './tmux.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const run = tmuxAvailable();
const tmux = new Tmux();
let server: RunningServer;

const PIECES = Object.values(CORPUS).flat();
/** The pieces a reaction may be: exactly one RGI emoji [REACT-1]. */
const REACTIONS = PIECES.filter((p) => validateReaction(p).ok);
const SPACES = [' ', ' ', ' ', '  '];

const text = fc
  .array(fc.constantFrom(...PIECES, ...SPACES), { minLength: 1, maxLength: 30 })
  .map((parts) => parts.join('').trim() || 'x');
// Names may not hold format characters (ZWJ): the server refuses them [NAME rules in PROTOCOL.md].
const name = fc
  .array(fc.constantFrom(...PIECES.filter((p) => !/\p{Cf}/u.test(p))), { minLength: 1, maxLength: 3 })
  .map((parts) => [...parts.join('')].slice(0, 20).join(''));

const RUNS = Number(process.env.KUYKAN_WIDTH_RUNS ?? 4);
const HEIGHT = 24;

beforeAll(async () => {
  if (!run) return;
  if (!existsSync(CLI)) throw new Error('clients/tui/dist/cli.js is missing: run npm run build');
  server = await startServer({ port: 0, host: '127.0.0.1', store: 'memory', logLevel: 'silent' });
});
afterAll(async () => {
  if (!run) return;
  tmux.kill();
  await server?.close();
});

/** Asserts that every captured row is `width` columns as tmux measures it. */
async function expectFullRows(session: string, width: number, what: string): Promise<string[]> {
  const rows = tmux.rows(session);
  expect(rows, what).toHaveLength(HEIGHT);
  const widths = await tmux.measure(rows);
  for (let i = 0; i < rows.length; i++) expect(widths[i], `${what}, row ${i}:\n${rows.join('\n')}`).toBe(width);
  return rows;
}

describe.runIf(run)('width property under tmux', () => {
  it('draws every row at exactly the terminal width and leaves nothing after the picker closes', async () => {
    const tried: number[] = [];
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 40, max: 200 }),
        name,
        fc.array(text, { minLength: 3, maxLength: 3 }),
        fc.uniqueArray(fc.constantFrom(...REACTIONS), { minLength: 1, maxLength: 6 }),
        fc.constantFrom('hand', 'cat', 'แมว', 'flag', 'family'),
        async (width, sender, messages, reactions, query) => {
          tried.push(width);
          const session = `w${++n}`;
          const room = `prop-${n}`;
          tmux.start(session, `${process.execPath} ${CLI} ${server.url} --name tui${n} --room ${room}`, width, HEIGHT);
          await tmux.waitFor(session, (s) => s.includes(`tui${n} (you)`) || s.includes(`as tui${n}`), 'login');
          const bot = new KuykanClient(server.url, { name: sender });
          await bot.connect();
          const joined = await bot.join(room);
          const acks = [];
          for (const [i, message] of messages.entries()) acks.push(await joined.send(`${message} #k${i}`));
          // Reactions on the second message, then a reply quoting the first: the log is delivered
          // in order, so once the reply shows, the reactions have been drawn.
          for (const emoji of reactions) await joined.react(acks[1]!.messageId, emoji);
          await joined.send(`${messages[2]} #reply`, { replyTo: acks[0]!.messageId });
          await tmux.waitFor(session, (s) => s.includes('#reply'), 'the reply and reactions');
          const unselected = await expectFullRows(session, width, `log with a reply and reactions at ${width} columns`);
          // The newest message selected: drawn inverse across the pane.
          tmux.keys(session, 'M-Up');
          await tmux.waitFor(session, (s) => s.includes('r reply'), 'the selection');

          const before = await expectFullRows(session, width, `selection at ${width} columns`);
          // The selection's keys are a label on the input's border, cut to fit: none of it spills into the input.
          expect(before[HEIGHT - 3], `the input row at ${width} columns`).toBe(unselected[HEIGHT - 3]);
          tmux.keys(session, 'C-e');
          await tmux.waitFor(session, (s) => s.includes('▏'), 'the picker');
          await expectFullRows(session, width, `picker at ${width} columns`);
          tmux.keys(session, 'Tab');
          await tmux.waitFor(session, (s) => /people|คน/.test(s), 'the people category');
          await expectFullRows(session, width, `people category at ${width} columns`);
          tmux.type(session, query);
          await tmux.waitFor(session, (s) => s.includes(`${query}▏`), 'the search');
          await expectFullRows(session, width, `search "${query}" at ${width} columns`);
          tmux.keys(session, 'Escape');
          const after = await tmux.waitFor(session, (s) => !s.includes('▏'), 'the picker closed');
          // Everything but the status line (its round-trip time may change) is as it was.
          expect(after.split('\n').slice(0, HEIGHT - 1)).toEqual(before.slice(0, HEIGHT - 1).map((r) => r.trimEnd()));
          tmux.keys(session, 'Escape');
          await tmux.waitFor(session, (s) => !s.includes('r reply'), 'the selection ended');
          tmux.keys(session, 'C-c');
          await bot.close();
        },
      ),
      { numRuns: RUNS, seed: 2026_12_01, endOnFailure: true },
    );
    console.log(
      `width property: corpus of ${PIECES.length} pieces (${Object.entries(CORPUS)
        .map(([kind, list]) => `${kind} ${list.length}`)
        .join(', ')}), widths ${tried.join(', ')}`,
    );
  }, 180_000);
});
