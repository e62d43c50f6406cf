/** The results file, the Markdown table with ratios, and an SVG bar chart. */
import type { TargetKind } from './clients.js';

export interface Row {
  target: TargetKind;
  throughput: number;
  p99AtHalf: number;
  p50AtHalf: number;
  rssPerConnectionKb: number;
  /** S1: server CPU with every connection held idle, ms per second. */
  idleCpuMsPerSec: number;
  /** S1: connections that joined, of those asked for. */
  idleConnected: number;
  idleAsked: number;
  churnPerSec: number;
  /** S4: server CPU per connect + login + join, ms. */
  churnCpuMs: number;
  serverCpu: number;
  loadgenBusy: number;
  completeness: number;
  /** S5: others' p99 with slow consumers present, and the server's RSS then. */
  p99WithSlow: number;
  rssWithSlowMb: number;
}

const fmt = (n: number) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: 2 }) : '–');
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : '–');
/** Deliveries per second of server CPU: efficiency, meaningful even when the generator is the limit. */
const perCpu = (r: Row) => (r.serverCpu > 0 ? Math.round(r.throughput / (r.serverCpu / 100)) : 0);

export function markdown(rows: Row[], context: string): string {
  const byTarget = (t: TargetKind) => rows.find((r) => r.target === t);
  const ceiling = byTarget('ceiling');
  const sio = byTarget('socketio');
  const lines = [
    `| target | deliveries/s (S2) | × ceiling | × Socket.IO | deliveries per server CPU-second (S2) | × ceiling | p50 / p99 at ½ ceiling (ms, S3) | p99 with slow consumers (ms, S5) | server RSS in S5 (MB) | RSS per idle conn (KB, S1) | × ceiling | idle server CPU (ms/s, S1) | × ceiling | connect+login+join/s (S4) | server CPU per connection (ms, S4) | server CPU % (S2) | delivered (S2) |`,
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows
      .map((r) =>
        [
          r.target,
          fmt(r.throughput),
          ratio(r.throughput, ceiling?.throughput ?? 0),
          ratio(r.throughput, sio?.throughput ?? 0),
          fmt(perCpu(r)),
          ratio(perCpu(r), ceiling ? perCpu(ceiling) : 0),
          `${fmt(r.p50AtHalf)} / ${fmt(r.p99AtHalf)}`,
          `${fmt(r.p99WithSlow)} (${ratio(r.p99WithSlow, r.p99AtHalf)} S3)`,
          fmt(r.rssWithSlowMb),
          r.idleConnected < r.idleAsked
            ? `${fmt(r.rssPerConnectionKb)} (${fmt(r.idleConnected)} of ${fmt(r.idleAsked)} joined)`
            : fmt(r.rssPerConnectionKb),
          ratio(r.rssPerConnectionKb, ceiling?.rssPerConnectionKb ?? 0),
          fmt(r.idleCpuMsPerSec),
          ratio(r.idleCpuMsPerSec, ceiling?.idleCpuMsPerSec ?? 0),
          fmt(r.churnPerSec),
          fmt(r.churnCpuMs),
          fmt(r.serverCpu),
          `${Math.round(r.completeness * 100)}%`,
        ].join(' | '),
      )
      .map((l) => `| ${l} |`),
  ];
  return `${lines.join('\n')}\n\n${context}\n`;
}

/** A horizontal bar chart of deliveries per second. */
export function svg(rows: Row[]): string {
  const max = Math.max(1, ...rows.map((r) => r.throughput));
  const bar = 22;
  const height = rows.length * (bar + 10) + 40;
  const bars = rows
    .map((r, i) => {
      const y = 30 + i * (bar + 10);
      const w = Math.round((r.throughput / max) * 420);
      return `<text x="150" y="${y + 15}" text-anchor="end" font-size="12">${r.target}</text><rect x="160" y="${y}" width="${w}" height="${bar}" fill="${r.target.startsWith('kuykan') ? '#0f766e' : '#94a3b8'}"/><text x="${165 + w}" y="${y + 15}" font-size="12">${fmt(r.throughput)}/s</text>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="720" height="${height}" font-family="sans-serif"><title>Deliveries per second</title><text x="10" y="18" font-size="14" font-weight="bold">Deliveries per second (S2, median of repetitions)</text>${bars}</svg>\n`;
}
