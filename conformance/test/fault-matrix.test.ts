import type { FaultName } from '@kuykan/server';
import { afterAll, describe, expect, it } from 'vitest';
import { FAULT_EXPECTATIONS } from './fault-cases.js';
import { MutationProxy } from './mutation-proxy.js';
import { BENIGN, PROXY_FAULTS } from './mutations.js';
import { cli, SUITE_LIMITS, withServer } from './run-against.js';

/** Each fault runs the sections that can see it, with few property runs, against its own server. */
const args = (only: string) => ['--seed', '99', '--runs', '3', ...(only ? ['--only', only] : [])];
const failedIds = (out: string) => [...out.matchAll(/^([A-Z]+-\d+) +(?:MUST|MUST NOT) +FAIL/gm)].map((m) => m[1]);

const started = Date.now();
const killed: string[] = [];
const total = Object.keys(FAULT_EXPECTATIONS).length + PROXY_FAULTS.length;

describe.concurrent('kuykan-conformance fault matrix', () => {
  for (const [fault, { requirement, only }] of Object.entries(FAULT_EXPECTATIONS)) {
    it(`fails a server with fault ${fault} and names ${requirement}`, async () => {
      await withServer({ faults: [fault as FaultName] }, async (server) => {
        const result = await cli([server.url, ...args(only)]);
        expect(result.code).toBe(1);
        expect(failedIds(result.out)).toContain(requirement);
        expect(result.out).toMatch(/replay: kuykan-conformance .* --replay kc1\./);
        killed.push(fault);
      });
    }, 120_000);
  }

  for (const fault of PROXY_FAULTS) {
    it(`fails a proxied server with bug ${fault.name} and names ${fault.requirement}`, async () => {
      // The proxy's extra hop loads the shared process: a heartbeat that survives a stalled loop (PING-5 still runs).
      const limits = { ...SUITE_LIMITS, heartbeatMs: 5_000, ...((fault.server?.limits as object) ?? {}) };
      await withServer({ ...fault.server, limits }, async (server) => {
        const proxy = await MutationProxy.start(server.url, fault.make());
        try {
          const result = await cli([proxy.url, ...args(fault.only)]);
          if (!failedIds(result.out).includes(fault.requirement)) console.error(fault.name, result.out.slice(-6000));
          expect(result.code).toBe(1);
          expect(failedIds(result.out)).toContain(fault.requirement);
          killed.push(fault.name);
        } finally {
          await proxy.close();
        }
      });
    }, 120_000);
  }

  for (const variant of BENIGN) {
    it(`passes a proxied server with the allowed variation ${variant.name}`, async () => {
      // A pass must not hinge on the machine: a slow heartbeat, so a stalled event loop closes nothing.
      const limits = { ...SUITE_LIMITS, heartbeatMs: 10_000, ...((variant.server?.limits as object) ?? {}) };
      await withServer({ ...variant.server, limits }, async (server) => {
        const proxy = await MutationProxy.start(server.url, variant.make());
        try {
          const result = await cli([proxy.url, ...args(variant.only)]);
          if (result.code !== 0) console.error(variant.name, result.out.slice(-6000));
          expect(result.code).toBe(0);
          expect(result.out).toMatch(variant.verdict);
        } finally {
          await proxy.close();
        }
      });
    }, 120_000);
  }

  afterAll(() => {
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    console.info(
      `fault kill rate: ${killed.length}/${total} (${Math.round((100 * killed.length) / total)}%) in ${seconds} s`,
    );
  });
});
