/**
 * `/metrics` of a real server after connections that log in, join, chat, get
 * rate limited and close from either side: Prometheus names and the live
 * gauges read at scrape time.
 */

import { CloseCode, ErrorCode } from '@kuykan/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { member, RawClient, startTestServer } from './helpers.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({ limits: { sendRate: 1, sendBurst: 1 } });
});
afterAll(() => server.close());

const scrape = async () => (await fetch(`${server.httpUrl}/metrics`)).text();
/** The value of one sample, e.g. `kuykan_rooms` or `kuykan_joins_total{kind="fresh"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('metrics', () => {
  it('include process and Node.js defaults and the build info', async () => {
    const text = await scrape();
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_p99_seconds',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(text).toContain(
      `kuykan_build_info{version="0.1.0",node="${process.version}",engine="local",store="memory"} 1`,
    );
  });

  it('read live rooms and users when scraped, without waiting for a close', async () => {
    const a = await member(server.url, 'gauge-a', 'gauge-room-1');
    await a.join('gauge-room-2');
    const text = await scrape();
    expect(sample(text, 'kuykan_rooms')).toBe(2);
    expect(sample(text, 'kuykan_users')).toBe(1);
    a.close();
    await a.waitClosed();
  });

  it('count logins, joins, rate limiting and closes by code and side', async () => {
    const before = await scrape();
    const count = (text: string, series: string) => sample(text, series) ?? 0;
    const a = await member(server.url, 'counted', 'counted-room');
    await a.request({ type: 'send', room: 'counted-room', clientId: 'c1', text: 'one' });
    const refused = await a.request({ type: 'send', room: 'counted-room', clientId: 'c2', text: 'two' });
    expect(refused.type === 'error' && refused.code).toBe(ErrorCode.RATE_LIMITED);
    await a.request({ type: 'leave', room: 'counted-room' });
    a.ws.close(1000);
    await a.waitClosed();
    const b = await RawClient.open(server.url, { hello: false });
    b.send({ type: 'ping', id: 1 });
    await b.waitClosed();
    // The server counts a close when its socket closes; a scrape right after may precede it.
    let after = await scrape();
    while (count(after, 'kuykan_connections') !== 0) after = await scrape();
    const delta = (series: string) => count(after, series) - count(before, series);

    expect(delta('kuykan_connections_opened_total')).toBe(2);
    expect(delta('kuykan_logins_total')).toBe(1);
    expect(delta('kuykan_joins_total{kind="fresh"}')).toBe(1);
    expect(delta('kuykan_leaves_total')).toBe(1);
    expect(delta('kuykan_rate_limited_total')).toBe(1);
    expect(delta('kuykan_connections_closed_total{code="1000",side="client"}')).toBe(1);
    expect(delta(`kuykan_connections_closed_total{code="${CloseCode.HANDSHAKE_VIOLATION}",side="server"}`)).toBe(1);
    expect(delta('kuykan_connection_duration_seconds_count')).toBe(2);
  });

  it('count refused upgrades by HTTP status', async () => {
    const before = sample(await scrape(), 'kuykan_upgrades_refused_total{status="400"}') ?? 0;
    await expect(RawClient.open(server.url, { protocol: 'other' })).rejects.toThrow();
    expect(sample(await scrape(), 'kuykan_upgrades_refused_total{status="400"}')).toBe(before + 1);
  });
});

describe('metrics on a listener of their own (--metrics-listen)', () => {
  let separate: RunningServer;
  beforeAll(async () => {
    separate = await startTestServer({ metricsListen: { host: '127.0.0.1', port: 0 } });
  });
  afterAll(() => separate.close());

  it('serves /metrics and /healthz there and nothing else', async () => {
    expect(separate.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const metrics = await fetch(`${separate.metricsUrl}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('kuykan_build_info');
    expect((await fetch(`${separate.metricsUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${separate.metricsUrl}/`)).status).toBe(404);
  });

  it('no longer serves /metrics on the chat port', async () => {
    const response = await fetch(`${separate.httpUrl}/metrics`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('kuykan_build_info');
  });
});
