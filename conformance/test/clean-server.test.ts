import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, withServer } from './run-against.js';

describe('kuykan-conformance against the clean reference server', () => {
  it('passes every covered MUST with a fixed seed and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kuykan-conf-'));
    const json = join(dir, 'report.json');
    const junit = join(dir, 'report.xml');
    await withServer({}, async (server) => {
      const result = await cli([
        server.url,
        '--seed',
        '1234',
        '--runs',
        '10',
        '--report',
        `json=${json},junit=${junit}`,
      ]);
      if (result.code !== 0) console.error(result.out, result.err);
      expect(result.code).toBe(0);
      // The reference server speaks version 2 (no "without v2"); files and token auth are options it may lack.
      expect(result.out).toMatch(
        /RESULT: conformant to the core profile \(without auth\.token(, files)?\); \d+ requirements? not offered/,
      );
      const report = JSON.parse(readFileSync(json, 'utf8'));
      expect(report.summary.notOffered).toBe(
        report.requirements.filter((r: { status: string }) => r.status === 'SKIP').length,
      );
      expect(report.summary.fail).toBe(0);
      expect(report.summary.inconclusive).toBe(0);
      // Every MUST is covered or listed with a reason.
      for (const r of report.requirements) if (r.status === 'UNCOVERED') expect(r.reason).not.toBe('no test yet');
      // The README's coverage line is the run's, not a hand-kept number.
      const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
      expect(readme).toContain(`MUSTs covered ${report.summary.mustsCovered}/${report.summary.musts}; uncovered`);
      console.info(
        `clean run: MUSTs covered ${report.summary.mustsCovered}/${report.summary.musts}, SHOULDs ${report.summary.shouldsCovered}/${report.summary.shoulds}, ${report.summary.cases} cases`,
      );
      expect(readFileSync(junit, 'utf8')).toContain('<testsuites name="kuykan-conformance"');
    });
  }, 120_000);

  it('spreads clients over several URLs of one cluster', async () => {
    await withServer({}, async (server) => {
      const result = await cli([
        server.url,
        server.url.replace('127.0.0.1', 'localhost'),
        '--seed',
        '7',
        '--only',
        'messages,ping',
      ]);
      expect(result.code).toBe(0);
      expect(result.out).toContain(server.url.replace('127.0.0.1', 'localhost'));
    });
  }, 60_000);
});
