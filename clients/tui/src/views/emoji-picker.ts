/**
 * Ctrl+E: a popup emoji picker with search, categories (Tab) and recents.
 * Data comes from emojibase-data, shipped offline.
 */
import blessed from 'blessed';
import { escapeTags } from '../sanitize.js';
import { type Emoji, GROUPS, search } from '../shortcodes.js';
import { encodeClusters } from '../unicode.js';

/** Picked emoji, most recent first, shared by every picker of the process. */
const recents: Emoji[] = [];
const CATEGORIES: Array<number | 'recent'> = ['recent', 0, 1, 3, 4, 5, 6, 7, 8, 9];

export class EmojiPicker {
  private box: blessed.Widgets.ListElement | undefined;
  private query = '';
  private category = 1;
  private shown: Emoji[] = [];

  constructor(
    private readonly screen: blessed.Widgets.Screen,
    private readonly onPick: (emoji: string) => void,
  ) {}

  get open(): boolean {
    return this.box !== undefined;
  }

  show(): void {
    this.query = '';
    this.category = recents.length > 0 ? 0 : 1;
    this.box = blessed.list({
      parent: this.screen,
      top: 'center',
      left: 'center',
      width: 46,
      height: 16,
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
    switch (key.full) {
      case 'escape':
      case 'C-e':
        this.hide();
        return;
      case 'enter': {
        const emoji = this.shown[(box as unknown as { selected: number }).selected];
        this.hide();
        if (emoji) {
          recents.splice(recents.indexOf(emoji) >>> 0, recents.includes(emoji) ? 1 : 0);
          recents.unshift(emoji);
          recents.splice(24);
          this.onPick(emoji.native);
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
        this.category = (this.category + 1) % CATEGORIES.length;
        this.refresh();
        return;
      case 'S-tab':
        this.category = (this.category + CATEGORIES.length - 1) % CATEGORIES.length;
        this.refresh();
        return;
      case 'backspace':
        this.query = this.query.slice(0, -1);
        this.refresh();
        return;
      default:
        if (ch && /^[\p{L}\p{N} _-]$/u.test(ch)) {
          this.query += ch;
          this.refresh();
          return;
        }
    }
    this.screen.render();
  }

  private refresh(): void {
    const box = this.box!;
    const category = CATEGORIES[this.category]!;
    // A search looks in every category; without one, Tab walks the categories.
    if (this.query) this.shown = search(this.query);
    else this.shown = category === 'recent' ? [...recents] : search('', category);
    this.shown = this.shown.slice(0, 300);
    const name = this.query ? 'all' : category === 'recent' ? 'recent' : GROUPS[category];
    box.setLabel(encodeClusters(` ${escapeTags(name ?? '')} · search: ${escapeTags(this.query)}▏ (Tab: category) `));
    box.setItems(
      this.shown.map((e) => encodeClusters(`${e.native}  :${escapeTags(e.shortcode)}:`)) as unknown as string[],
    );
    box.select(0);
    this.screen.render();
  }
}
