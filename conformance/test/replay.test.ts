import { describe, expect, it } from 'vitest';
import { decodeReplay, encodeReplay } from '../src/replay.js';
import { cli, withServer } from './run-against.js';

describe('replay tokens', () => {
  it('round-trips seed, test and path', () => {
    const spec = { seed: 42, test: 'model/chat-sessions', path: '3:1:0' };
    expect(decodeReplay(encodeReplay(spec))).toEqual(spec);
    expect(() => decodeReplay('garbage')).toThrow(/replay token/);
  });

  it('re-runs exactly the failing property case, with its transcript', async () => {
    await withServer({ faults: ['idempotency-ignored'] }, async (server) => {
      const first = await cli([server.url, '--seed', '11', '--runs', '20', '--only', 'model/*']);
      expect(first.code).toBe(1);
      const token = /--replay (kc1\.\S+)/.exec(first.out)?.[1];
      expect(token).toBeDefined();
      expect(decodeReplay(token!).path).toBeTruthy();
      const again = await cli([server.url, '--replay', token!]);
      expect(again.code).toBe(1);
      expect(again.out).toMatch(/breaks MSG-5/);
      // --replay implies --trace: every frame goes to stderr.
      expect(again.err).toContain('"type":"send"');
    });
  }, 90_000);
});
