import { nameKey } from '@kuykan/protocol';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { dayKey, dayLabel, fullTimeOf, hueOf, initialsOf, minuteOf, nameColor, timeOf } from './format.js';
import { t } from './i18n.js';
import { type Block, linkifyReady, mentionsMe, parseMessage } from './markup.js';
import {
  attachmentList,
  botBadge,
  editedMarker,
  messagePartStyles,
  reactionChips,
  replyQuote,
  tombstone,
} from './message-parts.js';
import { MessageTools } from './message-tools.js';
import { noticeText, renderBlocks, tIsolated } from './render-markup.js';
import type { Item } from './room-items.js';
import { displayText } from './text.js';

type MessageItem = Extract<Item, { kind: 'message' }>;

/**
 * The messages of one room: grouped by author and minute, with day
 * separators and system notices. Sticks to the bottom only while the reader
 * is there; otherwise offers a "new messages" button. Scrolling to the top
 * asks for older history. All remote text goes through Lit text bindings.
 *
 * @fires kk-load-older - when the reader reaches the top and older messages exist
 * @fires kk-retry - detail `{ clientId, text }` to re-send a failed message
 * @fires kk-edit-failed - detail `{ clientId, text }` to bring a refused message back into the composer
 * @fires kk-react - detail `{ messageId, emoji, on }`: add (on) or take back my reaction
 * @fires kk-reply - detail `{ message }`: answer this message
 * @fires kk-edit - detail `{ message }`: edit this message of mine
 * @fires kk-delete - detail `{ messageId }`: delete this message of mine (already confirmed)
 * @fires kk-read - when the reader is at the bottom of the list, having seen its newest message
 * @fires kk-away - when the reader leaves the bottom (newer messages are out of view)
 */
export class KkMessageList extends LitElement {
  static override properties = {
    items: { attribute: false },
    room: { type: String },
    hasOlder: { type: Boolean },
    loadingOlder: { type: Boolean },
    pruned: { type: Boolean },
    typing: { attribute: false },
    me: { type: String },
    members: { attribute: false },
    actions: { type: Boolean },
    unreadFrom: { type: String },
    findOlder: { attribute: false },
    _unseen: { state: true },
    _note: { state: true },
  };

