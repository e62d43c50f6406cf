/**
 * ChatController: a Lit ReactiveController that owns the SDK client and the
 * room views, subscribes to SDK events while its host is connected, and asks
 * the host to re-render when anything changes.
 */
import { type ClientState, KuykanClient, type Room } from '@kuykan/sdk';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { t } from './i18n.js';
import { RoomView } from './room-view.js';

const KEY_STORAGE = 'kuykan.key';
const NAME_STORAGE = 'kuykan.name';

function loginKey(): string {
  let key = localStorage.getItem(KEY_STORAGE);
  if (!key) {
    key = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
    localStorage.setItem(KEY_STORAGE, key);
  }
  return key;
}

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
  private readonly rooms = new Map<string, Room>();
  private bannerTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  get savedName(): string {
    return localStorage.getItem(NAME_STORAGE) ?? '';
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
    this.host.requestUpdate();
  };

  /** Messages that arrived in the open room while the tab was hidden count as unread until it is seen again. */
  private readonly onVisible = () => {
    const view = this.active ? this.views.get(this.active) : undefined;
    if (document.hidden || !view?.unread) return;
    view.unread = 0;
    this.host.requestUpdate();
  };

  /** A short outage may not break the socket: then no state change will clear the banner, so do it here. */
  private readonly onOnline = () => {
    if (this.banner === 'reconnecting' && this.state === 'open') this.showBanner('back');
    else this.host.requestUpdate(); // the banner's text depends on navigator.onLine
  };

  /** Connects and logs in; rejects with the server's refusal (e.g. NAME_TAKEN) for the login form. */
  async login(name: string): Promise<void> {
    const client = new KuykanClient(serverUrl(), { name, key: loginKey(), clientName: 'kuykan-web' });
    client.on('state', ({ state, reason }) => {
      this.state = state;
      if (state === 'reconnecting') this.showBanner('reconnecting');
      if (state === 'open' && this.banner === 'reconnecting') this.showBanner('back');
      if (state === 'closed' && this.client === client) {
        this.closedReason = reason?.message ?? '';
        this.showBanner('closed');
      }
      this.host.requestUpdate();
    });
    await client.connect();
    this.client = client;
    localStorage.setItem(NAME_STORAGE, client.name ?? name);
    await this.join('lobby');
  }

  private showBanner(banner: ChatController['banner']): void {
    clearTimeout(this.bannerTimer);
    this.banner = banner;
    if (banner === 'back') {
      this.bannerTimer = setTimeout(() => {
        this.banner = undefined;
        this.host.requestUpdate();
      }, 3000);
    }
    this.host.requestUpdate();
  }

  /** Joins (or switches to) a room. */
  async join(name: string): Promise<void> {
    const client = this.client!;
    const room = await client.join(name);
    if (!this.rooms.has(room.name)) this.watch(room);
    this.active = room.name;
    this.views.get(room.name)!.unread = 0;
    this.host.requestUpdate();
  }

  private watch(room: Room): void {
    const view = new RoomView(room.name);
    const me = () => this.client?.name;
    view.reset(room.recent, me());
    view.members = room.members;
    this.views.set(room.name, view);
    this.rooms.set(room.name, room);
    const changed = () => this.host.requestUpdate();
    room.on('message', ({ message, own }) => {
      view.addMessage(message, own);
      if (this.active !== room.name || document.hidden) view.unread++;
      changed();
    });
    room.on('presence', ({ name, kind, members }) => {
      view.members = members;
      view.addNotice(t(kind === 'join' ? 'joined' : 'left', { name }));
      changed();
    });
    room.on('typing', ({ typing }) => {
      view.typing = typing;
      changed();
    });
    room.on('reset', ({ messages }) => {
      view.reset(messages, me());
      view.members = room.members;
      view.addNotice(t('resetNotice'));
      changed();
    });
    room.on('resumed', () => {
      // The gap arrives as 'message' events; mark the point where the link came back.
      view.addNotice(t('resumedNotice'));
      changed();
    });
    room.on('outgoing', ({ clientId, text, status }) => {
      view.setOutgoing(clientId, text, status, me() ?? '');
      changed();
    });
  }

  select(name: string): void {
    this.active = name;
    const view = this.views.get(name);
    if (view) view.unread = 0;
    this.host.requestUpdate();
  }

  async leave(name: string): Promise<void> {
    await this.rooms.get(name)?.leave();
    this.rooms.delete(name);
    this.views.delete(name);
    if (this.active === name) this.active = this.views.keys().next().value;
    this.host.requestUpdate();
  }

  /** Sends to the active room; the view shows it as sending until confirmed. */
  send(text: string, clientId?: string): void {
    const room = this.active ? this.rooms.get(this.active) : undefined;
    room?.send(text, clientId ? { clientId } : {}).catch(() => undefined); // status shown via 'outgoing'
  }

  typing(): void {
    const room = this.active ? this.rooms.get(this.active) : undefined;
    room?.typing(true);
  }

  async loadOlder(): Promise<void> {
    const view = this.active ? this.views.get(this.active) : undefined;
    const room = this.active ? this.rooms.get(this.active) : undefined;
    if (!view || !room || view.loadingOlder || !view.hasOlder) return;
    view.loadingOlder = true;
    this.host.requestUpdate();
    try {
      const before = view.oldestSeq ?? room.seq + 1;
      const page = await room.history({ before, limit: 50 });
      view.prepend(page.messages, page.more, this.client?.name);
    } finally {
      view.loadingOlder = false;
      this.host.requestUpdate();
    }
  }
}
