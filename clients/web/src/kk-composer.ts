import { codePointLength } from '@kuykan/protocol';
import type { ChatMessage } from '@kuykan/sdk';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { ComposerContext } from './composer-context.js';
import { expandShortcodes, suggest } from './emoji.js';
import { t } from './i18n.js';
import { displayText } from './text.js';
import type { UploadEntry } from './uploads.js';

/** One completion offered under the caret: an emoji for `:code`, a member for `@name`. */
export interface Suggestion {
  label: string;
  insert: string;
  icon: string;
}

/** Shown from this share of the limit on, so the limit is no surprise. */
const COUNTER_FROM = 0.8;

/**
 * The message composer: Enter sends, Shift+Enter adds a line, the field grows
 * with its text, `:shortcode:` and `@name` complete (↑/↓ choose, Tab or Enter
 * take, Escape closes), and a counter warns before the server's limit.
 *
 * In version 2 it also answers a message ("Replying to …", ✕ or Escape
 * cancels), edits one of mine (the text comes back into the field; Escape
 * restores the draft; ↑ in an empty field edits my last message), and takes files from 📎, a paste or a drop.
 *
 * @fires kk-send - detail `{ text, replyTo?, edit? }` with shortcodes expanded; `edit` is the messageId edited
 * @fires kk-files - detail `{ files }`: files to send to the room
 * @fires kk-typing - detail `{ active }`: true while typing, false once the field is emptied
 * @fires kk-draft - detail `{ room, text }` whenever the text changes, so each room keeps its draft
 */
export class KkComposer extends LitElement {
  static override properties = {
    room: { type: String },
    maxLength: { type: Number },
    members: { attribute: false },
    draft: { type: String },
    peer: { type: String },
    files: { type: Boolean },
    uploads: { attribute: false },
    lastOwn: { attribute: false },
    _suggestions: { state: true },
    _active: { state: true },
    _length: { state: true },
    _picker: { state: true },
  };

  declare room: string;
  /** The server's maxTextLength (from `welcome`), in code points. */
  declare maxLength: number;
  /** Names `@` completes. */
  declare members: readonly string[];
  /** The text to show when the room changes. */
  declare draft: string;
  /** v2: the other member of a direct room (the field's label names them). */
  declare peer: string;
  /** The server takes files (its `files` capability): 📎, drops and pastes send them. */
  declare files: boolean;
  /** Files on their way to this room. */
  declare uploads: readonly UploadEntry[];
  /** v2: my newest message in the room, which ↑ in an empty field edits (as in the terminal client). */
  declare lastOwn: ChatMessage | undefined;
  /** The reply or edit under way. */
  private readonly context = new ComposerContext(this);
  declare _suggestions: Suggestion[];
  declare _active: number;
  declare _length: number;
  declare _picker: boolean;
  private query = 0;

  constructor() {
    super();
    this.room = '';
    this.maxLength = 4000;
    this.members = [];
    this.draft = '';
    this.peer = '';
    this.files = false;
    this.uploads = [];
    this.lastOwn = undefined;
    this._suggestions = [];
    this._active = 0;
    this._length = 0;
    this._picker = false;
  }

