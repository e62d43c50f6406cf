/**
 * `--compare <ref>`: the server of another commit, built in a temporary git
 * worktree, to run beside this checkout's in one benchmark run.
 *
 * `npm ci` there would take minutes (better-sqlite3 builds from source), so
 * the worktree borrows this checkout's dependencies: its `node_modules` is a
 * directory of links to this checkout's packages, except `@kuykan/*`, which
 * link to the worktree's own workspace packages, so that its server imports
 * its own protocol. Only @kuykan/protocol and @kuykan/server are built
 * (JavaScript only, no type declarations). A ref whose dependencies differ
 * from this checkout's fails to build or start, and says so.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  rmdirSync,
  symlinkSync,
  unlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Workspace packages the server needs, in build order, and their directories. */
const BUILT = ['spec', 'server'];

/** A worktree of another commit, ready to run its server. */
export interface Checkout {
  /** The ref as given (`HEAD~1`, `main`, a sha). */
  ref: string;
  sha: string;
  dir: string;
  /** Removes the worktree (and only the links into this checkout, never what they point to). */
  remove(): void;
}

const git = (repo: string, args: string[]) =>
  execFileSync('git', args, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** Adds a detached worktree of `ref` under the temporary directory; its dependencies linked ({@link linkDependencies}). */
export function addWorktree(repo: string, ref: string): Checkout {
  const sha = git(repo, ['rev-parse', '--verify', `${ref}^{commit}`]);
  const dir = mkdtempSync(join(tmpdir(), `kuykan-bench-${sha.slice(0, 8)}-`));
  git(repo, ['worktree', 'add', '--detach', dir, sha]);
  const checkout: Checkout = {
    ref,
    sha,
    dir,
    remove: () => {
      unlinkDependencies(dir);
      git(repo, ['worktree', 'remove', '--force', dir]);
    },
  };
  try {
    linkDependencies(repo, dir);
  } catch (error) {
    checkout.remove();
    throw error;
  }
  return checkout;
}

/**
 * Gives the worktree at `dir` this checkout's dependencies: `node_modules/<package>` links to this
 * checkout's, `node_modules/@kuykan/<name>` keeps its relative link (so it reaches the worktree's own
 * package), and the built packages' own `node_modules` link to this checkout's.
 */
export function linkDependencies(repo: string, dir: string): void {
  const modules = join(repo, 'node_modules');
  mkdirSync(join(dir, 'node_modules', '@kuykan'), { recursive: true });
  for (const entry of readdirSync(modules)) {
    if (entry === '@kuykan') continue;
    symlinkSync(join(modules, entry), join(dir, 'node_modules', entry));
  }
  for (const name of readdirSync(join(modules, '@kuykan'))) {
    symlinkSync(readlinkSync(join(modules, '@kuykan', name)), join(dir, 'node_modules', '@kuykan', name));
  }
  for (const pkg of BUILT) {
    const own = join(repo, pkg, 'node_modules');
    if (existsSync(own) && existsSync(join(dir, pkg))) symlinkSync(own, join(dir, pkg, 'node_modules'));
  }
}

/**
 * Removes what {@link linkDependencies} made, links first, so that `git worktree remove` never meets a
 * link into this checkout. A directory left with real files in it (something wrote there) is left to git.
 */
function unlinkDependencies(dir: string): void {
  const isLink = (path: string) => {
    try {
      return lstatSync(path).isSymbolicLink();
    } catch {
      return false;
    }
  };
  const unlinkAll = (parent: string) => {
    if (!existsSync(parent) || isLink(parent)) return;
    for (const entry of readdirSync(parent)) if (isLink(join(parent, entry))) unlinkSync(join(parent, entry));
    try {
      rmdirSync(parent);
    } catch {
      // Not empty: real files only, which git removes with the worktree.
    }
  };
  for (const pkg of BUILT) if (isLink(join(dir, pkg, 'node_modules'))) unlinkSync(join(dir, pkg, 'node_modules'));
  unlinkAll(join(dir, 'node_modules', '@kuykan'));
  unlinkAll(join(dir, 'node_modules'));
}

/** Builds @kuykan/protocol and @kuykan/server in the worktree (ESM JavaScript only), with this checkout's tsup. */
export function build(repo: string, checkout: Checkout): void {
  const tsup = join(repo, 'node_modules', '.bin', 'tsup');
  for (const pkg of BUILT) {
    try {
      execFileSync(tsup, ['--no-dts', '--format', 'esm', '--silent'], {
        cwd: join(checkout.dir, pkg),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      const output = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
      throw new Error(`building ${pkg} at ${checkout.ref} (${checkout.sha.slice(0, 8)}) failed:\n${output}`);
    }
  }
}

/** A worktree of `ref` with its server built; remove it when done. */
export function prepareCheckout(repo: string, ref: string): Checkout {
  const checkout = addWorktree(repo, ref);
  try {
    build(repo, checkout);
  } catch (error) {
    checkout.remove();
    throw error;
  }
  return checkout;
}
