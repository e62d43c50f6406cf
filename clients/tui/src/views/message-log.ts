/** The centre pane: one scrollable log per room, with day separators and the typing line. */

import type { ChatMessage } from '@kuykan/sdk';
import blessed from 'blessed';
import { encodeClusters } from '../blessed-patch.js';
import { day, dayLine, messageLines, noticeLines } from '../format.js';
import { safe } from '../sanitize.js';
import { truncate } from '../width.js';

/** Entries kept per room. */
const MAX_ENTRIES = 2000;

/** What the log shows, laid out again at each width (resizing re-wraps). */
type Entry =
  | { kind: 'message'; message: ChatMessage; own: boolean }
  | { kind: 'notice'; ts: number; text: string; error?: boolean }
  | { kind: 'day'; ts: number };

interface RoomLog {
  entries: Entry[];
  /** Oldest seq shown, for loading older history. */
  oldestSeq: number | undefined;
}

export class MessageLog {
  readonly box: blessed.Widgets.BoxElement;
  readonly typingLine: blessed.Widgets.BoxElement;
  private readonly logs = new Map<string, RoomLog>();
  private readonly laidOut = new WeakMap<Entry, { width: number; lines: string[] }>();
  private current: string | undefined;

  constructor(
    screen: blessed.Widgets.Screen,
    private readonly onReachTop: (room: string, beforeSeq: number) => void,
  ) {
    this.box = blessed.box({
      parent: screen,
      label: ' Messages ',
      top: 0,
      left: 16,
      right: 20,
      bottom: 5,
      border: 'line',
      tags: true,
      scrollable: true,
      alwaysScroll: true,
      mouse: true,
      scrollbar: { ch: ' ', style: { bg: 'gray' } },
      style: { border: { fg: 'gray' } },
    });
    this.typingLine = blessed.box({
      parent: screen,
      left: 16,
      right: 20,
      bottom: 4,
      height: 1,
      tags: true,
      style: { fg: 'gray' },
    });
    this.box.on('wheelup', () => this.scroll(-3));
    this.box.on('wheeldown', () => this.scroll(3));
  }

  private log(room: string): RoomLog {
    let log = this.logs.get(room);
    if (!log) {
      log = { entries: [], oldestSeq: undefined };
      this.logs.set(room, log);
    }
    return log;
  }

  /** Shows `room`'s log. */
  show(room: string): void {
    this.current = room;
    this.box.setLabel(encodeClusters(` #${safe(truncate(room, Math.max(4, (this.box.width as number) - 8)))} `));
    this.render(true);
  }

  /** Replaces a room's log with a page of messages (join or reset). */
  reset(room: string, messages: ChatMessage[], own: (m: ChatMessage) => boolean): void {
    this.logs.set(room, { entries: [], oldestSeq: messages[0]?.seq });
    for (const message of messages) this.addMessage(room, message, own(message), false);
    if (room === this.current) this.render(true);
  }

  addMessage(room: string, message: ChatMessage, own: boolean, render = true): void {
    const log = this.log(room);
    const last = log.entries.findLast((e) => e.kind !== 'notice');
    const lastDay = last ? day(last.kind === 'message' ? last.message.ts : last.ts) : undefined;
    if (day(message.ts) !== lastDay) log.entries.push({ kind: 'day', ts: message.ts });
    log.oldestSeq ??= message.seq;
    log.entries.push({ kind: 'message', message, own });
    this.trim(log);
    if (render && room === this.current) this.render();
  }

  /** Prepends older history fetched from the server. */
  prepend(room: string, messages: ChatMessage[], own: (m: ChatMessage) => boolean): void {
    if (messages.length === 0) return;
    const log = this.log(room);
    const older: Entry[] = [];
    let lastDay: string | undefined;
    for (const message of messages) {
      if (day(message.ts) !== lastDay) older.push({ kind: 'day', ts: message.ts });
      lastDay = day(message.ts);
      older.push({ kind: 'message', message, own: own(message) });
    }
    log.entries = [...older, ...log.entries];
    log.oldestSeq = messages[0]!.seq;
    if (room === this.current) {
      const keep = this.box.getScrollHeight() - this.box.getScroll();
      this.render();
      this.box.setScroll(this.box.getScrollHeight() - keep);
    }
  }

  /** A system notice; `error` shows it in red. */
  notice(room: string, text: string, options: { ts?: number; error?: boolean } = {}): void {
    const log = this.log(room);
    log.entries.push({ kind: 'notice', ts: options.ts ?? Date.now(), text, error: options.error ?? false });
    this.trim(log);
    if (room === this.current) this.render();
  }

  clear(room: string): void {
    this.logs.set(room, { entries: [], oldestSeq: this.log(room).oldestSeq });
    if (room === this.current) this.render(true);
  }

  forget(room: string): void {
    this.logs.delete(room);
  }

  setTyping(names: readonly string[]): void {
    const text =
      names.length === 0 ? '' : names.length === 1 ? `${names[0]} is typing…` : `${names.join(', ')} are typing…`;
    const width = Math.max(4, (this.typingLine.width as number) - 2);
    this.typingLine.setContent(encodeClusters(` {gray-fg}${safe(truncate(text, width))}{/}`));
  }

  /** Scrolls by lines (PageUp/PageDown pass a page); reaching the top asks for older history. */
  scroll(lines: number): void {
    this.box.scroll(lines);
    if (this.box.getScrollPerc() === 0 && this.current) {
      const oldest = this.log(this.current).oldestSeq;
      if (oldest !== undefined && oldest > 1) this.onReachTop(this.current, oldest);
    }
    this.box.screen.render();
  }

  get pageSize(): number {
    return Math.max(1, (this.box.height as number) - 3);
  }

  /** Lays the log out again at the current width (after a resize). */
  relayout(): void {
    if (this.current) this.show(this.current);
  }

  private trim(log: RoomLog): void {
    if (log.entries.length > MAX_ENTRIES) log.entries.splice(0, log.entries.length - MAX_ENTRIES);
  }

  /** Columns for text: the box less its border and the scrollbar column blessed reserves. */
  private get textWidth(): number {
    return Math.max(10, (this.box.width as number) - (this.box.iwidth as number) - 1);
  }

  private linesOf(entry: Entry, width: number): string[] {
    const cached = this.laidOut.get(entry);
    if (cached?.width === width) return cached.lines;
    const lines =
      entry.kind === 'message'
        ? messageLines(entry.message, entry.own, width)
        : entry.kind === 'notice'
          ? noticeLines(entry.ts, entry.text, width, entry.error)
          : [dayLine(entry.ts, width)];
    this.laidOut.set(entry, { width, lines });
    return lines;
  }

  private render(toBottom = false): void {
    if (!this.current) return;
    const atBottom =
      toBottom || this.box.getScrollPerc() >= 100 || this.box.getScrollHeight() <= (this.box.height as number);
    const width = this.textWidth;
    const lines = this.log(this.current).entries.flatMap((e) => this.linesOf(e, width));
    this.box.setContent(encodeClusters(lines.join('\n')));
    // A log shorter than the pane starts at its top (after a reset, a scrolled view would show nothing).
    if (lines.length <= this.pageSize) this.box.setScroll(0);
    else if (atBottom) this.box.setScrollPerc(100);
    this.box.screen.render();
  }
}
