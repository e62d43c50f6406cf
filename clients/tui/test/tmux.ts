/** Drives real terminals: each TUI runs in its own tmux session on a private tmux server. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

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

  /** Starts `command` in a new session of the given size. */
  start(session: string, command: string, width = 100, height = 30): void {
    this.run('new-session', '-d', '-s', session, '-x', String(width), '-y', String(height), command);
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

  /** Polls the screen until `check` passes; returns the screen. */
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
      if (check(screen)) return screen;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}; screen:\n${screen}`);
  }

  kill(): void {
    spawnSync(TMUX, ['-L', this.socket, 'kill-server']);
  }
}
