/**
 * The message toolbar of a message list, as a reactive controller: which
 * message shows its toolbar (hovered or holding focus), the ⋯ button that
 * opens it from the keyboard, and the emoji picker for "more reactions".
 * What the user picks leaves the list as events for the app.
 *
 * @module
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { t } from './i18n.js';
import type { MessageAction } from './kk-message-actions.js';
import type { Item } from './room-items.js';
import { displayText } from './text.js';

type MessageItem = Extract<Item, { kind: 'message' }>;

interface Host extends ReactiveControllerHost, HTMLElement {
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly items: readonly Item[];
}

let actions: Promise<unknown> | undefined;
/** The toolbar's element loads once a room is shown (kept out of the first paint). */
const loadActions = () => {
  actions ??= import('./kk-message-actions.js');
  return actions;
};

export class MessageTools implements ReactiveController {
  /** The message whose toolbar is drawn. */
  private active = '';
  /** The message the emoji picker reacts to. */
  private picker = '';

  constructor(private readonly host: Host) {
    host.addController(this);
  }

  /** Loads the toolbar right after the first paint, so it works even if the server goes away before the first hover. */
  hostConnected(): void {
    void loadActions();
  }

  /** Draws the toolbar of this message (on hover or focus). */
  activate(messageId: string): Promise<unknown> {
    if (this.active !== messageId) {
      this.active = messageId;
      this.host.requestUpdate();
    }
    return loadActions();
  }

  /** The ⋯ button of a message, and its toolbar when it is the active one. */
  render(item: MessageItem) {
    const { message } = item;
    return html`<div class="tools">
      ${
        this.active === message.messageId
          ? html`<kk-message-actions .message=${message} .own=${item.own} @kk-action=${this.onAction}
              @kk-close=${this.onClose}></kk-message-actions>`
          : nothing
      }
      <button class="more" aria-label=${t('actions', { name: displayText(message.from) })}
        @click=${() => this.open(message.messageId)}>⋯</button>
    </div>`;
  }

  /** The emoji picker, while "more reactions" is open. */
  renderPicker() {
    if (!this.picker) return nothing;
    return html`<kk-emoji-picker @kk-emoji=${this.onPick} @kk-close=${this.closePicker}></kk-emoji-picker>`;
  }

  /** Adds (on) or takes back my reaction: a chip or a toolbar button was pressed. */
  react(messageId: string, emoji: string, on: boolean): void {
    this.emit('kk-react', { messageId, emoji, on });
  }

  /** From the keyboard: opens the toolbar and focuses its first button. */
  private async open(messageId: string): Promise<void> {
    await this.activate(messageId);
    await this.host.updateComplete;
    const bar = this.host.renderRoot.querySelector('kk-message-actions');
    await bar?.updateComplete;
    bar?.renderRoot.querySelector('button')?.focus();
  }

  /** Escape in the toolbar: focus goes back to its ⋯ button. */
  private readonly onClose = (event: Event) => {
    (event.target as Element).parentElement?.querySelector<HTMLButtonElement>('.more')?.focus();
  };

  private find(messageId: string): MessageItem | undefined {
    return this.host.items.find(
      (item): item is MessageItem => item.kind === 'message' && item.message.messageId === messageId,
    );
  }

  private readonly onAction = async (event: CustomEvent<MessageAction & { messageId: string }>) => {
    const { messageId } = event.detail;
    const item = this.find(messageId);
    if (!item) return;
    switch (event.detail.action) {
      case 'react':
        return this.react(messageId, event.detail.emoji, event.detail.on);
      case 'pick':
        await import('./kk-emoji-picker.js');
        this.picker = messageId;
        this.host.requestUpdate();
        return;
      case 'reply':
        return this.emit('kk-reply', { message: item.message });
      case 'edit':
        return this.emit('kk-edit', { message: item.message });
      case 'delete':
        return this.emit('kk-delete', { messageId });
    }
  };

  private readonly onPick = (event: CustomEvent<{ native: string }>) => {
    event.stopPropagation();
    const item = this.find(this.picker);
    const mine = item?.message.reactions?.some((r) => r.me && r.emoji === event.detail.native) ?? false;
    if (item) this.react(item.message.messageId, event.detail.native, !mine);
    this.closePicker();
  };

  private readonly closePicker = () => {
    this.picker = '';
    this.host.requestUpdate();
  };

  private emit(type: string, detail: unknown): void {
    this.host.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}
