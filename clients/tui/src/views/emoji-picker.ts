/**
 * Ctrl+E: a popup emoji picker with search (English, and Thai under a Thai
 * locale), categories (Tab), skin tones (Ctrl+T) and recents, all from @kuykan/emoji.
 */
import type { EmojiEntry, EmojiIndex, SkinTone } from '@kuykan/emoji';
import blessed from 'blessed';
import { encodeClusters } from '../blessed-patch.js';
import { escapeTags } from '../sanitize.js';
import { displayable, displayWidth, truncate } from '../width.js';
import { fitLabel } from './label.js';

/** Picked emoji, most recent first, shared by every picker of the process. */
const recents: EmojiEntry[] = [];
const TONES = ['', '🏻', '🏼', '🏽', '🏾', '🏿'];

export class EmojiPicker {
  private box: blessed.Widgets.ListElement | undefined;
  private query = '';
  /** -1 is recents; otherwise an index into the emoji groups. */
  private category = 0;
  private tone: SkinTone | 0 = 0;
  private shown: EmojiEntry[] = [];

  constructor(
    private readonly screen: blessed.Widgets.Screen,
    private readonly emoji: EmojiIndex,
    private readonly onPick: (emoji: string) => void,
  ) {}

  get open(): boolean {
    return this.box !== undefined;
  }

  show(): void {
    this.query = '';
    this.category = recents.length > 0 ? -1 : 0;
    this.box = blessed.list({
      parent: this.screen,
      top: 'center',
      left: 'center',
      width: Math.min(46, (this.screen.width as number) - 2),
      height: Math.min(16, (this.screen.height as number) - 2),
      border: 'line',
      tags: true,
      keys: false,
      style: { border: { fg: 'cyan' }, selected: { inverse: true } },
    });
    this.refresh();
  }

  hide(): void {
    this.box?.destroy();
    this.box = undefined;
    this.screen.render();
  }

  /** Handles a key while open; every key is the picker's. */
  handleKey(ch: string | undefined, key: blessed.Widgets.Events.IKeyEventArg): void {
    const box = this.box!;
    const categories = this.emoji.groups.length + 1;
    switch (key.full) {
      case 'escape':
      case 'C-e':
        this.hide();
        return;
      case 'enter': {
        const emoji = this.shown[(box as unknown as { selected: number }).selected];
        this.hide();
        if (emoji) {
          if (recents.includes(emoji)) recents.splice(recents.indexOf(emoji), 1);
          recents.unshift(emoji);
          recents.splice(24);
          this.onPick(this.emoji.withSkinTone(emoji, this.tone));
        }
        return;
      }
      case 'up':
        box.up(1);
        break;
      case 'down':
        box.down(1);
        break;
      case 'tab':
      case 'S-tab':
        this.category = ((this.category + 1 + (key.full === 'tab' ? 1 : categories - 1)) % categories) - 1;
        this.refresh();
        return;
      case 'C-t':
        this.tone = ((this.tone + 1) % 6) as SkinTone | 0;
        this.refresh();
        return;
      case 'backspace':
        this.query = [...this.query].slice(0, -1).join('');
        this.refresh();
        return;
      default:
        if (ch && /^[\p{L}\p{M}\p{N} _+-]+$/u.test(ch)) {
          this.query += ch;
          this.refresh();
          return;
        }
    }
    this.screen.render();
  }

  private refresh(): void {
    const box = this.box!;
    const group = this.emoji.groups[this.category];
    // A search looks in every category; without one, Tab walks the categories.
    if (this.query) this.shown = this.emoji.search(this.query, 300);
    else this.shown = group ? [...group.emoji] : [...recents];
    const name = this.query ? 'all' : (group?.name ?? 'recent');
    const tone = this.tone ? ` ${TONES[this.tone]}` : '';
    box.setLabel(fitLabel(`${name}${tone} · ${this.query}▏ Tab Ctrl+T`, box.width as number));
    box.setItems(
      this.shown.map((e) => {
        const glyph = this.emoji.withSkinTone(e, this.tone);
        // What the terminal cannot draw is marked, not drawn: it would merge into its neighbours.
        const shown = displayable(glyph) ? glyph : '{gray-fg}??{/}';
        const pad = ' '.repeat(Math.max(1, 4 - (displayable(glyph) ? displayWidth(glyph) : 2)));
        const name = truncate(`:${e.shortcodes[0] ?? e.label}:`, (box.width as number) - 9);
        return encodeClusters(`${shown}${pad}${escapeTags(name)}`);
      }) as unknown as string[],
    );
    box.select(0);
    this.screen.render();
  }
}
