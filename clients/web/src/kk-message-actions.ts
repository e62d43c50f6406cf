import type { ChatMessage } from '@kuykan/sdk';
import { css, html, LitElement, nothing } from 'lit';
import { t } from './i18n.js';
import { displayText } from './text.js';

/** The quick reactions offered on every message; the picker has the rest. */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '🎉', '😮'] as const;

/** What a message's toolbar asks for. */
export type MessageAction =
  | { action: 'react'; emoji: string; on: boolean }
  | { action: 'pick' }
  | { action: 'reply' }
  | { action: 'edit' }
  | { action: 'delete' };

/**
 * The toolbar of one message (shown on hover or while focus is in the
 * message): quick reactions, more reactions (the emoji picker), reply, and
 * for my own messages edit and delete, which asks for confirmation in place.
 * Only one message has it at a time, so a long list carries no toolbars.
 *
 * @fires kk-action - detail {@link MessageAction} plus `messageId`
 */
export class KkMessageActions extends LitElement {
  static override properties = {
    message: { attribute: false },
    own: { type: Boolean },
    _confirm: { state: true },
  };

  declare message: ChatMessage | undefined;
  /** The message is mine: it can be edited and deleted. */
  declare own: boolean;
  declare _confirm: boolean;

  constructor() {
    super();
    this.message = undefined;
    this.own = false;
    this._confirm = false;
  }

  static override styles = css`
    :host { display: flex; }
    div { display: flex; align-items: center; gap: 0.1rem; background: var(--kk-surface); border: 1px solid var(--kk-border); border-radius: 8px; padding: 0.1rem; box-shadow: 0 2px 6px #0002; }
    button { font: inherit; font-size: 0.9rem; line-height: 1.3; border: 0; background: none; color: var(--kk-text); border-radius: 6px; padding: 0.15rem 0.35rem; cursor: pointer; white-space: nowrap; }
    button:hover, button[aria-pressed='true'] { background: var(--kk-surface-2); }
    .danger { color: var(--kk-danger); font-weight: 600; }
    span { font-size: 0.85rem; padding: 0 0.3rem; white-space: nowrap; }
    :focus-visible { outline: 3px solid var(--kk-focus); outline-offset: 1px; }
  `;

  override render() {
    const message = this.message;
    if (!message) return nothing;
    if (this._confirm) {
      return html`<div role="group" aria-label=${t('confirmDelete')}><span>${t('confirmDelete')}</span>
        <button class="danger" @click=${() => this._fire({ action: 'delete' })}>${t('deleteMessage')}</button>
        <button class="cancel" @click=${this._cancel} @keydown=${this._onKey}>${t('cancel')}</button></div>`;
    }
    const mine = new Set(message.reactions?.filter((r) => r.me).map((r) => r.emoji));
    return html`<div role="toolbar" aria-label=${t('actions', { name: displayText(message.from) })} @keydown=${this._onKey}>
      ${QUICK_REACTIONS.map(
        (
          emoji,
        ) => html`<button aria-label=${t('react', { emoji })} title=${t('react', { emoji })} aria-pressed=${mine.has(emoji) ? 'true' : 'false'}
          @click=${() => this._fire({ action: 'react', emoji, on: !mine.has(emoji) })}>${emoji}</button>`,
      )}
      <button aria-label=${t('moreReactions')} title=${t('moreReactions')} @click=${() => this._fire({ action: 'pick' })}>😊+</button>
      <button @click=${() => this._fire({ action: 'reply' })}>↩ ${t('reply')}</button>
      ${
        this.own
          ? html`<button @click=${() => this._fire({ action: 'edit' })}>✏️ ${t('editMessage')}</button>
            <button @click=${this._askDelete}>🗑 ${t('deleteMessage')}</button>`
          : nothing
      }
    </div>`;
  }

  private async _askDelete(): Promise<void> {
    this._confirm = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('.cancel')?.focus();
  }

  private _cancel(): void {
    this._confirm = false;
  }

  private _onKey(event: KeyboardEvent): void {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    this._confirm = false;
    this.dispatchEvent(new CustomEvent('kk-close', { bubbles: true, composed: true }));
  }

  private _fire(action: MessageAction): void {
    this._confirm = false;
    const messageId = this.message?.messageId ?? '';
    this.dispatchEvent(
      new CustomEvent('kk-action', { detail: { ...action, messageId }, bubbles: true, composed: true }),
    );
  }
}
customElements.define('kk-message-actions', KkMessageActions);

declare global {
  interface HTMLElementTagNameMap {
    'kk-message-actions': KkMessageActions;
  }
}
