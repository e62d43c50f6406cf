/**
 * The centre pane: draws the active room of the app model (its messages,
 * sends in flight and paging state) woven with the terminal's notices, with
 * day separators, and the typing line below it. It keeps nothing of the
 * room itself; what it keeps is how it is drawn (lines per width, scroll).
 */

import type { MessageRecord, RoomModel } from '@kuykan/sdk/model';
import blessed from 'blessed';
import { encodeClusters } from '../blessed-patch.js';
import { day, dayLine, edgeLine, newLine, noticeLines } from '../format.js';
import { messageLines, pendingLines } from '../message-lines.js';
import { type RoomNotices, weave } from '../notices.js';
import { roomLabel } from '../rooms.js';
import { safe } from '../sanitize.js';
import { truncate } from '../width.js';
import { fitLabel } from './label.js';

/** What the top of a room's log says: how far back it goes. */
function edgeOf(room: RoomModel): string | undefined {
  if (room.loadingOlder) return 'loading older messages…';
  if (room.hasOlder) return undefined;
  if (room.retentionFloor !== undefined) return 'the server dropped older messages';
  return room.messages.length > 0 ? `start of ${roomLabel(room.name, room.peer)}` : undefined;
}

/** How the open room is drawn besides its content. */
export interface LogView {
  /** The selected message (messageId). */
  selected?: string | undefined;
  /** The read marker: `── new ──` goes before the first message of others after this seq. */
  newAfter?: number | undefined;
}

export class MessageLog {
  readonly box: blessed.Widgets.BoxElement;
  readonly typingLine: blessed.Widgets.BoxElement;
  /** Lines of a message record or notice at a width: records are replaced when they change, so identity is the key. */
  private readonly laidOut = new WeakMap<object, { width: number; selected: boolean; lines: string[] }>();
  /** Where each message drawn last starts and ends (line numbers), by messageId, to keep the selection in view. */
  private spans = new Map<string, { start: number; end: number }>();
  private view: LogView = {};
  private room: RoomModel | undefined;
  /** The oldest seq drawn last time, to keep the view still when older messages are put above it. */
  private oldestDrawn: number | undefined;

  constructor(
    screen: blessed.Widgets.Screen,
    private readonly onReachTop: (room: RoomModel) => void,
    /** My name, for the sends in flight. */
    private readonly me: () => string,
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

  /** Draws `room`, scrolled to its newest line when it was not the room shown. */
  show(room: RoomModel | undefined, notices: RoomNotices, view: LogView = {}): void {
    const switched = room !== this.room;
    this.room = room;
    this.view = view;
    this.box.setLabel(fitLabel(room ? roomLabel(room.name, room.peer) : 'Messages', this.box.width as number));
    if (switched) this.oldestDrawn = undefined;
    this.draw(notices, switched);
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
    if (this.box.getScrollPerc() === 0 && this.room?.hasOlder) this.onReachTop(this.room);
    this.box.screen.render();
  }

  get pageSize(): number {
    return Math.max(1, (this.box.height as number) - 3);
  }

  /** Columns for text: the box less its border and the scrollbar column blessed reserves. */
  private get textWidth(): number {
    return Math.max(10, (this.box.width as number) - (this.box.iwidth as number) - 1);
  }

  private cached<T extends object>(key: T, width: number, layout: () => string[], selected = false): string[] {
    const hit = this.laidOut.get(key);
    if (hit?.width === width && hit.selected === selected) return hit.lines;
    const lines = layout();
    this.laidOut.set(key, { width, selected, lines });
    return lines;
  }

  /** The room's lines at `width`: paging state, then messages and notices in order with day separators, then sends in flight. */
  private lines(room: RoomModel, notices: RoomNotices, width: number): string[] {
    const lines: string[] = [];
    const cleared = notices.clearedThrough(room.name);
    const messages = cleared > 0 ? room.messages.filter((m) => m.seq > cleared) : room.messages;
    const edge = cleared > 0 ? undefined : edgeOf(room);
    if (edge) lines.push(...edgeLine(edge, width));
    let lastDay: string | undefined;
    let marked = false;
    const { selected, newAfter } = this.view;
    const me = this.me();
    this.spans = new Map();
    for (const entry of weave<MessageRecord>(messages, notices.of(room.name))) {
      if (entry.kind === 'notice') {
        const { ts, text, error } = entry.notice;
        lines.push(...this.cached(entry.notice, width, () => noticeLines(ts, text, width, error)));
        continue;
      }
      const { message } = entry;
      if (day(message.ts) !== lastDay) lines.push(dayLine(message.ts, width));
      lastDay = day(message.ts);
      if (!marked && newAfter !== undefined && message.seq > newAfter && !message.own) {
        lines.push(newLine(width));
        marked = true;
      }
      const isSelected = message.messageId === selected;
      const start = lines.length;
      lines.push(
        ...this.cached(message, width, () => messageLines(message, width, { me, selected: isSelected }), isSelected),
      );
      this.spans.set(message.messageId, { start, end: lines.length });
    }
    for (const pending of room.pending)
      lines.push(...this.cached(pending, width, () => pendingLines(pending, this.me(), width)));
    return lines;
  }

  /** Scrolls the least needed to show the message `messageId` whole (or its start, when taller than the pane). */
  reveal(messageId: string): void {
    const span = this.spans.get(messageId);
    if (!span) return;
    const inner = (this.box.height as number) - (this.box.iheight as number);
    const top = this.box.childBase;
    // With alwaysScroll, scroll(d) moves the top line by d.
    if (span.start < top) this.box.scroll(span.start - top);
    else if (span.end > top + inner) this.box.scroll(Math.min(span.start, span.end - inner) - top);
    else return;
    this.box.screen.render();
  }

  /** Redraws the room shown: keeps the newest line in view if it was, and the view still when older messages arrive. */
  draw(notices: RoomNotices, toBottom = false): void {
    const room = this.room;
    const atBottom =
      toBottom || this.box.getScrollPerc() >= 100 || this.box.getScrollHeight() <= (this.box.height as number);
    const fromBottom = this.box.getScrollHeight() - this.box.getScroll();
    const lines = room ? this.lines(room, notices, this.textWidth) : [];
    this.box.setContent(encodeClusters(lines.join('\n')));
    const oldest = room?.messages[0]?.seq;
    const olderAbove = this.oldestDrawn !== undefined && oldest !== undefined && oldest < this.oldestDrawn;
    this.oldestDrawn = oldest;
    // A log shorter than the pane starts at its top (after a reset, a scrolled view would show nothing).
    // Older messages go above what is in view, which stays where it was (they were asked for from the top).
    if (lines.length <= this.pageSize) this.box.setScroll(0);
    else if (olderAbove) this.box.setScroll(this.box.getScrollHeight() - fromBottom);
    else if (atBottom) this.box.setScrollPerc(100);
    this.box.screen.render();
  }
}
