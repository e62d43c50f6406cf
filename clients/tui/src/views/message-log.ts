/** The centre pane: one scrollable log per room, with day separators and the typing line. */

import type { ChatMessage } from '@kuykan/sdk';
import blessed from 'blessed';
import { day, dayLine, messageLines, noticeLine } from '../format.js';
import { safe } from '../sanitize.js';
import { encodeClusters } from '../unicode.js';

/** Lines kept per room. */
const MAX_LINES = 2000;

interface RoomLog {
  lines: string[];
  lastDay: string | undefined;
  /** Oldest seq shown, for loading older history. */
  oldestSeq: number | undefined;
}

export class MessageLog {
  readonly box: blessed.Widgets.BoxElement;
  readonly typingLine: blessed.Widgets.BoxElement;
  private readonly logs = new Map<string, RoomLog>();
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
      log = { lines: [], lastDay: undefined, oldestSeq: undefined };
      this.logs.set(room, log);
    }
    return log;
  }

  /** Shows `room`'s log. */
  show(room: string): void {
    this.current = room;
    this.box.setLabel(` #${safe(room)} `);
    this.render(true);
  }

  /** Replaces a room's log with a page of messages (join or reset). */
  reset(room: string, messages: ChatMessage[], own: (m: ChatMessage) => boolean): void {
    this.logs.set(room, { lines: [], lastDay: undefined, oldestSeq: messages[0]?.seq });
    for (const message of messages) this.addMessage(room, message, own(message), false);
    if (room === this.current) this.render(true);
  }

  addMessage(room: string, message: ChatMessage, own: boolean, render = true): void {
    const log = this.log(room);
    if (day(message.ts) !== log.lastDay) {
      log.lines.push(dayLine(message.ts));
      log.lastDay = day(message.ts);
    }
    log.oldestSeq ??= message.seq;
    log.lines.push(...messageLines(message, own));
    this.trim(log);
    if (render && room === this.current) this.render();
  }

  /** Prepends older history fetched from the server. */
  prepend(room: string, messages: ChatMessage[], own: (m: ChatMessage) => boolean): void {
    if (messages.length === 0) return;
    const log = this.log(room);
    const older: string[] = [];
    let lastDay: string | undefined;
    for (const message of messages) {
      if (day(message.ts) !== lastDay) older.push(dayLine(message.ts));
      lastDay = day(message.ts);
      older.push(...messageLines(message, own(message)));
    }
    log.lines = [...older, ...log.lines];
    log.oldestSeq = messages[0]!.seq;
    if (room === this.current) {
      const keep = this.box.getScrollHeight() - this.box.getScroll();
      this.render();
      this.box.setScroll(this.box.getScrollHeight() - keep);
    }
  }

  notice(room: string, text: string, ts = Date.now()): void {
    const log = this.log(room);
    log.lines.push(noticeLine(ts, text));
    this.trim(log);
    if (room === this.current) this.render();
  }

  clear(room: string): void {
    this.logs.set(room, { lines: [], lastDay: undefined, oldestSeq: this.log(room).oldestSeq });
    if (room === this.current) this.render(true);
  }

  forget(room: string): void {
    this.logs.delete(room);
  }

  setTyping(names: readonly string[]): void {
    const text =
      names.length === 0 ? '' : names.length === 1 ? `${names[0]} is typing…` : `${names.join(', ')} are typing…`;
    this.typingLine.setContent(encodeClusters(` {gray-fg}${safe(text)}{/}`));
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

  private trim(log: RoomLog): void {
    if (log.lines.length > MAX_LINES) log.lines.splice(0, log.lines.length - MAX_LINES);
  }

  private render(toBottom = false): void {
    if (!this.current) return;
    const atBottom =
      toBottom || this.box.getScrollPerc() >= 100 || this.box.getScrollHeight() <= (this.box.height as number);
    this.box.setContent(encodeClusters(this.log(this.current).lines.join('\n')));
    if (atBottom) this.box.setScrollPerc(100);
    this.box.screen.render();
  }
}
