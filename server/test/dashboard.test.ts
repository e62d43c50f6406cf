/**
 * The Grafana dashboard in docs/grafana names only metrics a real server
 * exports: a renamed metric fails here, not on an operator's screen.
 */

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { startTestServer } from './helpers.js';

const dashboard = JSON.parse(
  readFileSync(new URL('../../docs/grafana/kuykan-dashboard.json', import.meta.url), 'utf8'),
) as { panels: Array<{ title: string; targets: Array<{ expr: string }> }>; templating: { list: unknown[] } };

/** PromQL words that are not metric names. */
const PROMQL = new Set(
  'sum by without rate irate increase histogram_quantile max min avg count label_values le instance on ignoring offset'.split(
    ' ',
  ),
);

/** Metric names in one PromQL expression: identifiers outside braces, labels and functions removed. */
function metricNames(expr: string): string[] {
  const outside = expr.replace(/\{[^}]*\}/g, ' ').replace(/\[[^\]]*\]/g, ' ');
  const words = outside.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [];
  return words.filter((w) => !PROMQL.has(w) && w.includes('_'));
}

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('Grafana dashboard', () => {
  it('queries only metrics the server exports', async () => {
    const text = await (await fetch(`${server.httpUrl}/metrics`)).text();
    const exported = new Set<string>();
    for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
      exported.add(name!);
      if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) exported.add(name + suffix);
      if (type === 'summary') for (const suffix of ['_sum', '_count']) exported.add(name + suffix);
    }
    const queries = dashboard.panels.flatMap((p) => p.targets.map((t) => ({ panel: p.title, expr: t.expr })));
    expect(queries.length).toBeGreaterThan(10);
    const named = new Set<string>();
    for (const { panel, expr } of queries) {
      const names = metricNames(expr);
      expect(names, `${panel}: ${expr}`).not.toHaveLength(0);
      for (const name of names) {
        expect(exported.has(name), `${panel}: ${name} is not exported`).toBe(true);
        named.add(name);
      }
    }
    for (const variable of JSON.stringify(dashboard.templating).match(/kuykan_[a-z_]+/g) ?? []) {
      expect(exported.has(variable), variable).toBe(true);
    }
    // The dashboard shows the live gauges and the closes by code and side.
    for (const name of ['kuykan_rooms', 'kuykan_users', 'kuykan_connections_closed_total'])
      expect(named).toContain(name);
  });

  it('finds the metric names in a query (so the test above can fail)', () => {
    expect(metricNames('histogram_quantile(0.99, sum by (le) (rate(kuykan_x_bucket{a="b_c"}[5m])))')).toEqual([
      'kuykan_x_bucket',
    ]);
  });
});
