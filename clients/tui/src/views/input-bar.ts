/**
 * The input line: a small line editor with history (Up/Down), cursor keys,
 * and `:shortcode:` completion on Tab. The terminal's own cursor sits at the
 * editing position (for input methods and screen readers). Text typed here is
 * the user's own; it is still escaped for blessed's tag parser when shown.
 */
import type { EmojiIndex } from '@kuykan/emoji';
import blessed from 'blessed';
import { encodeClusters } from '../blessed-patch.js';
import { escapeTags } from '../sanitize.js';
import { displayWidth, graphemes, truncate } from '../width.js';
import { fitLabel } from './label.js';

export class InputBar {
  readonly box: blessed.Widgets.BoxElement;
  /** The text as graphemes, so the cursor never splits an emoji or a Thai cluster. */
  private chars: string[] = [];
  private cursor = 0;
  private readonly history: string[] = [];
  private historyIndex = 0;
  private hint = '';
  /** What Enter will do, when not sending (reply, edit, a question): shown while no hint is. */
  private mode = '';
  /** Column of the cursor inside the box's text area, from the last render. */
  private cursorColumn = 0;

  constructor(
    screen: blessed.Widgets.Screen,
    private readonly emoji: EmojiIndex,
    private readonly onSubmit: (line: string) => void,
    private readonly onTyping: () => void,
  ) {
    this.box = blessed.box({
      parent: screen,
      left: 16,
      right: 20,
      bottom: 1,
      height: 3,
      border: 'line',
      tags: true,
      style: { border: { fg: 'cyan' } },
    });
  }

  get value(): string {
    return this.chars.join('');
  }

  set value(text: string) {
    this.chars = graphemes(text);
    this.cursor = this.chars.length;
    this.render();
  }

  /** Inserts text at the cursor (typed keys, picked emoji). */
  insert(text: string): void {
    // Keys arrive a code point (or code unit) at a time, so an emoji sequence is
    // only whole once its last part is in: re-segment around the cursor.
    const before = graphemes(this.chars.slice(0, this.cursor).join('') + text);
    this.chars = [...before, ...this.chars.slice(this.cursor)];
    this.cursor = before.length;
    this.hint = '';
    this.onTyping();
    this.render();
  }

  /** Shows a short message above the input (an error, completion candidates) until the next key. */
  showHint(text: string): void {
    this.hint = text;
    this.render();
  }

  /** Shows what Enter will do (a reply, an edit, a question) until the mode changes; '' for sending. */
  setMode(text: string): void {
    this.mode = text;
    this.render();
  }

  /** Whether ↑ would start browsing the history (the input is empty and not browsing it): ↑ edits then. */
  get atRest(): boolean {
    return this.chars.length === 0 && this.historyIndex === this.history.length;
  }

  /** Handles a key; returns true when it was the input's. */
  handleKey(ch: string | undefined, key: blessed.Widgets.Events.IKeyEventArg): boolean {
    switch (key.full) {
      case 'enter': {
        const line = this.value;
        if (line.trim() === '') return true;
        this.history.push(line);
        this.historyIndex = this.history.length;
        this.hint = '';
        this.value = '';
        this.onSubmit(line);
        return true;
      }
      case 'backspace':
        if (this.cursor > 0) this.chars.splice(--this.cursor, 1);
        break;
      case 'delete':
        this.chars.splice(this.cursor, 1);
        break;
      case 'left':
        this.cursor = Math.max(0, this.cursor - 1);
        break;
      case 'right':
        this.cursor = Math.min(this.chars.length, this.cursor + 1);
        break;
      case 'home':
      case 'C-a':
        this.cursor = 0;
        break;
      case 'end':
        this.cursor = this.chars.length;
        break;
      case 'C-u':
        this.value = '';
        return true;
      case 'up':
      case 'C-up':
        if (this.historyIndex > 0) this.value = this.history[--this.historyIndex]!;
        return true;
      case 'down':
      case 'C-down':
        this.historyIndex = Math.min(this.history.length, this.historyIndex + 1);
        this.value = this.history[this.historyIndex] ?? '';
        return true;
      case 'tab':
        this.completeShortcode();
        break;
      default:
        if (ch && !key.ctrl && !key.meta && ch >= ' ' && ch !== '\x7f') {
          this.insert(ch);
          return true;
        }
        return false;
    }
    this.render();
    return true;
  }

  /** Completes the `:partial` before the cursor with the first matching emoji; lists the others. */
  private completeShortcode(): void {
    const before = this.chars.slice(0, this.cursor).join('');
    const match = /:([a-z0-9_+-]{1,})$/i.exec(before);
    if (!match) return;
    const options = this.emoji.complete(match[1]!);
    if (options.length === 0) {
      this.hint = 'no emoji matches';
      return;
    }
    const start = this.cursor - graphemes(match[0]).length;
    this.chars.splice(start, this.cursor - start, options[0]!.emoji.emoji);
    this.cursor = start + 1;
    this.hint = options
      .slice(0, 5)
      .map((o) => `${o.emoji.emoji} :${o.shortcode}:`)
      .join('  ');
  }

  /** Where the terminal cursor belongs, in screen coordinates. */
  cursorPosition(): { x: number; y: number } {
    return { x: (this.box.aleft as number) + 1 + this.cursorColumn, y: (this.box.atop as number) + 1 };
  }

  render(): void {
    const width = Math.max(4, (this.box.width as number) - 2);
    // Keep the cursor visible: show the tail of the text when it is longer than the box
    // (walking back from the cursor, so a long paste stays linear).
    let start = this.cursor;
    let before = 0;
    while (start > 0) {
      const w = displayWidth(this.chars[start - 1]!);
      if (before + w > width - 1) break;
      before += w;
      start--;
    }
    this.cursorColumn = before;
    const shown = truncate(this.chars.slice(start).join(''), width);
    this.box.setContent(encodeClusters(escapeTags(shown)));
    this.box.setLabel(fitLabel(this.hint || this.mode, this.box.width as number));
    this.box.screen.render();
  }
}
