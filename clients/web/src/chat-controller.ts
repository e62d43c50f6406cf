/**
 * ChatController: a Lit ReactiveController that owns the SDK client and the
 * room views, subscribes to SDK events while its host is connected, and asks
 * the host to re-render when anything changes.
 */
import { type ClientState, KuykanClient, type Room, type RoomInfo } from '@kuykan/sdk';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { Attention } from './attention.js';
import { canRetry, errorText } from './error-text.js';
import { t } from './i18n.js';
import { mentionsMe, parseMessage } from './markup.js';
import { RoomView } from './room-view.js';
import { Session } from './session.js';

/** The WebSocket URL of the server that served this page. */
export function serverUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
}

export class ChatController implements ReactiveController {
  client: KuykanClient | undefined;
  state: ClientState = 'idle';
  banner: 'reconnecting' | 'back' | 'closed' | undefined;
  closedReason = '';
  readonly views = new Map<string, RoomView>();
  active: string | undefined;
  readonly session = new Session();
  readonly attention = new Attention(this);
  private readonly rooms = new Map<string, Room>();
  private bannerTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  get savedName(): string {
    return this.session.name;
  }

  /** Requests a render of the host (also the title, which counts unread messages). */
  changed(): void {
    this.attention.updateTitle();
    this.host.requestUpdate();
  }

  hostConnected(): void {
    addEventListener('offline', this.onOffline);
    addEventListener('online', this.onOnline);
    document.addEventListener('visibilitychange', this.onVisible);
  }

  hostDisconnected(): void {
    removeEventListener('offline', this.onOffline);
    removeEventListener('online', this.onOnline);
    document.removeEventListener('visibilitychange', this.onVisible);
    void this.client?.close();
  }

  private readonly onOffline = () => {
    this.banner = 'reconnecting';
    this.changed();
  };

  /** Messages that arrived in the open room while the tab was hidden count as unread until it is seen again. */
  private readonly onVisible = () => {
    const view = this.active ? this.views.get(this.active) : undefined;
    if (document.hidden || !view?.unread) return;
    view.unread = 0;
    view.mentions = 0;
    this.changed();
  };

  /** A short outage may not break the socket: then no state change will clear the banner, so do it here. */
  private readonly onOnline = () => {
    if (this.banner === 'reconnecting' && this.state === 'open') this.showBanner('back');
    else this.changed(); // the banner's text depends on navigator.onLine
  };

  /**
   * Connects and logs in, then rejoins the rooms this user had open (lobby
   * first); rejects with the server's refusal (e.g. NAME_TAKEN) for the login form.
   */
  async login(name: string): Promise<void> {
    const client = new KuykanClient(serverUrl(), { name, key: this.session.key, clientName: 'kuykan-web' });
    client.on('state', ({ state, reason }) => {
      this.state = state;
      if (state === 'reconnecting') this.showBanner('reconnecting');
      if (state === 'open' && this.banner === 'reconnecting') this.showBanner('back');
      if (state === 'closed' && this.client === client) {
        this.closedReason = reason ? errorText(reason) : '';
        this.showBanner('closed');
      }
      this.changed();
    });
    await client.connect();
    this.client = client;
    this.session.loggedIn(client.name ?? name);
    const saved = this.session.rooms();
    const active = this.session.activeRoom();
    await this.join('lobby', false);
    // Rooms that no longer validate or join (a limit changed) are dropped quietly.
    for (const room of saved) if (room !== 'lobby') await this.join(room, false).catch(() => undefined);
    if (active && this.views.has(active)) this.select(active);
  }

  private showBanner(banner: ChatController['banner']): void {
    clearTimeout(this.bannerTimer);
    this.banner = banner;
    if (banner === 'back') {
      this.bannerTimer = setTimeout(() => {
        this.banner = undefined;
        this.changed();
      }, 3000);
    }
    this.changed();
  }

  /** Joins (or creates) a room and, unless told otherwise, switches to it. */
  async join(name: string, open = true): Promise<void> {
    const room = await this.client!.join(name);
    if (!this.rooms.has(room.name)) this.watch(room);
    if (open || !this.active) this.select(room.name);
    this.session.saveRooms([...this.views.keys()], this.active);
    this.changed();
  }

