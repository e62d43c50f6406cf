import { validateRoom } from '@kuykan/protocol';
import { css, html, LitElement } from 'lit';
import { errorText, refusal } from './error-text.js';
import { hueOf, initialsOf } from './format.js';
import { t } from './i18n.js';
import { botBadge, botBadgeStyles } from './message-parts.js';
import { displayText } from './text.js';

export interface RoomEntry {
  name: string;
  /** v2: a direct room's other member, shown instead of the room's (opaque) name. */
  peer?: string;
  unread: number;
  /** Unread messages that mention this user. */
  mentions: number;
}

/** v2: a room not joined where someone mentioned me. */
export interface InviteEntry {
  room: string;
  from: string;
}

/**
 * Rooms with unread badges and a form to join or create one; in version 2
 * also direct rooms, and the rooms not joined where someone mentioned me.
 *
 * @fires kk-dismiss - detail `{ room }`: forget the mention in a room not joined
 * @fires kk-select - detail `{ room }` when a room is chosen
 * @fires kk-join - detail `{ room }` when the join form is submitted
 * @fires kk-directory - when the room directory is asked for
 */
export class KkRooms extends LitElement {
  static override properties = {
    rooms: { attribute: false },
    active: { type: String },
    error: { type: String },
    invites: { attribute: false },
  };

  declare rooms: RoomEntry[];
  /** The selected room. */
  declare active: string;
  declare error: string;
  declare invites: readonly InviteEntry[];

  constructor() {
    super();
    this.rooms = [];
    this.active = '';
    this.error = '';
    this.invites = [];
  }

  // Why some rules are there (kept out of the CSS, which ships as it is written):
  // - `h2`: No uppercase or letter-spacing: Thai has no case, and spacing breaks its clusters apart.
  // - `@media (max-width: 760px)`: Phones: the rooms become one scrolling row of chips, so the join form stays in view.
  // - `:host`: One row for the form and the directory button, which shows only its icon.
  static override styles = css`
    :host { display: flex; flex-direction: column; gap: 0.5rem; padding: 0.75rem; }
    h2 { font-size: 0.85rem; font-weight: 600; color: var(--kk-muted); margin: 0.25rem 0; }
    ul { list-style: none; margin: 0; padding: 0; }
    .name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; min-width: 0; unicode-bidi: isolate; }
    .badges { display: flex; gap: 0.2rem; flex: none; }
    .badge.mention { background: var(--kk-mention-edge); }
    .browse { font: inherit; font-size: 0.85rem; border: 1px solid var(--kk-border); border-radius: 8px; background: none; color: var(--kk-text); padding: 0.35rem 0.6rem; cursor: pointer; text-align: left; }
    button.room { display: flex; width: 100%; min-width: 0; box-sizing: border-box; justify-content: space-between; align-items: center; gap: 0.5rem; font: inherit; text-align: left; padding: 0.45rem 0.6rem; border: 0; border-radius: 8px; background: none; color: var(--kk-text); cursor: pointer; }
    button.room[aria-current='true'] { background: var(--kk-surface-2); font-weight: 600; }
    .badge { background: var(--kk-accent); color: var(--kk-accent-text); border-radius: 999px; padding: 0 0.45rem; font-size: 0.75rem; font-weight: 700; }
    form { display: flex; gap: 0.35rem; }
    input { flex: 1; min-width: 0; font: inherit; padding: 0.4rem 0.5rem; border-radius: 8px; border: 1px solid var(--kk-border); background: var(--kk-bg); color: var(--kk-text); }
    form button { font: inherit; border: 0; border-radius: 8px; padding: 0.4rem 0.6rem; background: var(--kk-accent); color: var(--kk-accent-text); cursor: pointer; }
    .error { color: var(--kk-danger); font-size: 0.8rem; }
    li.invite { display: flex; align-items: center; gap: 0.2rem; min-width: 0; }
    .dismiss { font: inherit; font-size: 0.8rem; border: 0; background: none; color: var(--kk-muted); cursor: pointer; flex: none; border-radius: 6px; padding: 0.2rem 0.4rem; }
    .error:empty { display: none; }
    :focus-visible { outline: 3px solid var(--kk-focus); outline-offset: 1px; }
    @media (max-width: 760px) {
      :host { padding: 0.5rem 0.75rem; gap: 0.4rem; }
      h2 { display: none; }
      ul { display: flex; gap: 0.35rem; overflow-x: auto; }
      li { flex: none; max-width: 12rem; }
      :host { display: grid; grid-template-columns: minmax(0, 1fr) auto; }
      ul, .error { grid-column: 1 / -1; }
      .browse .label { display: none; }
      button.room { padding: 0.3rem 0.7rem; border: 1px solid var(--kk-border); border-radius: 999px; }
    }
  `;