  // Why some rules are there (kept out of the CSS, which ships as it is written):
  // - `textarea::placeholder`: One line of hint: a wrapped placeholder would be clipped by the one-row field.
  static override styles = css`
    :host { display: block; position: relative; padding: 0.5rem 0.75rem 0.75rem; border-top: 1px solid var(--kk-border); background: var(--kk-surface); }
    form { display: flex; gap: 0.4rem; align-items: flex-end; }
    textarea { flex: 1; min-width: 0; resize: none; font: inherit; line-height: 1.5; padding: 0.5rem 0.7rem; border-radius: 10px; border: 1px solid var(--kk-border); background: var(--kk-bg); color: var(--kk-text); max-height: 10.5rem; overflow-y: auto; box-sizing: border-box; }
    textarea[aria-invalid='true'] { border-color: var(--kk-danger); }
    textarea::placeholder { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    button { font: inherit; border: 0; border-radius: 10px; padding: 0.5rem 0.8rem; line-height: 1.5; cursor: pointer; }
    .emoji { background: var(--kk-surface-2); color: var(--kk-text); }
    .send { background: var(--kk-accent); color: var(--kk-accent-text); font-weight: 600; }
    .meta { display: flex; justify-content: flex-end; gap: 0.5rem; font-size: 0.8rem; color: var(--kk-muted); min-height: 0; }
    .meta .over { color: var(--kk-danger); font-weight: 600; }
    ul { position: absolute; bottom: 100%; left: 0.75rem; max-width: calc(100% - 1.5rem); box-sizing: border-box; margin: 0; padding: 0.25rem; list-style: none; background: var(--kk-surface); border: 1px solid var(--kk-border); border-radius: 10px; box-shadow: 0 4px 14px #0002; z-index: 3; }
    li { padding: 0.25rem 0.5rem; border-radius: 6px; cursor: pointer; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; unicode-bidi: isolate; }
    li[aria-selected='true'] { background: var(--kk-surface-2); outline: 2px solid var(--kk-accent); }
    .context { display: flex; align-items: center; gap: 0.5rem; font-size: 0.85rem; color: var(--kk-muted); margin-bottom: 0.35rem; min-width: 0; }
    .context .quote { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; min-width: 0; unicode-bidi: isolate; }
    .context button, .attach { background: var(--kk-surface-2); color: var(--kk-text); }
    .context button { padding: 0 0.45rem; flex: none; }
    .error { color: var(--kk-danger); font-size: 0.85rem; margin-bottom: 0.35rem; }
    input[type='file'] { display: none; }
    kk-emoji-picker { position: absolute; bottom: 100%; right: 0.5rem; z-index: 2; }
    :focus-visible { outline: 3px solid var(--kk-focus); outline-offset: 2px; }
  `;

  override render() {
    const over = this._length > this.maxLength;
    const showCount = this._length >= this.maxLength * COUNTER_FROM;
    return html`
      ${
        this._suggestions.length
          ? html`<ul id="suggestions" role="listbox" aria-label=${t('suggestions')}>
            ${this._suggestions.map(
              (s, n) =>
                html`<li id="s${n}" role="option" dir="auto" aria-selected=${n === this._active ? 'true' : 'false'}
                  @mousedown=${(e: Event) => {
                    e.preventDefault(); // keep focus (and the caret) in the field
                    this._complete(s);
                  }}>${s.icon} ${s.label}</li>`,
            )}
          </ul>`
          : nothing
      }
      ${this.uploads.length ? html`<kk-uploads .entries=${this.uploads}></kk-uploads>` : nothing}
      ${this.context.render()}
      ${this._picker ? html`<kk-emoji-picker .anchor=${this.renderRoot.querySelector('.emoji') ?? undefined} @kk-emoji=${this._onEmoji} @kk-close=${this._closePicker}></kk-emoji-picker>` : nothing}
      <form @submit=${this._onSubmit}>
        <textarea rows="1" dir="auto" aria-label=${this._label()} placeholder=${this._label()}
          aria-autocomplete="list" aria-controls=${this._suggestions.length ? 'suggestions' : nothing}
          aria-activedescendant=${this._suggestions.length ? `s${this._active}` : nothing}
          aria-invalid=${over ? 'true' : 'false'} aria-describedby="count"
          @keydown=${this._onKeyDown} @input=${this._onInput} @paste=${this._onPaste}></textarea>
        <button type="button" class="emoji" aria-label=${t('emoji')} aria-haspopup="dialog" aria-expanded=${this._picker ? 'true' : 'false'} @click=${this._togglePicker}>😊</button>
        ${
          this.files
            ? html`<button type="button" class="attach" aria-label=${t('attach')} title=${t('attach')} @click=${this._pickFiles}>📎</button>
              <input type="file" multiple tabindex="-1" aria-hidden="true" @change=${this._onFiles} />`
            : nothing
        }
        <button type="submit" class="send">${t('send')}</button>
      </form>
      <div class="meta" id="count" role=${over ? 'alert' : nothing}>
        ${
          over
            ? html`<span class="over">${t('tooLong', { count: String(this._length), max: String(this.maxLength) })}</span>`
            : showCount
              ? html`<span>${t('counter', { count: String(this._length), max: String(this.maxLength) })}</span>`
              : nothing
        }
      </div>
    `;
  }

