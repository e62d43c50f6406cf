/** Drives real terminals: each TUI runs in its own tmux session on a private tmux server. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MEASURE = fileURLToPath(new URL('./tmux-measure.cjs', import.meta.url));

export const TMUX = '/usr/bin/tmux';

/** Whether tmux tests can run; under CI a missing tmux is a failure, not a skip. */
export function tmuxAvailable(): boolean {
  if (existsSync(TMUX)) return true;
  if (process.env.CI) throw new Error('tmux not found; .ci/run installs it (apt-get install tmux)');
  console.warn('\n*** SKIPPING terminal end-to-end tests: tmux is not installed (apt-get install tmux) ***\n');
  return false;
}

/**
 * The SGR attributes in effect where `text` starts in a row captured with
 * `capture-pane -e` (tmux emits only changes, so they are replayed from the
 * row's start): `bold`, `italic`, `underline`, `inverse`, `fg:N`, `bg:N`.
 * Undefined when the row does not hold `text`.
 */
export function attributesAt(row: string, text: string): Set<string> | undefined {
  const plain = row.replace(/\x1b\[[\d;]*m/g, '');
  const at = plain.indexOf(text);
  if (at === -1) return undefined;
  const state = new Set<string>();
  const names: Record<string, string> = { '1': 'bold', '3': 'italic', '4': 'underline', '7': 'inverse' };
  let seen = 0;
  for (const part of row.split(/(\x1b\[[\d;]*m)/)) {
    if (!part.startsWith('\x1b[')) {
      seen += part.length;
      if (seen > at) break;
      continue;
    }
    const params = part.slice(2, -1).split(';').filter(Boolean);
    if (params.length === 0) state.clear();
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!;
      const n = Number(p);
      if (p === '0') state.clear();
      else if (names[p]) state.add(names[p]!);
      else if (n >= 30 && n <= 37) setColour(state, 'fg', n - 30);
      else if (n >= 40 && n <= 47) setColour(state, 'bg', n - 40);
      else if (n >= 90 && n <= 97) setColour(state, 'fg', n - 82);
      else if (n >= 100 && n <= 107) setColour(state, 'bg', n - 92);
      else if ((n === 38 || n === 48) && params[i + 1] === '5') {
        setColour(state, n === 38 ? 'fg' : 'bg', Number(params[i + 2]));
        i += 2;
      } else if (n === 39) setColour(state, 'fg', undefined);
      else if (n === 49) setColour(state, 'bg', undefined);
      else if (n === 22) state.delete('bold');
      else if (n === 23) state.delete('italic');
      else if (n === 24) state.delete('underline');
      else if (n === 27) state.delete('inverse');
    }
  }
  return state;
}

function setColour(state: Set<string>, kind: 'fg' | 'bg', value: number | undefined): void {
  for (const entry of [...state]) if (entry.startsWith(`${kind}:`)) state.delete(entry);
  if (value !== undefined) state.add(`${kind}:${value}`);
}

export class Tmux {
  private readonly socket = `kuykan-test-${process.pid}-${Date.now()}`;

  private run(...args: string[]): string {
    return execFileSync(TMUX, ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /**
   * Starts `command` in a new session of the given size. The server is kept alive when its last
   * session ends (`exit-empty off`): a session started while it was exiting would fail with
   * "server exited unexpectedly". {@link kill} ends it.
   */
  start(session: string, command: string, width = 100, height = 30): void {
    this.run('new-session', '-d', '-s', session, '-x', String(width), '-y', String(height), command);
    this.run('set-option', '-s', 'exit-empty', 'off');
  }

  keys(session: string, ...keys: string[]): void {
    this.run('send-keys', '-t', session, ...keys);
  }

  /** Types literal text (no key-name interpretation). */
  type(session: string, text: string): void {
    this.run('send-keys', '-t', session, '-l', text);
  }

  screen(session: string): string {
    return this.run('capture-pane', '-p', '-t', session);
  }

  /** The screen with its colours and attributes as SGR sequences. */
  styled(session: string): string {
    return this.run('capture-pane', '-p', '-e', '-t', session);
  }

  /** A tmux format evaluated for a session, e.g. `#{cursor_x}`. */
  display(session: string, format: string): string {
    return this.run('display-message', '-p', '-t', session, format).trim();
  }

  /** The screen's rows with their trailing spaces (a row's full width is what the width tests check). */
  rows(session: string): string[] {
    return this.run('capture-pane', '-p', '-N', '-t', session).replace(/\n$/, '').split('\n');
  }

  private measured = 0;

  /**
   * Columns tmux itself gives each string (printed at column 0 of a wide pane,
   * cursor position read back): an oracle independent of the client's width code.
   */
  async measure(strings: string[]): Promise<number[]> {
    const dir = mkdtempSync(join(tmpdir(), 'kuykan-measure-'));
    const input = join(dir, 'in.json');
    const output = join(dir, 'out.json');
    writeFileSync(input, JSON.stringify(strings));
    const session = `measure-${++this.measured}`;
    this.start(session, `${process.execPath} ${MEASURE} ${input} ${output}`, 900, 5);
    try {
      const deadline = Date.now() + 30_000;
      while (!existsSync(output)) {
        if (Date.now() > deadline) throw new Error('tmux did not answer the width measurement');
        await new Promise((r) => setTimeout(r, 50));
      }
      return JSON.parse(readFileSync(output, 'utf8')) as number[];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /**
   * Polls the screen until `check` passes on a settled screen (two captures
   * 60 ms apart agree: a frame arrives in several writes); returns it.
   */
  async waitFor(
    session: string,
    check: (screen: string) => boolean,
    what: string,
    timeoutMs = 15_000,
  ): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < deadline) {
      screen = this.screen(session);
      if (check(screen)) {
        await new Promise((r) => setTimeout(r, 60));
        const again = this.screen(session);
        if (again === screen) return screen;
        continue;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}; screen:\n${screen}`);
  }

  kill(): void {
    spawnSync(TMUX, ['-L', this.socket, 'kill-server']);
  }
}