  override render() {
    return html`
      <h2 id="rooms-title">${t('rooms')}</h2>
      <ul aria-labelledby="rooms-title">${this.rooms.filter((room) => !room.peer).map((room) => this._room(room))}</ul>
      ${
        this.rooms.some((room) => room.peer)
          ? html`<h2 id="direct-title">${t('directRooms')}</h2>
            <ul aria-labelledby="direct-title">${this.rooms.filter((room) => room.peer).map((room) => this._room(room))}</ul>`
          : ''
      }
      ${
        this.invites.length
          ? html`<h2 id="invites-title">${t('invites')}</h2>
            <ul aria-labelledby="invites-title">${this.invites.map(
              (invite) => html`<li class="invite">
                <button class="room" title=${invite.room} @click=${() => this._fire('kk-join', invite.room)}>
                  <span class="name" dir="auto"># ${invite.room} · ${t('inviteFrom', { name: displayText(invite.from) })}</span>
                  <span class="badges"><span class="badge mention" aria-hidden="true">@</span></span>
                </button>
                <button class="dismiss" aria-label=${t('dismissInvite', { room: invite.room })} title=${t('dismissInvite', { room: invite.room })}
                  @click=${() => this._fire('kk-dismiss', invite.room)}>✕</button>
              </li>`,
            )}</ul>`
          : ''
      }
      <form @submit=${this._onJoin} aria-label=${t('joinRoom')}>
        <input name="room" placeholder=${t('joinPlaceholder')} aria-label=${t('joinRoom')} autocomplete="off" />
        <button type="submit">${t('join')}</button>
      </form>
      <button class="browse" aria-label=${t('directory')} title=${t('directory')}
        @click=${() => this.dispatchEvent(new CustomEvent('kk-directory', { bubbles: true, composed: true }))}><span aria-hidden="true">🔍</span> <span class="label">${t('directory')}</span></button>
      <div class="error" role="alert">${this.error}</div>
    `;
  }

