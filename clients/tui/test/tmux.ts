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
