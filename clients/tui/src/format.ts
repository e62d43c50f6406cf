/** Display formatting for the message log: times, day separators, stable name colours, as styled spans. */
import type { MessageRecord, PendingMessage } from '@kuykan/sdk/model';
import { type Span, wrap } from './layout.js';
import { markup } from './markup.js';
import { displayWidth } from './width.js';

/** 256-colour palette indices readable on dark and light backgrounds. */
const PALETTE = [33, 37, 41, 71, 97, 134, 136, 166, 168, 172, 178, 203, 208, 214, 39, 75];
const GRAY = ['gray-fg'];

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

/** What a message line is made of: the record's fields a line shows. */
type Shown = Pick<MessageRecord, 'ts' | 'from' | 'text' | 'own'>;

/**
 * The log lines of one message at `width` columns: `HH:MM name: text`, own
 * messages marked with `›`. Wrapped lines are indented under the text; the
 * lines of a multi-line message are indented too and marked `│`, so a message
 * cannot forge a line that looks like someone else's.
 */
export function messageLines(message: Shown, width: number, textStyle?: readonly string[]): string[] {
  const [first = '', ...rest] = message.text.split(/\r\n?|\n/);
  const head: Span[] = [
    { text: hhmm(message.ts), style: GRAY },
    message.own ? { text: '›', style: ['cyan-fg'] } : { text: ' ' },
    { text: message.from, style: [`${colourOf(message.from)}-fg`, 'bold'] },
    { text: ': ' },
  ];
  const body = (line: string) => (textStyle ? [{ text: line, style: textStyle }] : markup(line));
  // Under the text, but never more than half the line (a long name would leave no room).
  const column = Math.max(
    2,
    Math.min(
      head.reduce((w, s) => w + displayWidth(s.text), 0),
      Math.floor(width / 2),
    ),
  );
  const lines = wrap([...head, ...body(first)], { width, indent: [{ text: ' '.repeat(column) }] });
  const bar: Span[] = [{ text: ' '.repeat(column - 2) }, { text: '│ ', style: GRAY }];
  for (const line of rest) lines.push(...wrap([...bar, ...body(line)], { width, indent: bar }));
  return lines;
}

/** A send the server has not confirmed, dimmed and marked with its status, as `me` would see it sent. */
export function pendingLines(pending: PendingMessage, me: string, width: number): string[] {
  const status = pending.status === 'failed' ? 'not sent' : pending.status === 'queued' ? 'queued' : 'sending…';
  return messageLines({ ts: pending.ts, from: me, own: true, text: `${pending.text} (${status})` }, width, GRAY);
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

/** A day separator line, centred in `width` columns. */
export function dayLine(ts: number, width: number): string {
  const label = ` ${day(ts)} `;
  const side = Math.max(2, Math.floor((Math.min(width, 42) - label.length) / 2));
  return wrap([{ text: `${'─'.repeat(side)}${label}${'─'.repeat(side)}`, style: GRAY }], { width })[0]!;
}
