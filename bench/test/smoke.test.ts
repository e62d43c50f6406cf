import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const gitStatus = () => execFileSync('git', ['status', '--porcelain', '--', 'bench'], { cwd: root, encoding: 'utf8' });

describe('benchmark harness (smoke)', () => {
  // Two load-generator processes, so the split and the merge of their reports are exercised too.
  it('runs every scenario against every target over two load-generator processes and writes JSON, Markdown and SVG, leaving git clean', async () => {
    const before = gitStatus();
    // No --out: the default place of smoke results must be one git ignores.
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', 'bench/src/cli.ts', '--smoke', '--loadgen-procs', '2'],
      { timeout: 170_000, cwd: root },
    );
    expect(stdout).toMatch(/\| target \| deliveries\/s/);
    const base = /wrote (\S+)\.\{json,md,svg\}/.exec(stderr)?.[1];
    expect(base, stderr).toBeDefined();
    expect(basename(dirname(base!))).toBe('tmp');
    expect(gitStatus()).toBe(before);
    readFileSync(`${base}.md`);
    readFileSync(`${base}.svg`);
    const json = JSON.parse(readFileSync(`${base}.json`, 'utf8'));
    const targets = json.rows.map((r: { target: string }) => r.target);
    expect(targets).toEqual(['ceiling', 'kuykan-memory', 'kuykan-sqlite', 'socketio', 'socketio-msgpack']);
    for (const row of json.rows) {
      expect(row.throughput, row.target).toBeGreaterThan(0);
      // Deliveries counted within the window: on a busy shared machine a few arrive late, but
      // never more than were sent (that would be a duplicate).
      expect(row.completeness, row.target).toBeGreaterThan(0);
      expect(row.completeness, row.target).toBeLessThanOrEqual(1);
      expect(row.p99AtHalf, row.target).toBeGreaterThan(0);
      // With a handful of smoke connections the RSS delta is noise (GC may shrink it): only check it was measured.
      expect(Number.isFinite(row.rssPerConnectionKb), row.target).toBe(true);
      expect(row.churnPerSec, row.target).toBeGreaterThan(0);
      expect(row.p99WithSlow, row.target).toBeGreaterThan(0);
      expect(row.idleConnected, row.target).toBe(row.idleAsked);
    }
    type Measured = { delivered: number; workers: { sent: number; delivered: number }[] };
    const runs = Object.entries(json.raw.throughput['5x3'] as Record<string, Measured[]>);
    for (const [target, [m]] of runs) {
      // Both workers send (each holds some rooms' member 0) and both receive (every room spans both).
      expect(m!.workers, target).toHaveLength(2);
      for (const w of m!.workers) {
        expect(w.sent, target).toBeGreaterThan(0);
        expect(w.delivered, target).toBeGreaterThan(0);
      }
      // The merged histogram holds exactly the deliveries the workers counted: none lost or doubled in the merge.
      expect(m!.workers[0]!.delivered + m!.workers[1]!.delivered, target).toBe(m!.delivered);
    }
  }, 180_000);
});
