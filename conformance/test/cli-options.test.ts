import { describe, expect, it } from 'vitest';
import { runCli } from '../src/main.js';
import { cli, withServer } from './run-against.js';

describe('kuykan-conformance options and exit codes', () => {
  it('exits 2 without a URL or with an unknown option', async () => {
    expect((await cli([])).code).toBe(2);
    const bad = await cli(['ws://127.0.0.1:1', '--frobnicate']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('usage: kuykan-conformance');
  });

  it('exits 2 for a malformed --runs or --report', async () => {
    expect((await cli(['ws://127.0.0.1:1', '--runs', 'many'])).code).toBe(2);
    expect((await cli(['ws://127.0.0.1:1', '--report', 'xml=/tmp/x'])).code).toBe(2);
  });

  it('exits 2 when it cannot connect', async () => {
    const result = await cli(['ws://127.0.0.1:1', '--timeout', '2000']);
    expect(result.code).toBe(2);
    expect(result.err).toContain('cannot connect');
  });

  it('exits 2 when the selection matches no test', async () => {
    const result = await cli(['ws://127.0.0.1:1', '--only', 'NOPE-*']);
    expect(result.code).toBe(2);
    expect(result.err).toContain('zero cases');
  });

  it('lists every requirement with its tests or the reason it is uncovered', async () => {
    const result = await cli(['--list']);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^MSG-7 +MUST +.*messages\/exactly-once-in-order/m);
    expect(result.out).toMatch(/^MSG-3 +MUST +UNCOVERED — durability across a crash/m);
  });

  it('runs only the selected requirement globs and reports the rest as not run', async () => {
    await withServer({}, async (server) => {
      const result = await cli([server.url, '--seed', '3', '--only', 'ROOM-1,PING-1,PING-2']);
      expect(result.code).toBe(0);
      expect(result.out).toMatch(/^ROOM-1 +MUST +PASS/m);
      expect(result.out).toMatch(/^PING-2 +MUST +PASS/m);
      expect(result.out).not.toMatch(/^HIST-1 /m);
      // A narrowed run says how much it left out and gives no verdict [the "--skip says 0 uncovered"].
      expect(result.out).toMatch(/, \d+ not run · /);
      expect(result.out).toContain('so this is no conformance verdict');
      expect(result.out).not.toContain('RESULT: conformant');
    });
  }, 60_000);

  it('shows a live progress line on a terminal', async () => {
    await withServer({}, async (server) => {
      let out = '';
      const code = await runCli([server.url, '--seed', '4', '--only', 'PING-1,PING-2'], {
        out: (t) => {
          out += t;
        },
        err: () => {},
        isTTY: true,
      });
      expect(code).toBe(0);
      expect(out).toContain('\r\x1b[2K[1/2] ping/pong-before-login');
      expect(out).not.toMatch(/^PASS {4}ping/m);
    });
  }, 60_000);
});
