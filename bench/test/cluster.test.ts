import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { redisMissing } from '../../server/test/redis.js';

const run = promisify(execFile);
const missing = await redisMissing('bench --cluster');

describe.skipIf(missing)('benchmark harness, --cluster (smoke)', () => {
  it('measures one node and three nodes on Redis, every message delivered, with their efficiency, and writes the table', async () => {
    const out = mkdtempSync(join(tmpdir(), 'kuykan-bench-cluster-'));
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'bench/src/cli.ts', '--cluster', '--smoke', '--out', out],
      { timeout: 120_000 },
    );
    expect(stdout).toContain('kuykan-cluster (three nodes, Redis engine)');
    const json = JSON.parse(readFileSync(join(out, readdirSync(out).find((f) => f.endsWith('.json'))!), 'utf8'));
    expect(json.rows.map((r: { target: string }) => r.target)).toEqual([
      'kuykan-memory',
      'kuykan-redis',
      'kuykan-cluster',
    ]);
    for (const row of json.rows) {
      expect(row.p99Ms, row.target).toBeGreaterThan(0);
      // Across nodes too, nothing is lost and nothing doubled (completeness above 1 would be a duplicate).
      expect(row.completeness, row.target).toBeGreaterThan(0.9);
      expect(row.completeness, row.target).toBeLessThanOrEqual(1);
      // Deliveries per marginal CPU-second of all nodes at each load, and the ratios to the one-node targets.
      expect(row.efficiency, row.target).toHaveLength(json.settings.loads.length);
      expect(row.overRedisNode, row.target).toHaveLength(json.settings.loads.length);
    }
    const redis = json.rows.find((r: { target: string }) => r.target === 'kuykan-redis');
    for (const ratio of redis.overRedisNode) if (ratio) expect(ratio.median).toBe(1);
    expect(stdout).toContain('deliveries per marginal CPU-second at');
  }, 150_000);
});