  private _label(): string {
    return this.peer
      ? t('messageDirect', { name: displayText(this.peer) })
      : t('messagePlaceholder', { room: this.room });
  }

  /** Answers `message` with the next send. */
  startReply(message: ChatMessage): void {
    this.context.startReply(message);
  }

  /** Brings one of my messages into the field to edit (the draft is put aside), or `text` after a refused edit. */
  startEdit(message: ChatMessage, text = message.text, error = ''): void {
    this.context.startEdit(message, text, error);
  }

  /** Shows why an action on a message failed (a reaction, a deletion), until the next one. */
  showError(text: string): void {
    this.context.showError(text);
  }

  private _pickFiles(): void {
    this.renderRoot.querySelector<HTMLInputElement>('input[type=file]')?.click();
  }

  private _onFiles(event: Event): void {
    const input = event.target as HTMLInputElement;
    this._sendFiles([...(input.files ?? [])]);
    input.value = ''; // the same file can be picked again
  }

  /** A pasted image (a screenshot) is sent as a file; pasted text goes into the field. */
  private _onPaste(event: ClipboardEvent): void {
    const files = [...(event.clipboardData?.files ?? [])];
    if (files.length > 0 && this.files) {
      event.preventDefault();
      this._sendFiles(files);
      return;
    }
    queueMicrotask(() => this._onInput());
  }

  private _sendFiles(files: File[]): void {
    if (files.length === 0) return;
    this.dispatchEvent(new CustomEvent('kk-files', { detail: { files }, bubbles: true, composed: true }));
  }

  private get field(): HTMLTextAreaElement {
    return this.renderRoot.querySelector('textarea')!;
  }

  /** Focuses the text field. */
  override focus(): void {
    this.field?.focus();
  }

  /** The text in the field. */
  get value(): string {
    return this.field?.value ?? '';
  }

  /** Replaces the text (a draft, or a refused message brought back to edit) and focuses the field. */
  setText(text: string): void {
    this.field.value = text;
    this._changed();
    this.field.focus();
  }

