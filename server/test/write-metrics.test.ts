/**
 * Frame counters and store timings as a scrape shows them: every frame
 * once, every store call under its operation.
 */

import { describe, expect, it } from 'vitest';
import { Metrics } from '../src/metrics.js';

const metric = (text: string, line: string): number | undefined => {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
};

describe('frame counters', () => {
  it('show every frame counted since start at each scrape, once', async () => {
    const metrics = new Metrics({ engine: 'local', store: 'memory' });
    for (let n = 0; n < 3; n++) metrics.frameIn('send');
    metrics.frameIn('ping');
    metrics.framesSent('message', 10);
    let text = await metrics.registry.metrics();
    expect(metric(text, 'kuykan_frames_in_total{type="send"}')).toBe(3);
    expect(metric(text, 'kuykan_frames_in_total{type="ping"}')).toBe(1);
    expect(metric(text, 'kuykan_frames_out_total{type="message"}')).toBe(10);

    // Counted between scrapes: added once, nothing counted twice or lost.
    metrics.frameIn('send');
    metrics.frameIn('send');
    metrics.framesSent('ack');
    text = await metrics.registry.metrics();
    expect(metric(text, 'kuykan_frames_in_total{type="send"}')).toBe(5);
    expect(metric(text, 'kuykan_frames_out_total{type="message"}')).toBe(10);
    expect(metric(text, 'kuykan_frames_out_total{type="ack"}')).toBe(1);
    text = await metrics.registry.metrics();
    expect(metric(text, 'kuykan_frames_in_total{type="send"}')).toBe(5);
  });

  it('times store calls under their operation label', async () => {
    const metrics = new Metrics({ engine: 'local', store: 'memory' });
    await metrics.timeStore('append', async () => 1);
    await metrics.timeStore('append', async () => 2);
    await expect(metrics.timeStore('range', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    const text = await metrics.registry.metrics();
    expect(metric(text, 'kuykan_store_seconds_count{op="append"}')).toBe(2);
    expect(metric(text, 'kuykan_store_seconds_count{op="range"}')).toBe(1);
  });

  it('times each send to its ack', async () => {
    const metrics = new Metrics({ engine: 'local', store: 'memory' });
    metrics.acked(performance.now() - 3);
    metrics.acked(performance.now());
    const text = await metrics.registry.metrics();
    expect(metric(text, 'kuykan_send_ack_seconds_count')).toBe(2);
    expect(metric(text, 'kuykan_send_ack_seconds_bucket{le="0.001"}')).toBe(1);
    expect(metric(text, 'kuykan_send_ack_seconds_bucket{le="0.005"}')).toBe(2);
  });
});
