import { validateRoom } from '@kuykan/protocol';
import type { RoomInfo } from '@kuykan/sdk';
import { css, html, LitElement, nothing } from 'lit';
import { t } from './i18n.js';
import { displayText } from './text.js';

/**
 * The room directory, a modal dialog loaded on first use: the server's rooms
 * (`listRooms`) filtered as you type, joined with a click or Enter, and
 * "Create #name" when the search names a room that does not exist yet
 * (joining a new name creates it). Escape closes it.
 *
 * @fires kk-join - detail `{ room }` for the chosen or new room
 * @fires kk-close - when the dialog closes without a choice
 */
export class KkDirectory extends LitElement {
  static override properties = {
    load: { attribute: false },
    joined: { attribute: false },
    _rooms: { state: true },
    _query: { state: true },
    _error: { state: true },
  };

  /** Fetches the directory (the controller's `listRooms`). */
  declare load: () => Promise<RoomInfo[]>;
  /** Rooms this user is in, marked as such. */
  declare joined: readonly string[];
  declare _rooms: RoomInfo[] | undefined;
  declare _query: string;
  declare _error: string;

  constructor() {
    super();
    this.load = async () => [];
    this.joined = [];
    this._rooms = undefined;
    this._query = '';
    this._error = '';
  }

  static override styles = css`
    dialog { width: min(28rem, calc(100vw - 2rem)); max-height: min(32rem, calc(100vh - 2rem)); box-sizing: border-box; padding: 1rem; border: 1px solid var(--kk-border); border-radius: 14px; background: var(--kk-surface); color: var(--kk-text); display: flex; flex-direction: column; gap: 0.6rem; }
    dialog::backdrop { background: #0006; }
    .top { display: flex; justify-content: space-between; align-items: center; gap: 0.5rem; }
    h2 { margin: 0; font-size: 1.05rem; }
    input { font: inherit; padding: 0.5rem 0.6rem; border-radius: 8px; border: 1px solid var(--kk-border); background: var(--kk-bg); color: var(--kk-text); }
    ul { list-style: none; margin: 0; padding: 0; overflow-y: auto; min-height: 0; }
    li button { display: flex; width: 100%; gap: 0.5rem; justify-content: space-between; font: inherit; text-align: start; padding: 0.45rem 0.6rem; border: 0; border-radius: 8px; background: none; color: var(--kk-text); cursor: pointer; }
    li button:hover { background: var(--kk-surface-2); }
    .name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; min-width: 0; unicode-bidi: isolate; }
    .count { color: var(--kk-muted); font-size: 0.85rem; flex: none; }
    .create { font: inherit; border: 0; border-radius: 8px; padding: 0.5rem 0.7rem; background: var(--kk-accent); color: var(--kk-accent-text); cursor: pointer; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .close { font: inherit; border: 1px solid var(--kk-border); border-radius: 8px; background: none; color: var(--kk-text); padding: 0.2rem 0.6rem; cursor: pointer; }
    .empty, .error { color: var(--kk-muted); margin: 0.25rem 0; }
    .error { color: var(--kk-danger); }
    :focus-visible { outline: 3px solid var(--kk-focus); outline-offset: 2px; }
  `;

  override render() {
    const query = this._query.trim().toLowerCase();
    const rooms = (this._rooms ?? []).filter((r) => r.room.includes(query));
    const checked = validateRoom(this._query);
    const canCreate = query !== '' && checked.ok && !(this._rooms ?? []).some((r) => r.room === checked.value);
    return html`<dialog aria-labelledby="title" @close=${this._onClose}>
      <div class="top"><h2 id="title">${t('directory')}</h2><button class="close" @click=${this._close}>${t('close')}</button></div>
      <input type="search" aria-label=${t('searchRooms')} placeholder=${t('searchRooms')} autocomplete="off" dir="auto"
        .value=${this._query} @input=${(e: Event) => (this._query = (e.target as HTMLInputElement).value)} @keydown=${this._onKey} />
      ${canCreate && checked.ok ? html`<button class="create" @click=${() => this._join(checked.value)}>${t('createRoom', { room: checked.value })}</button>` : nothing}
      ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
      ${
        this._rooms && rooms.length === 0
          ? html`<p class="empty" role="status">${t('noRooms')}</p>`
          : html`<ul aria-label=${t('rooms')}>
            ${rooms.map(
              (r) => html`<li><button @click=${() => this._join(r.room)} title=${r.room}>
                <span class="name" dir="auto"># ${displayText(r.room)}</span>
                <span class="count">${this.joined.includes(r.room) ? '✓ ' : ''}${t('membersCount', { count: String(r.members) })}</span>
              </button></li>`,
            )}
          </ul>`
      }
    </dialog>`;
  }

  override async firstUpdated(): Promise<void> {
    this.renderRoot.querySelector('dialog')!.showModal();
    try {
      this._rooms = (await this.load()).sort((a, b) => b.members - a.members || a.room.localeCompare(b.room));
    } catch (error) {
      this._rooms = [];
      this._error = error instanceof Error ? error.message : String(error);
    }
  }

  /** Enter takes the first match, or creates the room named. */
  private _onKey(event: KeyboardEvent): void {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    const query = this._query.trim().toLowerCase();
    const first = (this._rooms ?? []).find((r) => r.room.includes(query));
    const checked = validateRoom(this._query);
    if (first) this._join(first.room);
    else if (checked.ok) this._join(checked.value);
  }

  private _join(room: string): void {
    this.dispatchEvent(new CustomEvent('kk-join', { detail: { room }, bubbles: true, composed: true }));
  }

  private _close(): void {
    this.renderRoot.querySelector('dialog')?.close();
  }

  private _onClose(): void {
    this.dispatchEvent(new CustomEvent('kk-close', { bubbles: true, composed: true }));
  }
}
customElements.define('kk-directory', KkDirectory);

declare global {
  interface HTMLElementTagNameMap {
    'kk-directory': KkDirectory;
  }
}