  /** Inserts text at the caret, replacing any selection (the emoji picker's choice). */
  insert(text: string): void {
    const field = this.field;
    const start = field.selectionStart ?? field.value.length;
    const end = field.selectionEnd ?? start;
    field.value = field.value.slice(0, start) + text + field.value.slice(end);
    const caret = start + text.length;
    field.setSelectionRange(caret, caret);
    this._changed();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // The uploads list loads once the composer shows (kept out of the first paint), so a
    // refusal can be shown even when the server has gone away.
    void import('./kk-uploads.js');
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('room') && this.field) {
      this.context.clear();
      this.field.value = this.draft;
      this._suggestions = [];
      this._resize();
      this._length = codePointLength(this.draft);
    }
  }

  /** The picker's module (and its data) load on first open. */
  private async _togglePicker(): Promise<void> {
    if (this._picker) return this._closePicker();
    await import('./kk-emoji-picker.js');
    this._picker = true;
  }

  private _onEmoji(event: CustomEvent<{ native: string }>): void {
    this.insert(event.detail.native);
  }

  private _closePicker(): void {
    this._picker = false;
    this.field.focus();
  }

  private _onKeyDown(event: KeyboardEvent): void {
    const count = this._suggestions.length;
    if (count > 0 && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
      event.preventDefault();
      this._active = (this._active + (event.key === 'ArrowDown' ? 1 : count - 1)) % count;
      return;
    }
    if ((event.key === 'Tab' || event.key === 'Enter') && count > 0 && !event.shiftKey) {
      event.preventDefault();
      this._complete(this._suggestions[this._active]!);
      return;
    }
    if (event.key === 'Escape' && count > 0) {
      event.preventDefault();
      this._suggestions = [];
      return;
    }
    if (event.key === 'ArrowUp' && this.lastOwn && this.field.value === '' && !this.context.active) {
      event.preventDefault();
      this.context.startEdit(this.lastOwn);
      return;
    }
    if (event.key === 'Escape' && this.context.active) {
      event.preventDefault();
      this.context.cancel();
      return;
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void this._submit();
    }
  }

  private _onInput(): void {
    this._changed();
    void this._suggest();
  }

  /** After any change of text: size, counter, typing state and the room's draft. */
  private _changed(): void {
    const text = this.field.value;
    this._resize();
    this._length = codePointLength(text);
    this.dispatchEvent(
      new CustomEvent('kk-typing', { detail: { active: text !== '' }, bubbles: true, composed: true }),
    );
    this.dispatchEvent(
      new CustomEvent('kk-draft', { detail: { room: this.room, text }, bubbles: true, composed: true }),
    );
  }

  /** Grows with the text up to the CSS max-height, then scrolls. */
  private _resize(): void {
    const field = this.field;
    field.style.height = 'auto';
    field.style.height = `${field.scrollHeight + (field.offsetHeight - field.clientHeight)}px`;
  }

  private async _suggest(): Promise<void> {
    const query = ++this.query;
    const before = this.field.value.slice(0, this.field.selectionStart ?? 0);
    const emoji = /(?:^|\s):([\p{L}\p{N}_+-]{2,})$/u.exec(before);
    const mention = /(?:^|\s)@([^\s@]*)$/u.exec(before);
    let next: Suggestion[] = [];
    if (emoji) {
      next = (await suggest(emoji[1]!)).map((s) => ({ label: `:${s.code}:`, insert: s.native, icon: s.native }));
    } else if (mention) {
      const prefix = mention[1]!.toLowerCase();
      next = this.members
        .filter((name) => name.toLowerCase().startsWith(prefix))
        .slice(0, 8)
        .map((name) => ({ label: name, insert: `@${name} `, icon: '@' }));
    }
    if (query !== this.query) return; // a later keystroke already asked
    this._suggestions = next;
    this._active = 0;
  }

  private _complete(choice: Suggestion): void {
    const field = this.field;
    const caret = field.selectionStart ?? field.value.length;
    const head = field.value.slice(0, caret);
    const start = choice.icon === '@' ? head.lastIndexOf('@') : head.lastIndexOf(':');
    const before = head.slice(0, start) + choice.insert;
    field.value = before + field.value.slice(caret);
    field.setSelectionRange(before.length, before.length);
    this._suggestions = [];
    this._changed();
  }

  private _onSubmit(event: Event): void {
    event.preventDefault();
    void this._submit();
  }

  private async _submit(): Promise<void> {
    const raw = this.field.value;
    if (raw.trim() === '' || codePointLength(raw) > this.maxLength) return;
    const text = await expandShortcodes(raw);
    const { edit, replyTo, after } = this.context.take();
    this.field.value = after;
    this._suggestions = [];
    this._changed();
    this.dispatchEvent(new CustomEvent('kk-send', { detail: { text, edit, replyTo }, bubbles: true, composed: true }));
  }
}
customElements.define('kk-composer', KkComposer);

declare global {
  interface HTMLElementTagNameMap {
    'kk-composer': KkComposer;
  }
}
