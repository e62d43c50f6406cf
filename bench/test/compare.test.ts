import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type Checkout, prepareCheckout } from '../src/compare.js';
import { addCheckout, startTarget } from '../src/procs.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const worktrees = () => execFileSync('git', ['worktree', 'list', '--porcelain'], { cwd: repo, encoding: 'utf8' });

describe('compare checkout (--compare)', () => {
  it('builds another commit in a worktree that borrows this checkout’s dependencies, runs its server, and removes only what it made', async () => {
    let checkout: Checkout | undefined;
    try {
      checkout = prepareCheckout(repo, 'HEAD');
      const { dir } = checkout;
      expect(worktrees()).toContain(dir);
      // Its own protocol (so its server runs its own codec), everyone else's packages from this checkout.
      expect(realpathSync(join(dir, 'node_modules/@kuykan/protocol'))).toBe(realpathSync(join(dir, 'spec')));
      expect(realpathSync(join(dir, 'node_modules/ws'))).toBe(realpathSync(join(repo, 'node_modules/ws')));
      expect(existsSync(join(dir, 'server/dist/cli.js'))).toBe(true);
      expect(existsSync(join(dir, 'spec/dist/index.js'))).toBe(true);

      addCheckout('HEAD', dir);
      const target = await startTarget('kuykan-memory@HEAD');
      try {
        expect(target.urls[0]).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
        const cmdline = execFileSync('cat', [`/proc/${target.pids[0]}/cmdline`], { encoding: 'utf8' });
        expect(cmdline).toContain(join(dir, 'server/dist/cli.js'));
      } finally {
        await target.stop();
      }
    } finally {
      checkout?.remove();
    }
    expect(existsSync(checkout!.dir)).toBe(false);
    expect(worktrees()).not.toContain(checkout!.dir);
    // The links were removed, not followed: this checkout's packages are all there.
    expect(lstatSync(join(repo, 'node_modules/ws/package.json')).isFile()).toBe(true);
    expect(existsSync(join(repo, 'spec/package.json'))).toBe(true);
  }, 120_000);

  it('refuses a ref that names no commit, leaving no worktree behind', () => {
    const before = worktrees();
    expect(() => prepareCheckout(repo, 'no-such-ref-kuykan-bench')).toThrow();
    expect(worktrees()).toBe(before);
  });

  it('will not start a compare target whose checkout was not prepared', async () => {
    await expect(startTarget('kuykan-memory@not-prepared')).rejects.toThrow(/--compare not-prepared/);
  });
});
