import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { dayKey, dayLabel, hueOf, minuteOf, timeOf } from './format.js';
import { t } from './i18n.js';
import type { Item } from './room-view.js';

/**
 * The messages of one room: grouped by author and minute, with day
 * separators and system notices. Sticks to the bottom only while the reader
 * is there; otherwise offers a "new messages" button. Scrolling to the top
 * asks for older history. All remote text goes through Lit text bindings.
 *
 * @fires kk-load-older - when the reader reaches the top and older messages exist
 * @fires kk-retry - detail `{ clientId, text }` to re-send a failed message
 */
export class KkMessageList extends LitElement {
  static override properties = {
    items: { attribute: false },
    room: { type: String },
    hasOlder: { type: Boolean },
    loadingOlder: { type: Boolean },
    typing: { attribute: false },
    _unseen: { state: true },
  };

  declare items: Item[];
  declare room: string;
  declare hasOlder: boolean;
  declare loadingOlder: boolean;
  declare typing: readonly string[];
  declare _unseen: boolean;
  /** Sticky bottom: cleared only when the reader scrolls up, never by layout changes. */
  private atBottom = true;
  private lastScrollTop = 0;
  private heightBeforeUpdate = 0;
  private firstKeyBeforeUpdate: string | undefined;

  constructor() {
    super();
    this.items = [];
    this.room = '';
    this.hasOlder = false;
    this.loadingOlder = false;
    this.typing = [];
    this._unseen = false;
  }

  static override styles = css`
    :host { display: flex; flex-direction: column; min-height: 0; position: relative; }
    .scroll { flex: 1; overflow-y: auto; padding: 0.5rem 1rem; overscroll-behavior: contain; overflow-anchor: none; }
    .day { text-align: center; margin: 1rem 0 0.5rem; font-size: 0.8rem; color: var(--kk-muted); }
    .day span { background: var(--kk-surface-2); padding: 0.15rem 0.7rem; border-radius: 999px; }
    .notice { text-align: center; color: var(--kk-muted); font-size: 0.85rem; margin: 0.3rem 0; }
    .group { margin-top: 0.6rem; }
    .head { display: flex; gap: 0.5rem; align-items: baseline; }
    .from { font-weight: 700; }
    time { color: var(--kk-muted); font-size: 0.75rem; }
    .text { white-space: pre-wrap; overflow-wrap: anywhere; padding: 0.15rem 0.6rem; margin: 0.1rem 0; border-radius: 10px; width: fit-content; max-width: 100%; box-sizing: border-box; }
    .own .text { background: var(--kk-own); }
    .status { font-size: 0.75rem; color: var(--kk-muted); margin-left: 0.5rem; }
    .failed { color: var(--kk-danger); }
    .status button { font: inherit; color: var(--kk-accent); background: none; border: 0; text-decoration: underline; cursor: pointer; }
    .top { text-align: center; color: var(--kk-muted); font-size: 0.85rem; padding: 0.5rem; }
    .jump { position: absolute; bottom: 2.2rem; left: 50%; transform: translateX(-50%); border: 0; border-radius: 999px; padding: 0.4rem 0.9rem; background: var(--kk-accent); color: var(--kk-accent-text); font: inherit; cursor: pointer; box-shadow: 0 2px 8px #0003; }
    .typing { min-height: 1.4rem; padding: 0 1rem 0.2rem; font-size: 0.8rem; color: var(--kk-muted); font-style: italic; }
    :focus-visible { outline: 3px solid var(--kk-focus); outline-offset: 2px; }
  `;