  /** One room: a direct room by its peer (its own name is opaque), with its badges. */
  private _room(room: RoomEntry) {
    return html`<li>
            <button class="room" aria-current=${room.name === this.active ? 'true' : 'false'} title=${room.peer ? `@${room.peer}` : room.name} @click=${() => this._select(room.name)}>
              <span class="name" dir="auto">${room.peer ? html`<span aria-hidden="true">💬 </span>@${displayText(room.peer)}` : `# ${room.name}`}</span>
              <span class="badges">
                ${room.mentions > 0 ? html`<span class="badge mention" role="img" aria-label=${room.mentions === 1 ? t('mentionOne') : t('mentions', { count: String(room.mentions) })}>@${room.mentions}</span>` : ''}
                ${room.unread > 0 ? html`<span class="badge" role="img" aria-label=${t('unread', { count: String(room.unread) })}>${room.unread}</span>` : ''}
              </span>
            </button>
          </li>`;
  }

  private _fire(type: 'kk-join' | 'kk-dismiss', room: string): void {
    this.dispatchEvent(new CustomEvent(type, { detail: { room }, bubbles: true, composed: true }));
  }

  private _select(room: string): void {
    this.dispatchEvent(new CustomEvent('kk-select', { detail: { room }, bubbles: true, composed: true }));
  }

  private _onJoin(event: Event): void {
    event.preventDefault();
    const input = this.renderRoot.querySelector('input') as HTMLInputElement;
    const checked = validateRoom(input.value);
    if (!checked.ok) {
      this.error = errorText(refusal(checked));
      return;
    }
    this.error = '';
    input.value = '';
    this.dispatchEvent(new CustomEvent('kk-join', { detail: { room: checked.value }, bubbles: true, composed: true }));
  }
}
customElements.define('kk-rooms', KkRooms);

/**
 * The online users of the active room, with their count; in version 2 bots
 * carry the badge their messages carry [BOT-2], and each other user has a
 * button that opens a direct room with them.
 *
 * @fires kk-direct - detail `{ name }`: open the direct room with this user
 */
export class KkUsers extends LitElement {
  static override properties = {
    members: { attribute: false },
    bots: { attribute: false },
    me: { type: String },
    direct: { type: Boolean },
  };
  declare members: readonly string[];
  /** v2: the members that are bots. */
  declare bots: readonly string[];
  declare me: string;
  /** The server speaks version 2: direct rooms can be opened. */
  declare direct: boolean;

  constructor() {
    super();
    this.members = [];
    this.bots = [];
    this.me = '';
    this.direct = false;
  }

  static override styles = [
    botBadgeStyles,
    css`
    :host { display: block; padding: 0.75rem; }
    h2 { font-size: 0.85rem; font-weight: 600; color: var(--kk-muted); margin: 0.25rem 0 0.5rem; }
    ul { list-style: none; margin: 0; padding: 0; }
    li { display: flex; align-items: center; gap: 0.5rem; padding: 0.25rem 0; min-width: 0; }
    .who { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; min-width: 0; unicode-bidi: isolate; }
    .avatar { width: 1.6rem; height: 1.6rem; border-radius: 50%; flex: none; display: grid; place-items: center; font-size: 0.75rem; font-weight: 700; line-height: 1; overflow: hidden;
      background: light-dark(hsl(var(--hue) 60% 86%), hsl(var(--hue) 45% 28%)); color: light-dark(hsl(var(--hue) 70% 24%), hsl(var(--hue) 80% 86%)); }
    .me { color: var(--kk-muted); font-size: 0.85em; }
    .dm { margin-left: auto; flex: none; font: inherit; font-size: 0.8rem; border: 1px solid var(--kk-border); border-radius: 6px; background: none; color: var(--kk-text); padding: 0 0.35rem; cursor: pointer; }
    :focus-visible { outline: 3px solid var(--kk-focus); outline-offset: 1px; }
  `,
  ];

  override render() {
    const bots = new Set(this.bots);
    return html`
      <h2 id="users-title">${t('online')} — ${this.members.length}</h2>
      <ul aria-labelledby="users-title">
        ${this.members.map(
          (
            name,
          ) => html`<li title=${name}><span class="avatar" aria-hidden="true" style="--hue: ${hueOf(name)}">${initialsOf(displayText(name))}</span>
            <span class="who" dir="auto">${displayText(name)}</span>${botBadge(bots.has(name))}
            ${
              name.toLowerCase() === this.me.toLowerCase()
                ? html`<span class="me">(${t('you')})</span>`
                : this.direct
                  ? html`<button class="dm" aria-label=${t('directMessage', { name: displayText(name) })} title=${t('directMessage', { name: displayText(name) })}
                      @click=${() => this.dispatchEvent(new CustomEvent('kk-direct', { detail: { name }, bubbles: true, composed: true }))}>💬</button>`
                  : ''
            }</li>`,
        )}
      </ul>
    `;
  }
}
customElements.define('kk-users', KkUsers);

declare global {
  interface HTMLElementTagNameMap {
    'kk-rooms': KkRooms;
    'kk-users': KkUsers;
  }
}
