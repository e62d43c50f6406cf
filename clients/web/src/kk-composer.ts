import { css, html, LitElement, nothing } from 'lit';
import { expandShortcodes, type Shortcode, suggest } from './emoji.js';
import { t } from './i18n.js';
import './kk-emoji-picker.js';

/**
 * The message composer: Enter sends, Shift+Enter adds a line, `:shortcode:`
 * completes with Tab or Enter, and the emoji picker inserts at the caret.
 *
 * @fires kk-send - detail `{ text }` with shortcodes expanded
 * @fires kk-typing - while the user types
 */
export class KkComposer extends LitElement {
  static override properties = {
    room: { type: String },
    maxLength: { type: Number },
    _suggestions: { state: true },
    _picker: { state: true },
  };

  declare room: string;
  /** The server's maxTextLength, in code points. */
  declare maxLength: number;
  declare _suggestions: Shortcode[];
  declare _picker: boolean;

  constructor() {
    super();
    this.room = '';
    this.maxLength = 4000;
    this._suggestions = [];
    this._picker = false;
  }

  static override styles = css`
    :host { display: block; position: relative; padding: 0.5rem 0.75rem 0.75rem; border-top: 1px solid var(--kk-border); background: var(--kk-surface); }
    form { display: flex; gap: 0.4rem; align-items: flex-end; }
    textarea { flex: 1; min-width: 0; resize: none; font: inherit; padding: 0.6rem 0.7rem; border-radius: 10px; border: 1px solid var(--kk-border); background: var(--kk-bg); color: var(--kk-text); max-height: 8rem; }
    /* One line of hint: a wrapped placeholder is clipped by the one-row field. */
    textarea::placeholder { white-space: nowrap; }
    button { font: inherit; border: 0; border-radius: 10px; padding: 0.6rem 0.8rem; cursor: pointer; }
    .emoji { background: var(--kk-surface-2); color: var(--kk-text); }
    .send { background: var(--kk-accent); color: var(--kk-accent-text); font-weight: 600; }
    ul { position: absolute; bottom: 100%; left: 0.75rem; margin: 0; padding: 0.25rem; list-style: none; background: var(--kk-surface); border: 1px solid var(--kk-border); border-radius: 10px; box-shadow: 0 4px 14px #0002; }
    li { padding: 0.25rem 0.5rem; border-radius: 6px; }
    li[aria-selected='true'] { background: var(--kk-surface-2); }
    kk-emoji-picker { position: absolute; bottom: 100%; right: 0.75rem; z-index: 2; }
    :focus-visible { outline: 3px solid var(--kk-focus); outline-offset: 2px; }
  `;

  override render() {
    return html`
      ${
        this._suggestions.length
          ? html`<ul role="listbox" aria-label="Emoji shortcodes">
            ${this._suggestions.map((s, n) => html`<li role="option" aria-selected=${n === 0 ? 'true' : 'false'}>${s.native} :${s.code}:</li>`)}
          </ul>`
          : nothing
      }
      ${this._picker ? html`<kk-emoji-picker @kk-emoji=${this._onEmoji} @kk-close=${() => (this._picker = false)}></kk-emoji-picker>` : nothing}
      <form @submit=${this._onSubmit}>
        <textarea rows="1" aria-label=${t('messagePlaceholder', { room: this.room })} placeholder=${t('messagePlaceholder', { room: this.room })}
          @keydown=${this._onKeyDown} @input=${this._onInput}></textarea>
        <button type="button" class="emoji" aria-label=${t('emoji')} aria-expanded=${this._picker ? 'true' : 'false'} @click=${() => (this._picker = !this._picker)}>😊</button>
        <button type="submit" class="send">${t('send')}</button>
      </form>
    `;
  }

  private get field(): HTMLTextAreaElement {
    return this.renderRoot.querySelector('textarea')!;
  }

  /** Focuses the text field. */
  override focus(): void {
    this.field?.focus();
  }

  private _onKeyDown(event: KeyboardEvent): void {
    if ((event.key === 'Tab' || event.key === 'Enter') && this._suggestions.length > 0 && !event.shiftKey) {
      event.preventDefault();
      this._complete(this._suggestions[0]!);
      return;
    }
    if (event.key === 'Escape') {
      this._suggestions = [];
      this._picker = false;
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void this._submit();
    }
  }

  private async _onInput(): Promise<void> {
    this.dispatchEvent(new CustomEvent('kk-typing', { bubbles: true, composed: true }));
    const before = this.field.value.slice(0, this.field.selectionStart ?? 0);
    const match = /:([a-z0-9_+-]{2,})$/i.exec(before);
    this._suggestions = match ? await suggest(match[1]!) : [];
  }

  private _complete(choice: Shortcode): void {
    const field = this.field;
    const caret = field.selectionStart ?? field.value.length;
    const before = field.value.slice(0, caret).replace(/:[a-z0-9_+-]+$/i, choice.native);
    field.value = before + field.value.slice(caret);
    field.setSelectionRange(before.length, before.length);
    this._suggestions = [];
  }

  private _onEmoji(event: CustomEvent<{ native: string }>): void {
    const field = this.field;
    const start = field.selectionStart ?? field.value.length;
    const end = field.selectionEnd ?? start;
    field.value = field.value.slice(0, start) + event.detail.native + field.value.slice(end);
    const caret = start + event.detail.native.length;
    field.focus();
    field.setSelectionRange(caret, caret);
  }

  private _onSubmit(event: Event): void {
    event.preventDefault();
    void this._submit();
  }

  private async _submit(): Promise<void> {
    const raw = this.field.value;
    if (raw.trim() === '') return;
    const text = await expandShortcodes(raw);
    this.field.value = '';
    this._suggestions = [];
    this.dispatchEvent(new CustomEvent('kk-send', { detail: { text }, bubbles: true, composed: true }));
  }
}
customElements.define('kk-composer', KkComposer);

declare global {
  interface HTMLElementTagNameMap {
    'kk-composer': KkComposer;
  }
}
