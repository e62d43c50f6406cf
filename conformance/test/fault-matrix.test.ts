import { describe, expect, it } from 'vitest';
import { FAULT_EXPECTATIONS } from './fault-cases.js';
import { cli, withServer } from './run-against.js';

// The hello timeout (10 s), the slow-consumer flood (~16 MB) and the heartbeat wait (7 s) touch no fault; everything else runs, with fewer property runs.
const FAST = [
  '--seed',
  '99',
  '--runs',
  '3',
  '--skip',
  'handshake/hello-timeout,security/slow-consumer,ping/dead-connection-closed',
];

describe('kuykan-conformance fault matrix', () => {
  const killed: string[] = [];
  for (const [fault, requirement] of Object.entries(FAULT_EXPECTATIONS)) {
    it(`fails a server with fault ${fault} and names ${requirement}`, async () => {
      await withServer({ faults: [fault as keyof typeof FAULT_EXPECTATIONS] }, async (server) => {
        const result = await cli([server.url, ...FAST]);
        const failed = [...result.out.matchAll(/^([A-Z]+-\d+) +(?:MUST|MUST NOT) +FAIL/gm)].map((m) => m[1]);
        expect(result.code).toBe(1);
        expect(failed).toContain(requirement);
        expect(result.out).toMatch(/replay: kuykan-conformance .* --replay kc1\./);
        killed.push(fault);
      });
    }, 90_000);
  }

  it('reports the kill rate', () => {
    const total = Object.keys(FAULT_EXPECTATIONS).length;
    console.info(`fault kill rate: ${killed.length}/${total} (${Math.round((100 * killed.length) / total)}%)`);
    expect(killed.length).toBe(total);
  });
});
