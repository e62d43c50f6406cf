import { decode, encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
// @ts-expect-error: a plain JS module (adapters are what third parties write)
import { createClient } from '../adapters/kuykan-sdk.mjs';
import { runClientSuite } from '../src/client/client-suite.js';
import { cli } from './run-against.js';

/** A `ws` socket that rewrites each outgoing wire map: a fault injected into the SDK under test. */
function faultySocket(edit: (wire: Record<string, unknown>, send: (w: Record<string, unknown>) => void) => void) {
  return class FaultySocket extends WebSocket {
    override send(data: unknown, ...rest: unknown[]): void {
      const wire = decode(data as Uint8Array) as Record<string, unknown>;
      edit(wire, (w) => super.send(encode(w), ...(rest as [])));
    }
  };
}

const sdk = (options: Record<string, unknown> = {}) => ({ createClient: () => createClient(options) });

describe('kuykan-conformance client suite', () => {
  it('passes @kuykan/sdk on every client rule it checks', async () => {
    const results = await runClientSuite(sdk());
    const bad = results.filter((r) => r.outcome !== 'pass');
    if (bad.length > 0) console.error(bad);
    expect(bad).toEqual([]);
    console.info(`client suite on @kuykan/sdk: ${results.length}/${results.length} pass`);
  }, 90_000);

  it('catches an SDK that reconnects without backoff (CLOSE-3)', async () => {
    const [result] = await runClientSuite(
      sdk({ backoff: { minMs: 1, maxMs: 1 } }),
      (t) => t.id === 'client/reconnect-backoff',
    );
    expect(result).toMatchObject({ outcome: 'fail', requirement: 'CLOSE-3' });
  }, 60_000);

  it('catches an SDK that resumes with an epoch but no seq (RES-3)', async () => {
    const WebSocketImpl = faultySocket((wire, send) => {
      if (wire.t === 3 && wire.e !== undefined) delete wire.s;
      send(wire);
    });
    const [result] = await runClientSuite(
      sdk({ WebSocket: WebSocketImpl }),
      (t) => t.id === 'client/reconnect-backoff',
    );
    expect(result).toMatchObject({ outcome: 'fail', requirement: 'RES-3' });
  }, 60_000);

  it('catches an SDK that sends typing on every keystroke (TYPE-4)', async () => {
    let n = 1_000;
    const WebSocketImpl = faultySocket((wire, send) => {
      send(wire);
      // Unthrottled: each keystroke's typing goes out, as if the throttle were missing.
      if (wire.t === 8 && wire.a === true) for (let i = 0; i < 3; i++) send({ ...wire, i: n++ });
    });
    const [result] = await runClientSuite(sdk({ WebSocket: WebSocketImpl }), (t) => t.id === 'client/typing-throttle');
    expect(result).toMatchObject({ outcome: 'fail', requirement: 'TYPE-4' });
  }, 60_000);

  it('runs from the command line with an adapter module', async () => {
    const result = await cli(['client', 'conformance/adapters/kuykan-sdk.mjs']);
    expect(result.out).toContain('RESULT: the client follows every rule checked');
    expect(result.code).toBe(0);
  }, 90_000);

  it('drives a client over a JSON-lines driver on stdio', async () => {
    const result = await cli(['client', '--driver', `${process.execPath} conformance/adapters/kuykan-sdk-driver.mjs`]);
    if (result.code !== 0) console.error(result.out, result.err);
    expect(result.out).toContain('RESULT: the client follows every rule checked');
    expect(result.code).toBe(0);
  }, 90_000);
});
