/**
 * The log lines of one message at a width: the quote of the message it
 * answers (one line), `HH:MM name: text` with its markup, `(edited)`, its
 * files, and its reactions. Every part is remote text and goes through
 * layout.ts, which makes it inert; a part that could grow without bound (a
 * quote, a file name) is clipped to one line by display width.
 *
 * @module
 */
import { type Attachment, type ChatMessage, nameKey } from '@kuykan/protocol';
import type { PendingMessage } from '@kuykan/sdk/model';
import { colourOf, GRAY, hhmm } from './format.js';
import { type Span, wrap } from './layout.js';
import { LINK, markup } from './markup.js';
import { inert } from './sanitize.js';
import { displayWidth, truncate } from './width.js';

/** What a message's lines are drawn from: a record's fields, own and mentionsMe. */
export type Shown = Pick<ChatMessage, 'ts' | 'from' | 'text'> &
  Partial<Pick<ChatMessage, 'reply' | 'attachments' | 'reactions' | 'editedTs' | 'deleted' | 'bot'>> & {
    own: boolean;
    mentionsMe?: boolean;
  };

export interface MessageLineOptions {
  /** My name: `@me` in the text is highlighted. */
  me?: string;
  /** The message is selected: every line highlighted, full width. */
  selected?: boolean;
  /** One style for the whole text instead of markup (a send in flight). */
  textStyle?: readonly string[];
}

const SELECTED = ['inverse'];
const MENTION = ['black-fg', 'yellow-bg'];
const MINE = ['cyan-fg', 'bold'];

/** Spans of one line of text, with `@me` (as a whole word, any case) highlighted. */
function body(line: string, options: MessageLineOptions): Span[] {
  if (options.textStyle) return [{ text: line, style: options.textStyle }];
  const spans = markup(line);
  const me = options.me && nameKey(options.me);
  if (!me) return spans;
  return spans.flatMap((span) => {
    const out: Span[] = [];
    let at = 0;
    for (const match of span.text.matchAll(/@[^\s@]+/gu)) {
      const token = match[0].replace(/[.,;:!?)\]}'"]+$/u, '');
      if (nameKey(token.slice(1)) !== me) continue;
      if (match.index > at) out.push({ ...span, text: span.text.slice(at, match.index) });
      out.push({ text: token, style: [...(span.style ?? []), ...MENTION] });
      at = match.index + token.length;
    }
    if (at < span.text.length) out.push({ ...span, text: span.text.slice(at) });
    return out;
  });
}

/** `12 B`, `3.4 kB`, `5.6 MB`: sizes in SI units, one decimal. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** A file: `📎 name · size · type` on one line (the name cut first, but not below a readable part), then its whole link (cut with ↪). */
function fileLines(file: Attachment, column: number, width: number, highlight?: readonly string[]): string[] {
  const pad: Span = { text: ' '.repeat(column) };
  const room = width - column - 3; // after `📎 `
  const name = inert(file.name);
  const facts = ` · ${formatBytes(file.size)} · ${inert(file.mediaType)}`;
  const nameWidth = displayWidth(name);
  // The name gives way to the facts, down to 16 columns; below that the facts give way.
  const nameRoom = Math.min(nameWidth, Math.max(room - displayWidth(facts), Math.min(16, room)));
  const shownName = truncate(name, nameRoom);
  const factsRoom = room - displayWidth(shownName);
  const shownFacts = factsRoom > 1 ? truncate(facts, factsRoom) : '';
  return [
    ...wrap([pad, { text: '📎 ' }, { text: shownName, style: ['bold'] }, { text: shownFacts, style: GRAY }], {
      width,
      highlight,
    }),
    ...wrap([pad, { text: file.url, style: LINK }], { width, indent: [pad], highlight }),
  ];
}

/** Reactions in their order, `👍 2`, mine marked. */
function reactionSpans(message: Shown): Span[] {
  return (message.reactions ?? []).flatMap((r, i) => [
    ...(i > 0 ? [{ text: '  ' }] : []),
    { text: `${r.emoji} ${r.count}`, style: r.me ? MINE : GRAY },
  ]);
}

/**
 * The log lines of one message at `width` columns: `HH:MM name: text`, own
 * messages marked with `›`, bots with `bot`. Wrapped lines are indented under
 * the text; the lines of a multi-line message are indented too and marked
 * `│`, so a message cannot forge a line that looks like someone else's.
 */
export function messageLines(message: Shown, width: number, options: MessageLineOptions = {}): string[] {
  const highlight = options.selected ? SELECTED : undefined;
  const head: Span[] = [
    { text: hhmm(message.ts), style: message.mentionsMe ? ['yellow-fg', 'bold'] : GRAY },
    message.own ? { text: '›', style: ['cyan-fg'] } : { text: ' ' },
    { text: message.from, style: [`${colourOf(message.from)}-fg`, 'bold'] },
    ...(message.bot ? [{ text: ' bot', style: ['gray-fg', 'underline'] }] : []),
    { text: ': ' },
  ];
  // Under the text, but never more than half the line (a long name would leave no room).
  const column = Math.max(
    2,
    Math.min(
      head.reduce((w, s) => w + displayWidth(s.text), 0),
      Math.floor(width / 2),
    ),
  );
  const lines: string[] = [];
  const pad: Span = { text: ' '.repeat(column) };
  if (message.reply) {
    const { from, text, deleted } = message.reply;
    const quote = truncate(`↱ ${inert(from)}: ${deleted ? '(deleted)' : inert(text)}`, width - column);
    lines.push(...wrap([pad, { text: quote, style: GRAY }], { width, highlight }));
  }
  if (message.deleted) {
    lines.push(...wrap([...head, { text: '(message deleted)', style: GRAY }], { width, indent: [pad], highlight }));
    return lines;
  }
  const [first = '', ...rest] = message.text.split(/\r\n?|\n/);
  const edited: Span[] = message.editedTs !== undefined ? [{ text: ' (edited)', style: GRAY }] : [];
  const only = rest.length === 0;
  lines.push(...wrap([...head, ...body(first, options), ...(only ? edited : [])], { width, indent: [pad], highlight }));
  const bar: Span[] = [{ text: ' '.repeat(column - 2) }, { text: '│ ', style: GRAY }];
  rest.forEach((line, i) => {
    const last = i === rest.length - 1 ? edited : [];
    lines.push(...wrap([...bar, ...body(line, options), ...last], { width, indent: bar, highlight }));
  });
  for (const file of message.attachments ?? []) lines.push(...fileLines(file, column, width, highlight));
  const reactions = reactionSpans(message);
  if (reactions.length > 0) lines.push(...wrap([pad, ...reactions], { width, indent: [pad], highlight }));
  return lines;
}

/** A send the server has not confirmed, dimmed and marked with its status, as `me` would see it sent. */
export function pendingLines(pending: PendingMessage, me: string, width: number): string[] {
  const status = pending.status === 'failed' ? 'not sent' : pending.status === 'queued' ? 'queued' : 'sending…';
  const text = `${pending.text} (${status})`;
  return messageLines({ ts: pending.ts, from: me, own: true, text }, width, { textStyle: GRAY });
}
