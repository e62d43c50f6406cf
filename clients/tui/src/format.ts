/** Display formatting for the message log: times, day separators, stable name colours, as styled spans. */
import { type Span, wrap } from './layout.js';

/** 256-colour palette indices readable on dark and light backgrounds. */
const PALETTE = [33, 37, 41, 71, 97, 134, 136, 166, 168, 172, 178, 203, 208, 214, 39, 75];
export const GRAY = ['gray-fg'];

/** A stable colour per user name. */
export function colourOf(name: string): number {
  let hash = 2166136261;
  for (const ch of name.toLowerCase()) hash = Math.imul(hash ^ ch.codePointAt(0)!, 16777619);
  return PALETTE[Math.abs(hash) % PALETTE.length]!;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** `HH:MM` in local time. */
export function hhmm(ts: number): string {
  const d = new Date(ts);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** `YYYY-MM-DD` in local time, for day separators. */
export function day(ts: number): string {
  const d = new Date(ts);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** A dimmed system notice (joined, left, reconnected…) at `width` columns. */
export function noticeLines(ts: number, text: string, width: number, error = false): string[] {
  const spans: Span[] = [{ text: `${hhmm(ts)} ── ${text}`, style: error ? ['red-fg'] : GRAY }];
  return wrap(spans, { width, indent: [{ text: ' '.repeat(9) }] });
}

/** A line marking the top of what can be shown (`start of #lobby`, `loading older messages…`). */
export function edgeLine(text: string, width: number): string[] {
  return wrap([{ text: `── ${text} ──`, style: GRAY }], { width });
}

/** The read marker: where the messages I had not seen begin. */
export function newLine(width: number): string {
  const side = Math.max(2, Math.floor((Math.min(width, 42) - 5) / 2));
  return wrap([{ text: `${'─'.repeat(side)} new ${'─'.repeat(side)}`, style: ['red-fg'] }], { width })[0]!;
}

/** A day separator line, centred in `width` columns. */
export function dayLine(ts: number, width: number): string {
  const label = ` ${day(ts)} `;
  const side = Math.max(2, Math.floor((Math.min(width, 42) - label.length) / 2));
  return wrap([{ text: `${'─'.repeat(side)}${label}${'─'.repeat(side)}`, style: GRAY }], { width })[0]!;
}