  declare items: Item[];
  declare room: string;
  declare hasOlder: boolean;
  declare loadingOlder: boolean;
  /** Nothing older is left because the server removed it (retention [HIST-8]), not because the room began there. */
  declare pruned: boolean;
  declare typing: readonly string[];
  /** This user's name: mentions of it are highlighted. */
  declare me: string;
  /** Names `@` may mention, besides the authors shown. */
  declare members: readonly string[];
  /** The server speaks version 2: messages have a toolbar (react, reply, edit, delete). */
  declare actions: boolean;
  /** v2: the first unread message when the room opened: the "New messages" line sits above it. */
  declare unreadFrom: string;
  /** Loads older history until a message is shown (or gives up); resolves once the list has it. */
  declare findOlder: (messageId: string) => Promise<void>;
  declare _unseen: boolean;
  /** A passing remark (the original of a reply is too far back). */
  declare _note: string;
  private noteTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly tools = new MessageTools(this);
  /** Sticky bottom: cleared only when the reader scrolls up (or is taken to a message), never by layout changes. */
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
    this.pruned = false;
    this.typing = [];
    this.me = '';
    this.members = [];
    this.actions = false;
    this.unreadFrom = '';
    this.findOlder = async () => undefined;
    this._unseen = false;
    this._note = '';
  }

  // Why some rules are there (kept out of the CSS, which ships as it is written):
  // - `.msg.flash`: The original of a reply, just shown: a brief highlight.
  // - `.text`: overflow clip: combining-mark towers and stray glyphs stay inside their bubble.
  static override styles = [
    messagePartStyles,
    css`
    :host { display: flex; flex-direction: column; min-height: 0; position: relative; }
    .scroll { flex: 1; overflow-y: auto; padding: 0.5rem 1rem; overscroll-behavior: contain; overflow-anchor: none; }
    .day { text-align: center; margin: 1rem 0 0.5rem; font-size: 0.8rem; color: var(--kk-muted); }
    .day span { background: var(--kk-surface-2); padding: 0.15rem 0.7rem; border-radius: 999px; }
    .notice { text-align: center; color: var(--kk-muted); font-size: 0.85rem; margin: 0.3rem 0; }
    .msg { position: relative; display: grid; grid-template-columns: 2.25rem minmax(0, 1fr); column-gap: 0.6rem; border-radius: 8px; padding: 0 0.25rem; }
    .msg:hover, .msg:focus-within { background: var(--kk-surface-2); }
    .msg.mentioned { background: var(--kk-mention); box-shadow: inset 3px 0 var(--kk-mention-edge); }
    .msg.flash { animation: kk-flash 2s ease-out; }
    @keyframes kk-flash { from, 40% { background: var(--kk-mention); box-shadow: inset 3px 0 var(--kk-accent); } }
    .msg:focus { outline: none; }
    .msg:focus-visible { outline: 3px solid var(--kk-focus); }
    .unread-line { display: flex; align-items: center; gap: 0.5rem; margin: 0.6rem 0 0.2rem; color: var(--kk-danger); font-size: 0.8rem; font-weight: 600; }
    .unread-line::before, .unread-line::after { content: ''; flex: 1; border-top: 1px solid var(--kk-danger); }
    .note { padding: 0 1rem; font-size: 0.85rem; color: var(--kk-muted); }
    .group { margin-top: 0.6rem; }
    .avatar { width: 2.25rem; height: 2.25rem; border-radius: 50%; display: grid; place-items: center; font-weight: 700; font-size: 0.9rem; line-height: 1; overflow: hidden; white-space: nowrap;
      background: light-dark(hsl(var(--hue) 60% 86%), hsl(var(--hue) 45% 28%)); color: light-dark(hsl(var(--hue) 70% 24%), hsl(var(--hue) 80% 86%)); margin-top: 0.2rem; }
    .side { font-size: 0.7rem; color: var(--kk-muted); text-align: center; opacity: 0; padding-top: 0.3rem; white-space: nowrap; }
    .msg:hover .side, .msg:focus-within .side { opacity: 1; }
    .head { display: flex; gap: 0.5rem; align-items: baseline; min-width: 0; }
    .from { font-weight: 700; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; min-width: 0; unicode-bidi: isolate; }
    time { color: var(--kk-muted); font-size: 0.75rem; flex: none; }
    .text { overflow-wrap: anywhere; padding: 0.1rem 0.6rem; margin: 0.1rem 0; border-radius: 10px; width: fit-content; max-width: 100%; box-sizing: border-box; overflow: clip; unicode-bidi: isolate; }
    .text p { margin: 0; white-space: pre-wrap; unicode-bidi: isolate; }
    .text pre { margin: 0.25rem 0; padding: 0.4rem 0.6rem; background: var(--kk-surface-2); border-radius: 6px; overflow-x: auto; white-space: pre; }
    .text code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.9em; }
    .text p code { background: var(--kk-surface-2); padding: 0 0.25rem; border-radius: 4px; }
    .text blockquote { margin: 0.15rem 0; padding-left: 0.6rem; border-left: 3px solid var(--kk-border); color: var(--kk-muted); white-space: pre-wrap; unicode-bidi: isolate; }
    .text a { color: var(--kk-link); text-decoration: underline; }
    .mention { color: var(--kk-accent); font-weight: 600; unicode-bidi: isolate; }
    .mention.me { background: var(--kk-mention-edge); color: var(--kk-accent-text); border-radius: 4px; padding: 0 0.2rem; }
    .own .text { background: var(--kk-own); }
    .notice { unicode-bidi: isolate; }
    .status { display: block; font-size: 0.75rem; color: var(--kk-muted); }
    .failed { color: var(--kk-danger); }
    .status button { font: inherit; color: var(--kk-accent); background: none; border: 0; text-decoration: underline; cursor: pointer; }
    .top { text-align: center; color: var(--kk-muted); font-size: 0.85rem; padding: 0.5rem; }
    .jump { position: absolute; bottom: 2.2rem; left: 50%; transform: translateX(-50%); border: 0; border-radius: 999px; padding: 0.4rem 0.9rem; background: var(--kk-accent); color: var(--kk-accent-text); font: inherit; cursor: pointer; box-shadow: 0 2px 8px #0003; }
    .typing { min-height: 1.4rem; padding: 0 1rem 0.2rem; font-size: 0.8rem; color: var(--kk-muted); font-style: italic; }
    .tools { position: absolute; top: -0.8rem; right: 0.5rem; display: flex; gap: 0.2rem; z-index: 1; }
    .tools kk-message-actions { display: none; }
    .msg:hover .tools kk-message-actions, .msg:focus-within .tools kk-message-actions { display: flex; }
    .more { font: inherit; line-height: 1.3; border: 1px solid var(--kk-border); border-radius: 8px; background: var(--kk-surface); color: var(--kk-text); padding: 0.1rem 0.45rem; cursor: pointer; opacity: 0; }
    .msg:hover .more, .msg:focus-within .more { opacity: 1; }
    kk-emoji-picker { position: absolute; bottom: 2rem; right: 1rem; z-index: 4; }
    :focus-visible { outline: 3px solid var(--kk-focus); outline-offset: 2px; }
  `,
  ];

  override render() {
    const names = this._names();
    let lastDay = '';
    let lastGroup = '';
    return html`
      <div class="scroll" role="log" aria-live="off" aria-label=${t('messages')} tabindex="0" @scroll=${this._onScroll}>
        <div class="content">
        <div class="top">${this.loadingOlder ? t('loadingOlder') : this.hasOlder ? '' : t(this.pruned ? 'pruned' : 'beginning', { room: this.room })}</div>
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
            const line =
              item.key === this.unreadFrom
                ? html`<div class="unread-line" role="separator" aria-label=${t('unreadLine')}><span aria-hidden="true">${t('unreadLine')}</span></div>`
                : nothing;
            if (line !== nothing) lastGroup = '';
            if (item.kind === 'notice') {
              lastGroup = '';
              return html`${separator}<div class="notice" dir="auto">${noticeText(item.text, item.name)}</div>`;
            }
            const { message } = item;
            const group = `${message.from}|${minuteOf(message.ts)}`;
            const head = group !== lastGroup;
            lastGroup = group;
            return html`${separator}${line}${this._message(item, head, names)}`;
          },
        )}
        </div>
      </div>
      ${this._unseen ? html`<button class="jump" @click=${this._jump}>${t('newMessages')}</button>` : nothing}
      <div class="note" role="status">${this._note}</div>
      <div class="typing" aria-live="polite">${this._typingText()}</div>
      ${this.tools.renderPicker()}
    `;
  }

  /** Parsed messages, per message object: re-parsed only when the names that can be mentioned change. */
  private parsed = new WeakMap<object, { blocks: Block[]; me: boolean }>();
  private namesKey = '';

  private _names(): string[] {
    const names = new Set(this.members);
    for (const item of this.items) if (item.kind === 'message') names.add(item.message.from);
    if (this.me) names.add(this.me);
    const list = [...names];
    const key = `${this.me}\n${list.join('\n')}`;
    if (key !== this.namesKey) {
      this.namesKey = key;
      this.parsed = new WeakMap();
    }
    return list;
  }

  private _parse(item: MessageItem, names: readonly string[]): { blocks: Block[]; me: boolean } {
    let parsed = this.parsed.get(item.message);
    if (!parsed) {
      const blocks = parseMessage(item.message.text, { names, me: this.me });
      // v2: the message's mentions name me; v1: the text does (`@name` as a whole word).
      const key = nameKey(this.me || ' ');
      const named = item.message.mentions?.some((name) => nameKey(name) === key) ?? false;
      parsed = { blocks, me: !item.own && !item.message.deleted && (named || mentionsMe(blocks)) };
      this.parsed.set(item.message, parsed);
    }
    return parsed;
  }

  private _message(item: MessageItem, head: boolean, names: readonly string[]) {
    const { message } = item;
    const { blocks, me } = this._parse(item, names);
    const from = displayText(message.from);
    const when = html`<time datetime=${new Date(message.ts).toISOString()} title=${fullTimeOf(message.ts)}>${timeOf(message.ts)}</time>`;
    const live = this.actions && message.seq > 0 && !message.deleted;
    return html`<div class="msg ${head ? 'group' : ''} ${item.own ? 'own' : ''} ${me ? 'mentioned' : ''}" data-id=${message.messageId} tabindex="-1"
      @mouseenter=${live ? () => this.tools.activate(message.messageId) : nothing}
      @focusin=${live ? () => this.tools.activate(message.messageId) : nothing}>
      ${
        head
          ? html`<span class="avatar" aria-hidden="true" style="--hue: ${hueOf(message.from)}">${initialsOf(from)}</span>`
          : html`<span class="side">${when}</span>`
      }
      <div>
        ${
          head
            ? html`<div class="head"><span class="from" dir="auto" title=${from} style="color: ${nameColor(message.from)}">${from}</span>${botBadge(message.bot)}${when}</div>`
            : nothing
        }
        ${replyQuote(message.reply, (id) => void this.showOriginal(id))}
        ${
          message.deleted
            ? html`<div class="text">${tombstone()}</div>`
            : message.text || item.status
              ? html`<div class="text" dir="auto">${renderBlocks(blocks, editedMarker(message.editedTs))}${this._status(item)}</div>`
              : nothing
        }
        ${message.deleted ? nothing : attachmentList(message.attachments)}
        ${message.deleted ? nothing : reactionChips(message.reactions, (emoji, on) => this.tools.react(message.messageId, emoji, on))}
      </div>
      ${live ? this.tools.render(item) : nothing}
    </div>`;
  }

  private _emit(type: string): void {
    this.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true }));
  }

  private _status(item: MessageItem) {
    if (!item.status) return nothing;
    if (item.status === 'failed') {
      const { clientId = '', text } = item.message;
      const retry = item.failure?.retry ?? true;
      return html`<span class="status failed" role="alert">${t('failed')}${item.failure ? html`: ${item.failure.reason}` : nothing}
        ${
          retry
            ? html`<button @click=${() => this._retry(clientId, text)}>${t('retry')}</button>`
            : html`<button @click=${() => this._fire('kk-edit-failed', clientId, text)}>${t('edit')}</button>`
        }</span>`;
    }
    return html`<span class="status">${item.status === 'queued' ? t('queued') : t('sending')}</span>`;
  }

  private _typingText() {
    if (this.typing.length === 0) return '';
    if (this.typing.length === 1) return tIsolated('typingOne', { name: this.typing[0]! });
    return tIsolated('typingMany', { names: this.typing.join(', ') });
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
    void linkifyReady.then(() => {
      this.parsed = new WeakMap();
      this.requestUpdate();
    });
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
    if (changed.has('room') && this._startAtUnreadLine(el)) return;
    if (this.atBottom) {
      el.scrollTop = el.scrollHeight;
      this._unseen = false;
      this._emit('kk-read');
    } else if (this.items[0]?.key !== this.firstKeyBeforeUpdate && this.heightBeforeUpdate > 0) {
      // Older messages were prepended: keep the reader's place.
      el.scrollTop += el.scrollHeight - this.heightBeforeUpdate;
    } else {
      this._unseen = true;
    }
  }

  /**
   * A room opens at its "New messages" line when what follows it does not fit
   * (then it is not read yet); true when it did.
   */
  private _startAtUnreadLine(el: HTMLElement): boolean {
    const line = this.renderRoot.querySelector<HTMLElement>('.unread-line');
    if (!line) return false;
    const top = line.getBoundingClientRect().top - el.getBoundingClientRect().top + el.scrollTop;
    if (el.scrollHeight - top <= el.clientHeight) return false;
    el.scrollTop = top - 8;
    this.lastScrollTop = el.scrollTop;
    this._leave();
    this._unseen = true; // the rest is below: the jump button, and reaching the bottom reads it
    return true;
  }

  /**
   * Scrolls to a message, highlights it briefly and moves focus to it; a
   * message not shown is looked for in older history first (`findOlder`).
   */
  async showOriginal(messageId: string): Promise<void> {
    if (!this._reveal(messageId)) {
      await this.findOlder(messageId);
      await this.updateComplete;
      if (!this._reveal(messageId)) this._say(t('originalNotLoaded'));
    }
  }

  private _reveal(messageId: string): boolean {
    const target = [...this.renderRoot.querySelectorAll<HTMLElement>('.msg')].find((el) => el.dataset.id === messageId);
    if (!target) return false;
    target.scrollIntoView({ block: 'center' });
    this._leave();
    target.classList.remove('flash');
    void target.offsetWidth; // restarts the highlight when shown again
    target.classList.add('flash');
    target.addEventListener('animationend', () => target.classList.remove('flash'), { once: true });
    target.focus({ preventScroll: true });
    this._say('');
    return true;
  }

  /** A remark under the list for a few seconds, read out politely. */
  private _say(text: string): void {
    clearTimeout(this.noteTimer);
    this._note = text;
    if (text) this.noteTimer = setTimeout(() => (this._note = ''), 6000);
  }

  /** The reader is no longer at the bottom: what arrives now is not seen. */
  private _leave(): void {
    if (this.atBottom) this._emit('kk-away');
    this.atBottom = false;
  }

  private _onScroll(): void {
    const el = this.scroller!;
    const was = this.atBottom;
    if (el.scrollHeight - el.scrollTop - el.clientHeight < 40) this.atBottom = true;
    else if (el.scrollTop < this.lastScrollTop) this._leave();
    this.lastScrollTop = el.scrollTop;
    if (this.atBottom && (this._unseen || !was)) this._emit('kk-read');
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
    this._emit('kk-read');
  }

  private _retry(clientId: string, text: string): void {
    this._fire('kk-retry', clientId, text);
  }

  private _fire(type: 'kk-retry' | 'kk-edit-failed', clientId: string, text: string): void {
    this.dispatchEvent(new CustomEvent(type, { detail: { clientId, text }, bubbles: true, composed: true }));
  }
}
customElements.define('kk-message-list', KkMessageList);

declare global {
  interface HTMLElementTagNameMap {
    'kk-message-list': KkMessageList;
  }
}
