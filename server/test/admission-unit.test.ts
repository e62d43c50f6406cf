import { encodeFrame } from '@kuykan/protocol';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { Admission, DEFAULT_ADMISSION } from '../src/admission.js';
import { StoreBroker } from '../src/broker/index.js';
import { createCluster } from '../src/cluster/index.js';
import { Hub } from '../src/hub.js';
import { Metrics } from '../src/metrics.js';
import { resolveOptions } from '../src/options.js';
import { Session } from '../src/session.js';
import { MemoryStore } from '../src/store/index.js';

describe('Admission', () => {
  it('refuses connections past the per-address and per-node caps and frees slots on release [SEC-8]', () => {
    const admission = new Admission({ ...DEFAULT_ADMISSION, maxConnections: 3, maxConnectionsPerAddress: 2 });
    expect(admission.admit('a')).toBeUndefined();
    expect(admission.admit('a')).toBeUndefined();
    expect(admission.admit('a')?.[0]).toBe(429);
    expect(admission.admit('b')).toBeUndefined();
    expect(admission.admit('c')?.[0]).toBe(503);
    admission.release('a');
    expect(admission.admit('a')).toBeUndefined();
  });

  it('has no per-address cap when it is 0, as behind a load balancer, and still caps the node', () => {
    const admission = new Admission({ ...DEFAULT_ADMISSION, maxConnections: 300, maxConnectionsPerAddress: 0 });
    for (let i = 0; i < 300; i++) expect(admission.admit('10.0.0.1')).toBeUndefined();
    expect(admission.admit('10.0.0.1')?.[0]).toBe(503);
  });

  it('delays logins after the free failures, doubling each time up to the cap [LOGIN-7]', () => {
    let now = 0;
    const admission = new Admission(
      { ...DEFAULT_ADMISSION, freeLoginFailures: 2, loginFailureDelayMs: 100, maxLoginDelayMs: 350 },
      () => now,
    );
    const waits: number[] = [];
    for (let n = 0; n < 6; n++) {
      admission.loginFailed('a');
      waits.push(admission.loginWait('a'));
    }
    expect(waits).toEqual([0, 0, 100, 200, 350, 350]);
    expect(admission.loginWait('b')).toBe(0);
    now += 350;
    expect(admission.loginWait('a')).toBe(0);
  });
});

describe('Session backpressure [SEC-9]', () => {
  it('stops reading at maxInFlight pending frames and resumes once half are handled', async () => {
    const options = resolveOptions({ store: 'memory', logLevel: 'silent', limits: { maxInFlight: 4 } });
    const log = pino({ level: 'silent' });
    const hub = new Hub(
      options,
      new StoreBroker(new MemoryStore()),
      createCluster('local', options, log),
      new Metrics({ engine: 'local', store: 'memory' }),
      log,
    );
    const calls: string[] = [];
    const ws = {
      OPEN: 1,
      readyState: 1,
      bufferedAmount: 0,
      send: () => {},
      close: () => {},
      terminate: () => {},
      pause: () => calls.push('pause'),
      resume: () => calls.push('resume'),
    };
    const session = new Session(ws as never, hub);
    session.receive(encodeFrame({ type: 'hello', versions: [1], client: 'test' }));
    for (let n = 0; n < 5; n++) session.receive(encodeFrame({ type: 'ping', id: n }));
    expect(calls).toEqual(['pause']);
    await (session as unknown as { tail: Promise<void> }).tail;
    expect(calls).toEqual(['pause', 'resume']);
  });
});
