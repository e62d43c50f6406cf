/**
 * What the composer's next send does besides posting a message (version 2):
 * answer a message ("Replying to Nok: …") or replace the text of one of
 * mine (its text is brought into the field and the draft put aside until
 * the edit is sent or cancelled), and why the last action on a message
 * failed. A reactive controller of the composer, which owns the field.
 *
 * @module
 */
import { previewText } from '@kuykan/protocol';
import type { ChatMessage } from '@kuykan/sdk';
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { t } from './i18n.js';
import { displayText } from './text.js';

/** The composer as this controller uses it. */
interface Field extends ReactiveControllerHost {
  /** The text in the field. */
  readonly value: string;
  /** Replaces the text in the field and focuses it. */
  setText(text: string): void;
  focus(): void;
}

/** What a send carries: the message it edits or answers, and what the field shows afterwards. */
export interface Taken {
  edit?: string;
  replyTo?: string;
  /** The field's text after the send: the draft put aside by an edit, else empty. */
  after: string;
}

export class ComposerContext implements ReactiveController {
  private reply: ChatMessage | undefined;
  private editing: ChatMessage | undefined;
  private error = '';
  private putAside = '';

  constructor(private readonly host: Field) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** A reply or an edit is under way (Escape cancels it). */
  get active(): boolean {
    return this.reply !== undefined || this.editing !== undefined;
  }

  /** Answers `message` with the next send. */
  startReply(message: ChatMessage): void {
    if (this.editing) this.cancel();
    this.reply = message;
    this.error = '';
    this.host.requestUpdate();
    this.host.focus();
  }

  /** Brings one of my messages into the field to edit (the draft is put aside), or `text` after a refused edit. */
  startEdit(message: ChatMessage, text = message.text, error = ''): void {
    if (!this.editing) this.putAside = this.host.value;
    this.reply = undefined;
    this.editing = message;
    this.error = error;
    this.host.requestUpdate();
    this.host.setText(text);
  }

  /** Ends a reply or an edit; an edit gives the field back its draft. */
  cancel(): void {
    const editing = this.editing;
    this.clear();
    if (editing) this.host.setText(this.putAside);
    this.putAside = '';
    this.host.focus();
  }

  /** Shows why an action on a message failed (a reaction, a deletion), until the next one. */
  showError(text: string): void {
    this.error = text;
    this.host.requestUpdate();
  }

  /** Forgets the reply, the edit and the error (another room is shown). */
  clear(): void {
    this.reply = undefined;
    this.editing = undefined;
    this.error = '';
    this.host.requestUpdate();
  }

  /** The send takes the reply or edit under way. */
  take(): Taken {
    const taken = {
      edit: this.editing?.messageId,
      replyTo: this.reply?.messageId,
      after: this.editing ? this.putAside : '',
    };
    this.putAside = '';
    this.clear();
    return taken;
  }

  /** "Replying to Nok: start of the message ✕" or "Editing your message ✕", and the last error. */
  render() {
    const cancel = html`<button type="button" aria-label=${t('cancel')} title=${t('cancel')} @click=${() => this.cancel()}>✕</button>`;
    const reply = this.reply;
    const bar = this.editing
      ? html`<div class="context" role="status"><span>✏️ ${t('editing')}</span>${cancel}</div>`
      : reply
        ? html`<div class="context" role="status"><span class="quote" dir="auto">↩ ${t('replyingTo', { name: displayText(reply.from) })}:
            ${displayText(previewText(reply.text))}</span>${cancel}</div>`
        : nothing;
    return html`${bar}${this.error ? html`<div class="error" role="alert">${this.error}</div>` : nothing}`;
  }
}