  private watch(room: Room): void {
    const view = new RoomView(room.name);
    const me = () => this.client?.name ?? '';
    view.reset(room.recent, me());
    view.members = room.members;
    view.draft = this.session.draft(room.name);
    this.views.set(room.name, view);
    this.rooms.set(room.name, room);
    room.on('message', ({ message, own }) => {
      view.addMessage(message, own);
      const seen = this.active === room.name && !document.hidden;
      if (!own && this.active === room.name) this.attention.announce(message);
      if (!own && !seen) {
        const mention = mentionsMe(parseMessage(message.text, { names: [me()], me: me() }));
        view.unread++;
        if (mention) view.mentions++;
        this.attention.notify(room.name, message, mention);
      }
      this.changed();
    });
    room.on('presence', ({ name, kind, members }) => {
      view.members = members;
      view.addNotice(t(kind === 'join' ? 'joined' : 'left', { name }), name);
      this.changed();
    });
    room.on('typing', ({ typing }) => {
      view.typing = typing;
      this.changed();
    });
    room.on('reset', ({ messages }) => {
      view.reset(messages, me());
      view.members = room.members;
      view.addNotice(t('resetNotice'));
      this.changed();
    });
    room.on('resumed', () => {
      // The gap arrives as 'message' events; mark the point where the link came back.
      view.addNotice(t('resumedNotice'));
      this.changed();
    });
    room.on('outgoing', ({ clientId, text, status, error }) => {
      const failure = status === 'failed' ? { reason: errorText(error), retry: canRetry(error) } : undefined;
      view.setOutgoing(clientId, text, status, me(), failure);
      this.changed();
    });
  }

  select(name: string): void {
    this.active = name;
    const view = this.views.get(name);
    if (view) {
      view.unread = 0;
      view.mentions = 0;
    }
    this.session.saveRooms([...this.views.keys()], name);
    this.changed();
  }

  /** Leaves a room (never the last one) and opens the next. */
  async leave(name: string): Promise<void> {
    const room = this.rooms.get(name);
    this.rooms.delete(name);
    this.views.delete(name);
    this.session.saveDraft(name, '');
    if (this.active === name) this.active = this.views.keys().next().value;
    this.session.saveRooms([...this.views.keys()], this.active);
    this.changed();
    // The room is gone from the UI either way; a leave lost with the connection is implied by the close.
    await room?.leave().catch(() => undefined);
  }

  /** Signs out: closes the connection and stops signing in on load. */
  async signOut(): Promise<void> {
    this.session.forget();
    const client = this.client;
    this.client = undefined;
    this.rooms.clear();
    this.views.clear();
    this.active = undefined;
    this.banner = undefined;
    this.changed();
    await client?.close();
  }

  /** The server's room directory. */
  listRooms(): Promise<RoomInfo[]> {
    return this.client!.listRooms();
  }

  /** Sends to the active room; the view shows it as sending until confirmed. */
  send(text: string, clientId?: string): void {
    this.attention.askPermission();
    const room = this.active ? this.rooms.get(this.active) : undefined;
    room?.send(text, clientId ? { clientId } : {}).catch(() => undefined); // status shown via 'outgoing'
  }

  /** Removes a failed message from the list (it is being edited in the composer). */
  discard(clientId: string): void {
    const view = this.active ? this.views.get(this.active) : undefined;
    view?.setOutgoing(clientId, '', 'sent', '');
    this.changed();
  }

  /** Typing state of the active room: `false` when the field was emptied, so others stop seeing it at once [TYPE-3]. */
  typing(active: boolean): void {
    const room = this.active ? this.rooms.get(this.active) : undefined;
    room?.typing(active);
  }

  /** Keeps what was typed in a room, across room switches and reloads. */
  saveDraft(room: string, text: string): void {
    const view = this.views.get(room);
    if (view) view.draft = text;
    this.session.saveDraft(room, text);
  }

  async loadOlder(): Promise<void> {
    const view = this.active ? this.views.get(this.active) : undefined;
    const room = this.active ? this.rooms.get(this.active) : undefined;
    if (!view || !room || view.loadingOlder || !view.hasOlder) return;
    view.loadingOlder = true;
    this.changed();
    try {
      const before = view.oldestSeq ?? room.seq + 1;
      const page = await room.history({ before, limit: 50 });
      view.prepend(page.messages, page.more, this.client?.name);
    } finally {
      view.loadingOlder = false;
      this.changed();
    }
  }
}
