import type { EmojiEntry, EmojiIndex } from '@kuykan/emoji';
import { css, html, LitElement, nothing } from 'lit';
import { loadEmoji } from './emoji.js';
import { t } from './i18n.js';

const RECENT_STORAGE = 'kuykan.emoji.recent';
const TONE_STORAGE = 'kuykan.emoji.tone';
/** Recently used emoji kept, newest first. */
export const MAX_RECENT = 32;
/** Search results shown. */
const MAX_RESULTS = 96;
type Tone = 0 | 1 | 2 | 3 | 4 | 5;
const TONE_KEYS = ['toneDefault', 'toneLight', 'toneMediumLight', 'toneMedium', 'toneMediumDark', 'toneDark'] as const;
const RECENT_TAB = -1;

function savedRecent(): string[] {
  try {
    const list: unknown = JSON.parse(localStorage.getItem(RECENT_STORAGE) ?? '[]');
    return Array.isArray(list) ? list.filter((e): e is string => typeof e === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * The emoji picker, on @kuykan/emoji (the TUI's dataset and shortcodes):
 * search in the UI language, categories, skin tones and recents, all kept in
 * this browser. It stays open while emoji are picked; Escape, the emoji button
 * or a click outside close it. Keyboard: Tab moves between search, skin tone,
 * categories and emoji; arrow keys move within categories and the emoji
 * grid; Enter picks. This module and its data are loaded on first open.
 *
 * @fires kk-emoji - detail `{ native }` when an emoji is picked
 * @fires kk-close - when the picker asks to close (Escape or a click outside)
 */
export class KkEmojiPicker extends LitElement {
  static override properties = {
    anchor: { attribute: false },
    _index: { state: true },
    _tab: { state: true },
    _query: { state: true },
    _tone: { state: true },
    _recent: { state: true },
  };

  /** The button that toggles the picker: a click on it is not a click outside. */
  declare anchor: Element | undefined;
  declare _index: EmojiIndex | undefined;
  declare _tab: number;
  declare _query: string;
  declare _tone: Tone;
  declare _recent: string[];

  constructor() {
    super();
    this.anchor = undefined;
    this._index = undefined;
    this._recent = savedRecent();
    this._tab = this._recent.length ? RECENT_TAB : 0;
    this._query = '';
    this._tone = Math.min(5, Math.max(0, Number(localStorage.getItem(TONE_STORAGE)) || 0)) as Tone;
  }

  static override styles = css`
    :host { display: block; }
    .panel { width: min(22rem, calc(100vw - 1rem)); box-sizing: border-box; background: var(--kk-surface); color: var(--kk-text); border: 1px solid var(--kk-border); border-radius: 12px; box-shadow: 0 6px 24px #0003; padding: 0.5rem; display: flex; flex-direction: column; gap: 0.4rem; }
    .top { display: flex; gap: 0.35rem; }
    input { flex: 1; min-width: 0; font: inherit; padding: 0.35rem 0.5rem; border-radius: 8px; border: 1px solid var(--kk-border); background: var(--kk-bg); color: var(--kk-text); }
    button { font: inherit; border: 0; background: none; color: var(--kk-text); cursor: pointer; border-radius: 8px; }
    .emoji-font { font-family: "Noto Color Emoji", "Apple Color Emoji", "Segoe UI Emoji", sans-serif; }
    .tone { font-size: 1.2rem; padding: 0 0.4rem; border: 1px solid var(--kk-border); }
    [role='tablist'] { display: flex; gap: 0.1rem; overflow-x: auto; scrollbar-width: thin; }
    [role='tab'] { font-size: 1.15rem; padding: 0.2rem 0.3rem; flex: none; border-bottom: 2px solid transparent; border-radius: 6px 6px 0 0; }
    [role='tab'][aria-selected='true'] { border-bottom-color: var(--kk-accent); background: var(--kk-surface-2); }
    h3 { margin: 0; font-size: 0.8rem; font-weight: 600; color: var(--kk-muted); }
    .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(2.2rem, 1fr)); height: 13.5rem; overflow-y: auto; align-content: start; }
    .grid button { font-size: 1.4rem; line-height: 1; height: 2.2rem; padding: 0; }
    .grid button:hover { background: var(--kk-surface-2); }
    .empty, .loading { color: var(--kk-muted); font-size: 0.9rem; padding: 0.5rem; }
    :focus-visible { outline: 3px solid var(--kk-focus); outline-offset: -1px; }
  `;

  override render() {
    const index = this._index;
    const name = this._tabName();
    return html`<div class="panel" role="dialog" aria-label=${t('emoji')} @keydown=${this._onKeyDown}>
      <div class="top">
        <input type="search" aria-label=${t('searchEmoji')} placeholder=${t('searchEmoji')} autocomplete="off" dir="auto"
          .value=${this._query} @input=${(e: Event) => (this._query = (e.target as HTMLInputElement).value)} />
        <button class="tone emoji-font" @click=${this._nextTone}
          aria-label="${t('skinTone')}: ${t(TONE_KEYS[this._tone])}" title="${t('skinTone')}: ${t(TONE_KEYS[this._tone])}">
          ${index ? index.withSkinTone('✋', this._tone) : '✋'}</button>
      </div>
      ${
        index
          ? html`<div role="tablist" aria-label=${t('emojiGroups')} @keydown=${this._onTabKey}>
              ${this._tabButton(RECENT_TAB, '🕘', t('recent'))}
              ${index.groups.map((group, n) => this._tabButton(n, group.emoji[0]?.emoji ?? '?', sentence(group.name)))}
            </div>
            <h3 id="grid-title">${this._query ? t('searchEmoji') : name}</h3>
            <div class="grid emoji-font" id="grid" role="tabpanel" aria-labelledby="grid-title" @keydown=${this._onGridKey}>
              ${this._shown(index).map(
                (
                  entry,
                  n,
                ) => html`<button tabindex=${n === 0 ? '0' : '-1'} aria-label=${entry.label} title=${entry.label}
                  @click=${() => this._pick(entry)}>${index.withSkinTone(entry, this._tone)}</button>`,
              )}
            </div>
            ${this._shown(index).length === 0 ? html`<div class="empty" role="status">${t('noEmoji')}</div>` : nothing}`
          : html`<div class="loading" role="status">…</div>`
      }
    </div>`;
  }

  private _tabButton(tab: number, icon: string, label: string) {
    const selected = !this._query && this._tab === tab;
    return html`<button role="tab" class="emoji-font" aria-selected=${selected ? 'true' : 'false'} aria-controls="grid"
      tabindex=${this._tab === tab ? '0' : '-1'} aria-label=${label} title=${label} @click=${() => this._selectTab(tab)}>${icon}</button>`;
  }

  private _tabName(): string {
    if (this._tab === RECENT_TAB) return t('recent');
    return sentence(this._index?.groups[this._tab]?.name ?? '');
  }

  /** What the grid shows: search results, the recents, or a category. */
  private _shown(index: EmojiIndex): readonly EmojiEntry[] {
    if (this._query.trim()) return index.search(this._query.trim(), MAX_RESULTS);
    if (this._tab === RECENT_TAB) {
      return this._recent.map((emoji) => index.byEmoji(emoji)).filter((e): e is EmojiEntry => e !== undefined);
    }
    return index.groups[this._tab]?.emoji ?? [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('pointerdown', this._onOutside, true);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('pointerdown', this._onOutside, true);
  }

  override async firstUpdated(): Promise<void> {
    this.renderRoot.querySelector('input')?.focus();
    this._index = await loadEmoji();
  }

  /**
   * A click outside closes. The event is retargeted at shadow boundaries, so
   * "inside" is decided on the composed path, never on event.target.
   */
  private readonly _onOutside = (event: Event) => {
    const path = event.composedPath();
    if (path.includes(this) || (this.anchor && path.includes(this.anchor))) return;
    this._close();
  };

  private _close(): void {
    this.dispatchEvent(new CustomEvent('kk-close', { bubbles: true, composed: true }));
  }

  private _onKeyDown(event: KeyboardEvent): void {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    this._close();
  }

  private _selectTab(tab: number): void {
    this._tab = tab;
    this._query = '';
    const grid = this.renderRoot.querySelector('.grid');
    if (grid) grid.scrollTop = 0;
  }

  private _nextTone(): void {
    this._tone = ((this._tone + 1) % 6) as Tone;
    localStorage.setItem(TONE_STORAGE, String(this._tone));
  }

  private _pick(entry: EmojiEntry): void {
    const native = this._index!.withSkinTone(entry, this._tone);
    // Recents hold the base emoji, so the skin tone applies to them as to any other.
    this._recent = [entry.emoji, ...this._recent.filter((e) => e !== entry.emoji)].slice(0, MAX_RECENT);
    localStorage.setItem(RECENT_STORAGE, JSON.stringify(this._recent));
    this.dispatchEvent(new CustomEvent('kk-emoji', { detail: { native }, bubbles: true, composed: true }));
  }

  /** ←/→ (and Home/End) move between categories and open the one reached. */
  private _onTabKey(event: KeyboardEvent): void {
    const tabs = [...this.renderRoot.querySelectorAll<HTMLElement>('[role="tab"]')];
    const at = tabs.indexOf(event.target as HTMLElement);
    const next = moveIndex(event.key, at, tabs.length, 1);
    if (next === undefined) return;
    event.preventDefault();
    this._selectTab(next - 1); // tab 0 in the DOM is the recents (RECENT_TAB = -1)
    tabs[next]!.focus();
  }

  /** Arrow keys move through the emoji grid, a row at a time with ↑/↓. */
  private _onGridKey(event: KeyboardEvent): void {
    const buttons = [...this.renderRoot.querySelectorAll<HTMLElement>('.grid button')];
    const at = buttons.indexOf(event.target as HTMLElement);
    const top = buttons[0]?.offsetTop;
    const rowBreak = buttons.findIndex((b) => b.offsetTop !== top);
    const columns = rowBreak > 0 ? rowBreak : buttons.length; // one row: ↑/↓ have nowhere to go
    const next = moveIndex(event.key, at, buttons.length, columns);
    if (next === undefined || at < 0) return;
    event.preventDefault();
    buttons[at]!.tabIndex = -1;
    buttons[next]!.tabIndex = 0;
    buttons[next]!.focus();
  }
}

/** emojibase's English group names are lower case ("smileys & emotion"); a heading starts with a capital. */
function sentence(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** The index a navigation key leads to in a list of `count` laid out `columns` wide. */
function moveIndex(key: string, at: number, count: number, columns: number): number | undefined {
  const clamp = (n: number) => Math.min(count - 1, Math.max(0, n));
  switch (key) {
    case 'ArrowRight':
      return clamp(at + 1);
    case 'ArrowLeft':
      return clamp(at - 1);
    case 'ArrowDown':
      return columns > 1 && columns < count ? clamp(at + columns) : undefined;
    case 'ArrowUp':
      return columns > 1 && columns < count ? clamp(at - columns) : undefined;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return undefined;
  }
}

customElements.define('kk-emoji-picker', KkEmojiPicker);

declare global {
  interface HTMLElementTagNameMap {
    'kk-emoji-picker': KkEmojiPicker;
  }
}
