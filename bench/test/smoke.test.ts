import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ISSUE_CHECKS } from '../src/checks.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const gitStatus = () => execFileSync('git', ['status', '--porcelain', '--', 'bench'], { cwd: root, encoding: 'utf8' });

/** Runs the harness with `args`; returns its output and the path (without extension) of each results file it wrote. */
async function bench(args: string[], timeout: number) {
  const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'bench/src/cli.ts', ...args], {
    timeout,
    cwd: root,
  });
  const written = [...stderr.matchAll(/wrote (\S+)\.\{([a-z,]+)\}/g)].map((m) => m[1]!);
  return { stdout, stderr, written };
}

/** The results file a `bench` run wrote whose name ends in `suffix`: its path without extension, and its JSON. */
function results(run: { stderr: string; written: string[] }, suffix: string) {
  const base = run.written.find((w) => w.endsWith(suffix));
  expect(base, run.stderr).toBeDefined();
  return { base: base!, json: JSON.parse(readFileSync(`${base}.json`, 'utf8')) };
}

/** Every target of S1–S5, in the order the harness reports them. */
const EVERY_TARGET = ['ceiling', 'kuykan-memory', 'kuykan-sqlite', 'socketio', 'socketio-msgpack'];

describe('benchmark harness (smoke)', () => {
  // Two load-generator processes, so the split and the merge of their reports are exercised too.
  it('runs every scenario against every target over two load-generator processes, then the efficiency scenario, and writes JSON, Markdown and SVG, leaving git clean', async () => {
    const before = gitStatus();
    // No --out: the default place of smoke results must be one git ignores.
    // About a minute on a quiet machine; 2½ minutes at load average 15 (the limits leave room for worse).
    const suite = await bench(['--smoke', '--loadgen-procs', '2'], 290_000);
    const { stdout } = suite;
    expect(stdout).toMatch(/\| target \| deliveries\/s/);
    const { base, json } = results(suite, '-smoke');
    expect(basename(dirname(base))).toBe('tmp');
    expect(gitStatus()).toBe(before);
    readFileSync(`${base}.md`);
    readFileSync(`${base}.svg`);
    const targets = json.rows.map((r: { target: string }) => r.target);
    expect(targets).toEqual(EVERY_TARGET);
    for (const row of json.rows) {
      expect(row.throughput, row.target).toBeGreaterThan(0);
      // Deliveries counted within the window: on a busy shared machine a few arrive late, but
      // never more than were sent (that would be a duplicate).
      expect(row.completeness, row.target).toBeGreaterThan(0);
      expect(row.completeness, row.target).toBeLessThanOrEqual(1);
      // With a handful of smoke connections the RSS delta is noise (GC may shrink it): only check it was measured.
      expect(Number.isFinite(row.rssPerConnectionKb), row.target).toBe(true);
      expect(row.idleCpuMsPerSec, row.target).toBeGreaterThanOrEqual(0);
      expect(row.churnPerSec, row.target).toBeGreaterThan(0);
      expect(row.churnCpuMs, row.target).toBeGreaterThan(0);
      expect(row.idleConnected, row.target).toBe(row.idleAsked);
    }
    type Measured = { delivered: number; p99Ms: number; workers: { sent: number; delivered: number }[] };
    // S3 and S5 have a latency wherever something was delivered in their 400 ms. A starved machine
    // (load average 15) once delivered nothing in one of them: that run has no latency to check, but
    // the scenarios as a whole must measure some.
    const latencyRuns = ['latency', 'slow'].flatMap((s) =>
      Object.values(json.raw[s] as Record<string, Measured[]>).flat(),
    );
    for (const m of latencyRuns) expect(m.p99Ms > 0 || m.delivered === 0, JSON.stringify(m)).toBe(true);
    expect(latencyRuns.filter((m) => m.p99Ms > 0).length).toBeGreaterThan(latencyRuns.length / 2);
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

    // The efficiency scenario: each target at three loads, an idle window before each loaded one.
    const { json: e } = results(suite, '-smoke-efficiency');
    expect(stdout).toMatch(/\| check \| at deliveries\/s \|/);
    expect(e.targets).toEqual(['ceiling', 'kuykan-memory', 'kuykan-sqlite', 'socketio']);
    expect(e.windows).toHaveLength(4 * 3);
    for (const w of e.windows) {
      const at = `${w.target} at ${w.load}`;
      expect(e.settings.loads[w.level], at).toBe(w.load);
      expect(w.completeness, at).toBeGreaterThan(0);
      expect(w.completeness, at).toBeLessThanOrEqual(1);
      expect(w.idleWindowMs, at).toBeGreaterThanOrEqual(e.settings.windowMs);
      expect(w.windowMs, at).toBeGreaterThanOrEqual(e.settings.windowMs);
      expect(w.cpuSeconds, at).toBeGreaterThan(0);
      expect(w.marginalCpuSeconds, at).toBeCloseTo(w.cpuSeconds - w.idleCpuSeconds * (w.windowMs / w.idleWindowMs), 9);
    }
    expect(e.checks).toHaveLength(ISSUE_CHECKS.length);
    expect(e.checks.filter((c: { value?: unknown }) => c.value).length).toBeGreaterThan(0);
  }, 300_000);

  it('measures the idle footprint alone, every target against the ceiling (--footprint)', async () => {
    const { json } = results(await bench(['--smoke', '--footprint'], 60_000), '-smoke-footprint');
    expect(json.rows.map((r: { target: string }) => r.target)).toEqual(EVERY_TARGET);
    // Thirty connections are within the noise of a server's RSS: only that each was measured is checked.
    for (const row of json.rows) {
      expect(row.connected, row.target).toBe(30);
      expect(Number.isFinite(row.rssPerConnectionKb), row.target).toBe(true);
    }
  }, 70_000);

  it('measures connect + hello + login + join alone, every target against the ceiling (--churn)', async () => {
    const { base, json } = results(await bench(['--smoke', '--churn'], 60_000), '-smoke-churn');
    expect(json.rows.map((r: { target: string }) => r.target)).toEqual(EVERY_TARGET);
    for (const row of json.rows) {
      expect(row.perSec, row.target).toBeGreaterThan(0);
      expect(row.cpuMsPerConnection, row.target).toBeGreaterThan(0);
    }
    expect(readFileSync(`${base}.md`, 'utf8')).toContain('| kuykan-memory |');
  }, 70_000);

  it('profiles the Kuykan scenarios and measures every stage of the message path (--profile)', async () => {
    const { json } = results(await bench(['--smoke', '--profile'], 140_000), '-smoke-profile');
    // Every stage's function is found in this checkout's server: a rename here must be followed in stages.ts.
    const [costs] = json.stages;
    expect(costs.label).toBe('this checkout');
    const stages = costs.runs[0] as { stage: string; nsPerOp?: { median: number }; error?: string }[];
    expect(new Set(stages.map((s) => s.stage))).toEqual(
      new Set([
        'decode',
        'validate',
        'rate limit',
        'store append',
        'sequencer',
        'encode',
        'socket write',
        'metrics',
        'ack',
      ]),
    );
    for (const s of stages) expect(s.error, s.stage).toBeUndefined();
    for (const s of stages) expect(s.nsPerOp!.median, s.stage).toBeGreaterThan(0);
    expect(json.profiles.map((p: { target: string }) => p.target)).toEqual([
      'kuykan-memory',
      'kuykan-sqlite',
      'kuykan-memory',
    ]);
    for (const p of json.profiles) {
      readFileSync(p.file);
      expect(p.summary.sampledMs, p.scenario).toBeGreaterThan(0);
      expect(p.window.toUs, p.scenario).toBeGreaterThan(p.window.fromUs);
    }
    // What each message allocates, on both stores, with the decode of each send found in it.
    expect(json.allocations.map((a: { target: string }) => a.target)).toEqual(['kuykan-memory', 'kuykan-sqlite']);
    for (const { summary } of json.allocations) {
      expect(summary.messages).toBeGreaterThan(0);
      expect(summary.bytesPerMessage).toBeGreaterThan(0);
      expect(summary.stages.map((s: { stage: string }) => s.stage)).toContain('decode');
    }
  }, 150_000);
});
