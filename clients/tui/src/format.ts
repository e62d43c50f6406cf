/** Display formatting for the message log: times, day separators, stable name colours. */
import type { ChatMessage } from '@kuykan/sdk';
import { safe, safeLines } from './sanitize.js';

/** 256-colour palette indices readable on dark and light backgrounds. */
const PALETTE = [33, 37, 41, 71, 97, 134, 136, 166, 168, 172, 178, 203, 208, 214, 39, 75];

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

/**
 * The log lines of one message: `HH:MM name: text`, own messages marked with
 * `›`. Continuation lines of a multi-line message are indented, so a message
 * cannot forge a line that looks like someone else's.
 */
export function messageLines(message: ChatMessage, own: boolean): string[] {
  const [first = '', ...rest] = safeLines(message.text);
  const name = `{${colourOf(message.from)}-fg}{bold}${safe(message.from)}{/bold}{/}`;
  const marker = own ? '{cyan-fg}›{/}' : ' ';
  const head = `{gray-fg}${hhmm(message.ts)}{/}${marker}${name}: ${first}`;
  return [head, ...rest.map((line) => `        {gray-fg}│{/} ${line}`)];
}

/** A dimmed system notice line (joined, left, reconnected…). */
export function noticeLine(ts: number, text: string): string {
  return `{gray-fg}${hhmm(ts)} ── ${safe(text)}{/}`;
}

/** A day separator line. */
export function dayLine(ts: number): string {
  return `{gray-fg}────────── ${day(ts)} ──────────{/}`;
}
