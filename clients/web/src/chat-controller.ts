/**
 * ChatController: a Lit ReactiveController that owns the SDK client and the
 * room views, subscribes to SDK events while its host is connected, and asks
 * the host to re-render when anything changes.
 */

import { DIRECT_ROOM_PREFIX } from '@kuykan/protocol';
import {
  type ChatMessage,
  type ClientState,
  KuykanClient,
  type MentionContext,
  type Room,
  type RoomInfo,
} from '@kuykan/sdk';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { Attention } from './attention.js';
import { canRetry, canRetryUpload, errorText } from './error-text.js';
import { t } from './i18n.js';
import { mentionedNames, mentionsMe, parseMessage } from './markup.js';
import { RoomView } from './room-view.js';
import { Session } from './session.js';
import type { Uploads } from './uploads.js';

/** Pages of older history (50 messages each) looked through for the original of a reply. */
const FIND_PAGES = 4;

/** A fresh client message id (crypto.randomUUID needs a secure context; a LAN server over http is not one). */
function newClientId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
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
  readonly session = new Session();
  readonly attention = new Attention(this);
  private readonly rooms = new Map<string, Room>();
  /** What each reply this session sent answers, by clientId, so a Retry answers it too. */
  private readonly replyTo = new Map<string, string>();
  /** v2: rooms not joined where someone mentioned me, latest first (one per room). */
  invites: readonly MentionContext[] = [];
  /** The list reached its bottom while the tab was hidden: mark the room read once it is seen. */
  private readWhenVisible = false;
  /** Files on their way, per room. */
  readonly uploads = new Map<string, Uploads>();
  /** Uploads load once a room shows (out of the first paint, yet there when the server is away). */
  private uploadsModule: Promise<typeof import('./uploads.js')> | undefined;
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
    if (!document.hidden && this.readWhenVisible) this.markRead();
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
    // v2: a direct message (or a mention) in a direct room not open here opens it, with the server's counts.
    client.on('mention', (mention) => {
      if (this.views.has(mention.room)) return;
      if (mention.room.startsWith(DIRECT_ROOM_PREFIX)) void this.join(mention.room, false).catch(() => undefined);
      else this.invite(mention);
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
    const fresh = !this.rooms.has(room.name);
    if (fresh) this.watch(room);
    if (open || !this.active) this.select(room.name);
    // Joined by hand just now: its history is context, not new messages.
    if (open && fresh) this.views.get(room.name)!.unreadFrom = undefined;
    this.session.saveRooms([...this.views.keys()], this.active);
    this.changed();
  }

  private watch(room: Room): void {
    if (this.invites.some((i) => i.room === room.name)) this.dismiss(room.name);
    const view = new RoomView(room.name);
    const me = () => this.client?.name ?? '';
    view.reset(room.recent, me());
    view.members = room.members;
    view.draft = this.session.draft(room.name);
    view.peer = room.peer;
    // v2: the server counts what this user has not read yet (from any of their sessions).
    view.unread = room.joinCounts.unread;
    view.mentions = room.joinCounts.mentions;
    this.views.set(room.name, view);
    this.rooms.set(room.name, room);
    this.uploadsModule ??= import('./uploads.js');
    void this.uploadsModule.then(({ Uploads }) => {
      if (this.views.get(room.name) === view) this.uploads.set(room.name, new Uploads(() => this.changed()));
    });
    room.on('message', ({ message, own, mentionsMe: named }) => {
      view.addMessage(message, own);
      const seen = this.active === room.name && !document.hidden;
      if (!own && this.active === room.name) this.attention.announce(message);
      if (!own && !seen) {
        const mention = named || mentionsMe(parseMessage(message.text, { names: [me()], me: me() }));
        view.unread++;
        if (mention) view.mentions++;
        this.attention.notify(view.peer ? `@${view.peer}` : `#${room.name}`, message, mention);
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
    // v2: edits, deletions and reactions arrive as new records of the messages shown.
    const changedRecords = ({ message, replies }: { message?: ChatMessage; replies: readonly ChatMessage[] }) => {
      if (view.replace([message, ...replies])) this.changed();
    };
    room.on('edit', changedRecords);
    room.on('delete', changedRecords);
    room.on('reaction', changedRecords);
    // Another of my sessions read the room (or this one did): nothing up to there is unread.
    room.on('read', ({ seq }) => {
      if (seq < view.lastSeq || view.unread === 0) return;
      view.unread = 0;
      view.mentions = 0;
      this.changed();
    });
    room.on('outgoing', ({ clientId, type, text, status, error }) => {
      // Edits, deletions and reactions show as changed records, not as messages being sent.
      if (type !== undefined && type !== 'send') return;
      if (status === 'sent') this.replyTo.delete(clientId);
      const failure = status === 'failed' ? { reason: errorText(error), retry: canRetry(error) } : undefined;
      view.setOutgoing(clientId, text, status, me(), failure);
      this.changed();
    });
  }

  select(name: string): void {
    this.active = name;
    const view = this.views.get(name);
    const room = this.rooms.get(name);
    // v2: the line goes where the server's read marker is, as the room opens, and stays while it is open.
    // Opened again before reading to the bottom, it is still there. A marker at 0 was never
    // moved: the room is new to this user, and its history is context rather than news.
    const unread = view && (view.unread > 0 || view.unreadFrom !== undefined);
    const marker = room && room.version > 1 ? room.readSeq : 0;
    if (view) view.unreadFrom = unread && marker > 0 ? view.firstUnread(marker) : undefined;
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
    this.uploads.delete(name);
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

  /** The active room's SDK room. */
  private get room(): Room | undefined {
    return this.active ? this.rooms.get(this.active) : undefined;
  }

  /**
   * Sends to the active room; the view shows it as sending until confirmed.
   * In v2 the message carries the names it mentions and what it answers.
   */
  send(text: string, clientId = newClientId(), replyTo = this.replyTo.get(clientId)): void {
    this.attention.askPermission();
    const room = this.room;
    if (!room) return;
    // A retry (same clientId) answers the same message.
    if (replyTo) this.replyTo.set(clientId, replyTo);
    const options = { clientId, ...(replyTo ? { replyTo } : {}) };
    const mentions = room.version > 1 ? this.mentions(text) : [];
    room.send(text, mentions.length ? { ...options, mentions } : options).catch(() => undefined); // status shown via 'outgoing'
  }

  /** The room members a text `@mentions`. */
  private mentions(text: string): string[] {
    const view = this.active ? this.views.get(this.active) : undefined;
    const names = [...(view?.members ?? [])];
    return mentionedNames(parseMessage(text, { names, me: this.client?.name ?? '' }));
  }

  /** v2: replaces the text of one of my messages; rejects with the server's refusal (EDIT_EXPIRED…). */
  async edit(messageId: string, text: string): Promise<void> {
    await this.room?.edit(messageId, text, { mentions: this.mentions(text) });
  }

  /** v2: deletes one of my messages. */
  async remove(messageId: string): Promise<void> {
    await this.room?.delete(messageId);
  }

  /** v2: adds (on) or takes back my reaction. */
  async react(messageId: string, emoji: string, on: boolean): Promise<void> {
    const room = this.room;
    await (on ? room?.react(messageId, emoji) : room?.unreact(messageId, emoji));
  }

  /** v2: the user sees the bottom of the open room: move the read marker there (coalesced by the SDK). */
  markRead(): void {
    const room = this.room;
    const view = this.active ? this.views.get(this.active) : undefined;
    this.readWhenVisible = document.hidden;
    if (!room || !view || document.hidden || room.version < 2) return;
    room.markRead().catch(() => undefined); // a lost marker is sent again after the rejoin
  }

  /** v2: someone mentioned me in a room I have not joined: listed (and notified) until joined or dismissed. */
  private invite(mention: MentionContext): void {
    this.invites = [mention, ...this.invites.filter((i) => i.room !== mention.room)];
    this.attention.notify(`#${mention.room}`, { ...mention, ts: Date.now() }, true);
    this.changed();
  }

  /** Forgets an invitation (joining its room does too). */
  dismiss(room: string): void {
    this.invites = this.invites.filter((i) => i.room !== room);
    this.changed();
  }

  /** v2: opens (or finds) my direct room with `name` and switches to it. */
  async openDirect(name: string): Promise<void> {
    const room = await this.client!.directRoom(name);
    if (!this.rooms.has(room.name)) this.watch(room);
    this.select(room.name);
  }

  /** v2: sends files to the active room, one upload each, side by side. */
  async upload(files: readonly File[]): Promise<void> {
    await this.uploadsModule;
    const room = this.room;
    const uploads = this.active ? this.uploads.get(this.active) : undefined;
    if (!room || !uploads) return;
    const limits = { maxUploadBytes: this.client?.limits?.maxUploadBytes };
    const explain = (error: unknown) => errorText(error, limits);
    for (const file of files)
      void uploads.send(room, file, { explain, retryable: canRetryUpload }, limits.maxUploadBytes);
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

  /** Loads older pages of the open room until a message is shown, at most `pages` of them. */
  async findOlder(messageId: string, pages = FIND_PAGES): Promise<void> {
    const view = this.active ? this.views.get(this.active) : undefined;
    for (let n = 0; view && n < pages && view.hasOlder && !view.has(messageId); n++) await this.loadOlder();
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