  override render() {
    let lastDay = '';
    let lastGroup = '';
    return html`
      <div class="scroll" role="log" aria-live="polite" aria-label=${t('messages')} tabindex="0" @scroll=${this._onScroll}>
        <div class="content">
        <div class="top">${this.loadingOlder ? t('loadingOlder') : this.hasOlder ? '' : t('beginning', { room: this.room })}</div>
        ${repeat(
          this.items,
          (item) => item.key,
          (item) => {
            const ts = item.kind === 'message' ? item.message.ts : item.ts;
            const day = dayKey(ts);
            const separator =
              day !== lastDay ? html`<div class="day" role="separator"><span>${dayLabel(ts)}</span></div>` : nothing;
            if (day !== lastDay) lastGroup = '';
            lastDay = day;
            if (item.kind === 'notice') {
              lastGroup = '';
              return html`${separator}<div class="notice">${item.text}</div>`;
            }
            const { message } = item;
            const group = `${message.from}|${minuteOf(message.ts)}`;
            const head = group !== lastGroup;
            lastGroup = group;
            return html`${separator}<div class="${head ? 'group' : ''} ${item.own ? 'own' : ''}">
              ${
                head
                  ? html`<div class="head"><span class="from" style="color: light-dark(hsl(${hueOf(message.from)} 65% 36%), hsl(${hueOf(message.from)} 75% 72%))">${message.from}</span><time datetime=${new Date(message.ts).toISOString()}>${timeOf(message.ts)}</time></div>`
                  : nothing
              }
              <div class="text">${message.text}${this._status(item)}</div>
            </div>`;
          },
        )}
        </div>
      </div>
      ${this._unseen ? html`<button class="jump" @click=${this._jump}>${t('newMessages')}</button>` : nothing}
      <div class="typing" aria-live="polite">${this._typingText()}</div>
    `;
  }

  private _status(item: Extract<Item, { kind: 'message' }>) {
    if (!item.status) return nothing;
    if (item.status === 'failed') {
      const { clientId = '', text } = item.message;
      return html`<span class="status failed">${t('failed')} <button @click=${() => this._retry(clientId, text)}>${t('retry')}</button></span>`;
    }
    return html`<span class="status">${item.status === 'queued' ? t('queued') : t('sending')}</span>`;
  }

  private _typingText(): string {
    if (this.typing.length === 0) return '';
    if (this.typing.length === 1) return t('typingOne', { name: this.typing[0]! });
    return t('typingMany', { names: this.typing.join(', ') });
  }

  /**
   * Content can grow after rendering (fonts for Thai and emoji load late);
   * a reader at the bottom stays at the bottom.
   */
  private readonly resizes = new ResizeObserver(() => {
    const el = this.scroller;
    if (el && this.atBottom) el.scrollTop = el.scrollHeight;
  });

  protected override firstUpdated(): void {
    const content = this.renderRoot.querySelector('.content');
    if (content) this.resizes.observe(content);
    if (this.scroller) this.resizes.observe(this.scroller);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizes.disconnect();
  }

  private get scroller(): HTMLElement | null {
    return this.renderRoot.querySelector('.scroll');
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('room')) this.atBottom = true;
    const el = this.scroller;
    this.heightBeforeUpdate = el?.scrollHeight ?? 0;
    // willUpdate runs after the new items are set: the old first key is in `changed`.
    const before = changed.has('items') ? (changed.get('items') as Item[] | undefined) : this.items;
    this.firstKeyBeforeUpdate = before?.[0]?.key;
  }

  protected override updated(changed: PropertyValues<this>): void {
    const el = this.scroller;
    if (!el || !changed.has('items')) return;
    if (this.atBottom) {
      el.scrollTop = el.scrollHeight;
      this._unseen = false;
    } else if (this.items[0]?.key !== this.firstKeyBeforeUpdate && this.heightBeforeUpdate > 0) {
      // Older messages were prepended: keep the reader's place.
      el.scrollTop += el.scrollHeight - this.heightBeforeUpdate;
    } else {
      this._unseen = true;
    }
  }

  private _onScroll(): void {
    const el = this.scroller!;
    if (el.scrollHeight - el.scrollTop - el.clientHeight < 40) this.atBottom = true;
    else if (el.scrollTop < this.lastScrollTop) this.atBottom = false;
    this.lastScrollTop = el.scrollTop;
    if (this.atBottom) this._unseen = false;
    if (el.scrollTop < 60 && this.hasOlder && !this.loadingOlder) {
      this.dispatchEvent(new CustomEvent('kk-load-older', { bubbles: true, composed: true }));
    }
  }

  private _jump(): void {
    const el = this.scroller!;
    el.scrollTop = el.scrollHeight;
    this.atBottom = true;
    this._unseen = false;
  }

  private _retry(clientId: string, text: string): void {
    this.dispatchEvent(new CustomEvent('kk-retry', { detail: { clientId, text }, bubbles: true, composed: true }));
  }
}
customElements.define('kk-message-list', KkMessageList);

declare global {
  interface HTMLElementTagNameMap {
    'kk-message-list': KkMessageList;
  }
}
