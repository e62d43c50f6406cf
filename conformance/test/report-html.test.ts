import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MutationProxy } from './mutation-proxy.js';
import { PROXY_FAULTS } from './mutations.js';
import { cli, withServer } from './run-against.js';

describe('kuykan-conformance HTML report', () => {
  it('writes one self-contained page with per-requirement results and the failure transcript', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kuykan-conf-html-')), 'report.html');
    const fault = PROXY_FAULTS.find((f) => f.name === 'pong-wrong-id')!;
    await withServer({}, async (server) => {
      const proxy = await MutationProxy.start(server.url, fault.make());
      try {
        const result = await cli([
          proxy.url,
          '--seed',
          '5',
          '--only',
          'ping/pong-before-login',
          '--report',
          `html=${path}`,
        ]);
        expect(result.code).toBe(1);
      } finally {
        await proxy.close();
      }
    });
    const page = readFileSync(path, 'utf8');
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('RESULT: NOT conformant');
    expect(page).toMatch(/<tr id="PING-1"><td>PING-1<\/td><td>MUST<\/td><td[^>]*>FAIL<\/td>/);
    expect(page).toMatch(/breaks <a href="#PING-1">PING-1<\/a>/);
    expect(page).toMatch(/<pre>[\s\S]*&quot;type&quot;:&quot;ping&quot;[\s\S]*<\/pre>/);
    // No external assets: no scripts, stylesheets, images or fonts from elsewhere.
    expect(page).not.toMatch(/<script|<link|<img|src=|url\(|@import/i);
  }, 60_000);
});
