import { Capability } from '@kuykan/protocol';
import type { ChatMessage } from '@kuykan/sdk';
import { css, html, LitElement, nothing } from 'lit';
import { ChatController } from './chat-controller.js';
import { errorText } from './error-text.js';
import { lang, loadLang, setLang, t } from './i18n.js';
import './kk-banner.js';
import './kk-composer.js';
import './kk-login.js';
import './kk-message-list.js';
import './kk-sidebar.js';
import { lastOwn, roomTitle } from './room-items.js';

/** The whole app: login, then rooms, messages, users and composer. */
export class KkApp extends LitElement {
  static override properties = {
    _loginError: { state: true },
    _busy: { state: true },
    _joinError: { state: true },
    _directory: { state: true },
    _dragging: { state: true },
    _strings: { state: true },
  };
  declare _loginError: string;
  declare _busy: boolean;
  declare _joinError: string;
  /** The room directory is open (its element is loaded on first use). */
  declare _directory: boolean;
  /** Files are being dragged over the room. */
  declare _dragging: boolean;
  /** The UI language's strings are here (Thai ones are a chunk of their own). */
  declare _strings: boolean;
  private readonly chat = new ChatController(this);

  constructor() {
    super();
    this._loginError = '';
    this._busy = false;
    this._joinError = '';
    this._directory = false;
    this._dragging = false;
    this._strings = false;
    document.documentElement.lang = lang();
    // The other language loads right after the first paint, so the switch works offline too.
    void loadLang(lang()).then(() => {
      this._strings = true;
      void loadLang(lang() === 'th' ? 'en' : 'th');
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // A reload resumes the session: same name and key, so the server sees the same user.
    if (this.chat.session.resumable) void this._login(this.chat.savedName);
  }

  // Why some rules are there (kept out of the CSS, which ships as it is written):
  // - `header .count`: The users list is hidden on phones; the header keeps its count.
  // - `header h1`: The room name needs the room more than the app name does.
  static override styles = css`
    :host { display: flex; flex-direction: column; height: 100%; }
    header { display: flex; align-items: center; gap: 0.75rem; padding: 0.5rem 1rem; background: var(--kk-surface); border-bottom: 1px solid var(--kk-border); }
    header h1 { font-size: 1.1rem; margin: 0; color: var(--kk-accent); }
    header .room { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; min-width: 0; unicode-bidi: isolate; }
    header .spacer { flex: 1; }
    header h1, header button { flex: none; white-space: nowrap; }
    header button .short { display: none; }
    .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
    header .count { display: none; font-size: 0.8rem; color: var(--kk-muted); white-space: nowrap; }
    header button[aria-pressed='true'] { background: var(--kk-surface-2); }
    header button { font: inherit; font-size: 0.85rem; border: 1px solid var(--kk-border); background: var(--kk-bg); color: var(--kk-text); border-radius: 8px; padding: 0.3rem 0.6rem; cursor: pointer; }
    .layout { flex: 1; display: grid; grid-template-columns: 14rem 1fr 13rem; min-height: 0; }
    nav, aside { background: var(--kk-surface); overflow-y: auto; }
    nav { border-right: 1px solid var(--kk-border); }
    aside { border-left: 1px solid var(--kk-border); }
    main { display: flex; flex-direction: column; min-height: 0; min-width: 0; position: relative; }
    .drop { position: absolute; inset: 0.5rem; display: grid; place-items: center; border: 3px dashed var(--kk-accent); border-radius: 12px; background: color-mix(in srgb, var(--kk-bg) 85%, transparent); font-weight: 600; z-index: 5; pointer-events: none; }
    kk-message-list { flex: 1; }
    @media (max-width: 760px) {
      .layout { grid-template-columns: 1fr; grid-template-rows: auto 1fr; }
      nav { border-right: 0; border-bottom: 1px solid var(--kk-border); max-height: 9rem; }
      aside { display: none; }
      header .count { display: inline; }
      header { gap: 0.5rem; padding: 0.5rem 0.75rem; }
      header .room { flex: 1; min-width: 0; }
      header .spacer { display: none; }
      header button .label { display: none; }
      header button .short { display: inline; }
      header h1 { display: none; }
      header { gap: 0.35rem; }
      header button { padding: 0.3rem 0.45rem; }
    }
    :focus-visible { outline: 3px solid var(--kk-focus); outline-offset: 2px; }
  `;

  override render() {
    const { chat } = this;
    if (!this._strings) return nothing;
    if (!chat.client) {
      return html`<kk-login .name=${chat.savedName} .error=${this._loginError} .busy=${this._busy} @kk-login=${this._onLogin}></kk-login>`;
    }
    const view = chat.active;
    const title = view ? roomTitle(view) : '';
    const rooms = chat.rooms.map((room) => ({ name: room.name, peer: room.peer, ...chat.reading.counts(room) }));
    const notify = chat.attention.enabled;
    return html`
      <kk-banner .kind=${chat.banner ?? ''} .reason=${chat.closedReason}></kk-banner>
      <header>
        <h1>${t('appName')}</h1>
        <span class="room" dir="auto" title=${title}>${title}</span>
        ${view ? html`<span class="count" role="img" aria-label=${t('membersCount', { count: String(view.members.length) })} title=${t('online')}>● ${view.members.length}</span>` : ''}
        <span class="spacer"></span>
        ${
          view && chat.rooms.length > 1
            ? html`<button @click=${() => chat.leave(view.name)} aria-label=${t('leaveRoom', { room: view.name })}>⎋<span class="label"> ${t('leave')}</span></button>`
            : nothing
        }
        ${
          chat.attention.supported
            ? html`<button @click=${() => chat.attention.toggle()} aria-pressed=${notify ? 'true' : 'false'} aria-label=${t('notifications')} title=${notify ? t('notifyOn') : t('notifyOff')}>${notify ? '🔔' : '🔕'}</button>`
            : nothing
        }
        <button @click=${this._toggleTheme} aria-label=${t('theme')}>◐<span class="label"> ${t('theme')}</span></button>
        <button @click=${() => this.chat.signOut()} aria-label=${t('signOut')} title=${t('signOut')}>↪</button>
        <!-- No aria-label: the name is whichever label shows (WCAG 2.5.3, label in name). -->
        <button @click=${this._toggleLang} lang=${lang() === 'th' ? 'en' : 'th'}>
          <span class="label">${t('language')}</span><span class="short">${lang() === 'th' ? 'EN' : 'ไทย'}</span></button>
      </header>
      <div class="layout">
        <nav aria-label=${t('rooms')}>
          <kk-rooms .rooms=${rooms} .active=${view?.name ?? ''} .error=${this._joinError} .invites=${chat.invites}
            @kk-dismiss=${(e: CustomEvent<{ room: string }>) => chat.dismiss(e.detail.room)}
            @kk-select=${(e: CustomEvent<{ room: string }>) => this._select(e.detail.room)} @kk-join=${this._onJoin}
            @kk-directory=${this._openDirectory}></kk-rooms>
        </nav>
        <main @dragover=${this._onDragOver} @dragleave=${this._onDragLeave} @drop=${this._onDrop}>
          ${this._dragging && view ? html`<div class="drop">${t('dropFiles', { room: title })}</div>` : nothing}
          ${
            view
              ? html`<kk-message-list .items=${chat.items.of(view, chat.client.name ?? '')} .room=${view.name} .hasOlder=${view.hasOlder}
                  .loadingOlder=${view.loadingOlder} .pruned=${view.retentionFloor !== undefined}
                  .typing=${view.typing} .me=${chat.client.name ?? ''} .actions=${(chat.client.version ?? 1) > 1} .members=${view.members} @kk-load-older=${() => chat.loadOlder()}
                  .unreadFrom=${chat.reading.line(view.name)} .findOlder=${this._findOlder}
                  @kk-retry=${(e: CustomEvent<{ clientId: string; text: string }>) => chat.send(e.detail.text, e.detail.clientId)}
                  @kk-edit-failed=${this._editFailed} @kk-react=${this._onReact} @kk-delete=${this._onDelete}
                  @kk-reply=${(e: CustomEvent<{ message: ChatMessage }>) => this._composer?.startReply(e.detail.message)}
                  @kk-edit=${(e: CustomEvent<{ message: ChatMessage }>) => this._composer?.startEdit(e.detail.message)}
                  @kk-read=${() => chat.reading.bottom(true)} @kk-away=${() => chat.reading.bottom(false)}></kk-message-list>
                <kk-composer .room=${view.name} .peer=${view.peer ?? ''} .draft=${view.draft} .members=${view.members} .maxLength=${chat.client.limits?.maxTextLength ?? 4000}
                  .lastOwn=${(chat.client.version ?? 1) > 1 ? lastOwn(view) : undefined}
                  .uploads=${chat.uploads.get(view.name)?.entries ?? []} .files=${chat.client.capabilities.includes(Capability.FILES)}
                  @kk-files=${(e: CustomEvent<{ files: File[] }>) => chat.upload(e.detail.files)}
                  @kk-cancel-upload=${(e: CustomEvent<{ id: number }>) => chat.uploads.get(view.name)?.cancel(e.detail.id)}
                  @kk-send=${this._onSend}
                  @kk-typing=${(e: CustomEvent<{ active: boolean }>) => chat.typing(e.detail.active)}
                  @kk-draft=${(e: CustomEvent<{ room: string; text: string }>) => chat.saveDraft(e.detail.room, e.detail.text)}></kk-composer>`
              : ''
          }
        </main>
        <aside aria-label=${t('online')}>
          <kk-users .members=${view?.members ?? []} .bots=${view?.bots ?? []} .me=${chat.client.name ?? ''} .direct=${(chat.client.version ?? 1) > 1}
            @kk-direct=${this._onDirect}></kk-users>
        </aside>
      </div>
      <div class="sr" aria-live="polite">${chat.attention.announcement}</div>
      ${
        this._directory
          ? html`<kk-directory .load=${() => chat.listRooms()} .joined=${chat.rooms.map((room) => room.name)}
              @kk-join=${this._onJoin} @kk-close=${() => (this._directory = false)}></kk-directory>`
          : nothing
      }
    `;
  }

  /** Older history until a message shows, for the message list (a reply's original). */
  private readonly _findOlder = async (messageId: string): Promise<void> => {
    await this.chat.findOlder(messageId);
    await this.updateComplete;
  };

  private async _focusComposer(): Promise<void> {
    await this.updateComplete;
    const composer = this.renderRoot.querySelector('kk-composer');
    await composer?.updateComplete;
    composer?.focus();
  }

  private get _composer() {
    return this.renderRoot.querySelector('kk-composer') ?? undefined;
  }

  private async _onSend(event: CustomEvent<{ text: string; edit?: string; replyTo?: string }>): Promise<void> {
    const { text, edit, replyTo } = event.detail;
    if (!edit) return this.chat.send(text, undefined, replyTo);
    const message = this.chat.active?.message(edit);
    try {
      await this.chat.edit(edit, text);
    } catch (error) {
      // The edited text comes back with the reason (EDIT_EXPIRED, MESSAGE_DELETED…).
      if (message) this._composer?.startEdit(message, text, this._why(error));
    }
  }

  private async _onReact(event: CustomEvent<{ messageId: string; emoji: string; on: boolean }>): Promise<void> {
    try {
      await this.chat.react(event.detail.messageId, event.detail.emoji, event.detail.on);
    } catch (error) {
      this._composer?.showError(this._why(error));
    }
  }

  private async _onDelete(event: CustomEvent<{ messageId: string }>): Promise<void> {
    try {
      await this.chat.remove(event.detail.messageId);
    } catch (error) {
      this._composer?.showError(this._why(error));
    }
    this._composer?.focus();
  }

  private async _onDirect(event: CustomEvent<{ name: string }>): Promise<void> {
    this._joinError = '';
    try {
      await this.chat.openDirect(event.detail.name);
      await this._focusComposer();
    } catch (error) {
      this._joinError = this._why(error);
    }
  }

  private _why(error: unknown): string {
    return errorText(error, this.chat.client?.limits);
  }

  private _hasFiles(event: DragEvent): boolean {
    return event.dataTransfer?.types.includes('Files') ?? false;
  }

  private _onDragOver(event: DragEvent): void {
    if (!this._hasFiles(event) || !this.chat.active || !this.chat.client?.capabilities.includes(Capability.FILES))
      return;
    event.preventDefault(); // allows the drop
    this._dragging = true;
  }

  private _onDragLeave(event: DragEvent): void {
    // Leaving a child for another child is not leaving the room.
    if (!(event.currentTarget as Element).contains(event.relatedTarget as Node | null)) this._dragging = false;
  }

  private _onDrop(event: DragEvent): void {
    this._dragging = false;
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length === 0) return;
    event.preventDefault();
    this.chat.upload(files);
  }

  private _select(room: string): void {
    this.chat.select(room);
  }

  private async _editFailed(event: CustomEvent<{ clientId: string; text: string }>): Promise<void> {
    this.chat.discard(event.detail.clientId);
    await this.updateComplete;
    this.renderRoot.querySelector('kk-composer')?.setText(event.detail.text);
  }

  private async _openDirectory(): Promise<void> {
    await import('./kk-directory.js');
    this._directory = true;
  }

  private _onLogin(event: CustomEvent<{ name: string }>): Promise<void> {
    return this._login(event.detail.name);
  }

  private async _login(name: string): Promise<void> {
    this._busy = true;
    this._loginError = '';
    try {
      await this.chat.login(name);
      this._busy = false;
      // Whoever signs in is about to type.
      await this._focusComposer();
    } catch (error) {
      this.chat.session.forget();
      this._loginError = errorText(error, this.chat.client?.limits);
    } finally {
      this._busy = false;
    }
  }

  private async _onJoin(event: CustomEvent<{ room: string }>): Promise<void> {
    this._joinError = '';
    this._directory = false;
    try {
      await this.chat.join(event.detail.room);
      // Keyboard users land where they will type next.
      await this._focusComposer();
    } catch (error) {
      this._joinError = errorText(error, this.chat.client?.limits);
    }
  }

  private _toggleTheme(): void {
    const root = document.documentElement;
    const dark = root.dataset.theme
      ? root.dataset.theme === 'dark'
      : matchMedia('(prefers-color-scheme: dark)').matches;
    root.dataset.theme = dark ? 'light' : 'dark';
    localStorage.setItem('kuykan.theme', root.dataset.theme);
  }

  private async _toggleLang(): Promise<void> {
    const next = lang() === 'th' ? 'en' : 'th';
    await loadLang(next);
    setLang(next);
    this.requestUpdate();
    for (const el of this.renderRoot.querySelectorAll('*')) (el as LitElement).requestUpdate?.();
  }
}
customElements.define('kk-app', KkApp);

declare global {
  interface HTMLElementTagNameMap {
    'kk-app': KkApp;
  }
}
