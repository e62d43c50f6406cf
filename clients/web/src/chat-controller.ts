/**
 * ChatController: a Lit ReactiveController that owns the SDK client and the
 * app model it renders (`@kuykan/sdk/model`: the joined rooms, the open one,
 * unread and mention counts, invitations, messages, sends, paging, drafts and
 * the rooms remembered per user), and asks the host to re-render when
 * anything changes. What only the web client does stays in the web client:
 * here the connection banner, uploads, notifications and what a retried
 * reply answers; notices in `room-items.ts`; when the open room counts as
 * read, and its "New messages" line, in `room-reading.ts`.
 */

import { type ClientState, KuykanClient, type RoomInfo } from '@kuykan/sdk';
import type { ChatChange, ChatModel, RoomModel } from '@kuykan/sdk/model';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { Attention } from './attention.js';
import { canRetryUpload, errorText } from './error-text.js';
import { mentionedNames, parseMessage } from './markup.js';
import { RoomItems } from './room-items.js';
import { RoomReading } from './room-reading.js';
import { Session } from './session.js';
import type { Uploads } from './uploads.js';

/** Pages of older history (50 messages each) looked through for the original of a reply. */
const FIND_PAGES = 4;

/** The DOM keeps at most this many messages per room (read ones beyond it are dropped and can be paged back). */
const MAX_MESSAGES = 600;

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
  model: ChatModel | undefined;
  state: ClientState = 'idle';
  banner: 'reconnecting' | 'back' | 'closed' | undefined;
  closedReason = '';
  readonly session = new Session();
  readonly attention = new Attention({ totals: () => this.reading.totals(this.rooms), changed: () => this.changed() });
  /** Each room's messages, sends and notices as the message list draws them. */
  items = new RoomItems();
  /** What each reply this session sent answers, by clientId, so a Retry answers it too. */
  private readonly replyTo = new Map<string, string>();
  /** What the user reads of the open room: the model's `visible`, and the "New messages" line. */
  readonly reading = new RoomReading(() => this.model);
  /** Rooms whose notices this controller writes. */
  private readonly followed = new WeakSet<RoomModel>();
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

  /** The joined rooms, in the order they were joined. */
  get rooms(): readonly RoomModel[] {
    return this.model?.rooms ?? [];
  }

  /** The open room. */
  get active(): RoomModel | undefined {
    return this.model?.active;
  }

  /** v2: rooms not joined where someone mentioned me, latest first (direct rooms open by themselves instead). */
  get invites(): { room: string; from: string }[] {
    return (this.model?.invites ?? []).flatMap((i) =>
      i.peer === undefined ? [{ room: i.room, from: i.latest.from }] : [],
    );
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

  private readonly onVisible = () => {
    this.reading.see();
    this.changed();
  };

  /** A short outage may not break the socket: then no state change will clear the banner, so do it here. */
  private readonly onOnline = () => {
    if (this.banner === 'reconnecting' && this.state === 'open') this.showBanner('back');
    else this.changed(); // the banner's text depends on navigator.onLine
  };

  /**
   * Connects and logs in, then rejoins the rooms this user had open (lobby
   * first; ones that no longer join are dropped quietly); rejects with the
   * server's refusal (e.g. NAME_TAKEN) for the login form.
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
    // The login form needs no app model: it loads (a chunk of its own) while the connection opens.
    const loading = import('@kuykan/sdk/model');
    loading.catch(() => undefined); // reported below, unless connecting failed first
    await client.connect();
    const { ChatModel, WebStorage } = await loading;
    // Nothing is read until the open room's list shows its newest message (see RoomReading).
    const model = new ChatModel(client, {
      storage: new WebStorage(localStorage),
      visible: false,
      maxMessages: MAX_MESSAGES,
    });
    model.on('changed', (change) => this.onChange(change));
    model.on('message', ({ room, message }) => {
      if (message.own) return;
      if (room === model.active) this.attention.announce(message);
      this.attention.notify(room.peer ? `@${room.peer}` : `#${room.name}`, message, message.mentionsMe);
    });
    // v2: a direct message (or a mention) in a direct room not open here opens it, with the server's counts.
    model.on('mention', ({ invite, mention }) => {
      if (invite.peer !== undefined) void model.join(invite.room, { activate: false }).catch(() => undefined);
      else this.attention.notify(`#${invite.room}`, { ...mention, ts: Date.now() }, true);
    });
    this.client = client;
    this.model = model;
    this.session.loggedIn(client.name ?? name);
    await this.reading.restoring(() => model.restore({ rooms: ['lobby'] }));
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

  private onChange({ changes }: ChatChange): void {
    const model = this.model;
    if (!model) return;
    if (changes.includes('rooms')) for (const room of model.rooms) this.follow(room);
    this.reading.changed();
    this.changed();
  }

  /** A room joined: its notices, and the uploads of its files. */
  private follow(room: RoomModel): void {
    if (this.followed.has(room)) return;
    this.followed.add(room);
    this.items.follow(room);
    this.uploadsModule ??= import('./uploads.js');
    void this.uploadsModule.then(({ Uploads }) => {
      if (this.model?.room(room.name) === room) this.uploads.set(room.name, new Uploads(() => this.changed()));
    });
  }

  /** Joins (or creates) a room and switches to it. */
  async join(name: string): Promise<void> {
    const model = this.model!;
    const fresh = !model.room(name);
    this.reading.away();
    const room = await model.join(name);
    // Joined by hand just now: its history is context, not new messages.
    if (fresh) this.reading.forget(room.name);
  }

  select(name: string): void {
    if (this.active?.name !== name) this.reading.away();
    this.model?.select(name);
  }

  /** Leaves a room (never the last one) and opens the first one. */
  async leave(name: string): Promise<void> {
    const model = this.model;
    const open = model?.active?.name === name;
    if (!model) return;
    if (open) this.reading.away();
    this.uploads.delete(name);
    this.items.clear(name);
    this.reading.forget(name);
    const leaving = model.leave(name);
    const first = model.rooms[0];
    if (open && first) model.select(first.name);
    // The room is gone from the UI either way; a leave lost with the connection is implied by the close.
    await leaving.catch(() => undefined);
  }

  /** Signs out: closes the connection and stops signing in on load. */
  async signOut(): Promise<void> {
    this.session.forget();
    const client = this.client;
    this.model?.dispose();
    this.client = undefined;
    this.model = undefined;
    this.reading.clear();
    this.items = new RoomItems();
    this.uploads.clear();
    this.banner = undefined;
    this.changed();
    await client?.close();
  }

  /** The server's room directory. */
  listRooms(): Promise<RoomInfo[]> {
    return this.client!.listRooms();
  }

  /**
   * Sends to the open room; it shows as sending until confirmed. In v2 the
   * message carries the names it mentions and what it answers.
   */
  send(text: string, clientId = newClientId(), replyTo = this.replyTo.get(clientId)): void {
    this.attention.askPermission();
    const room = this.active;
    if (!room) return;
    // A retry (same clientId) answers the same message.
    if (replyTo) this.replyTo.set(clientId, replyTo);
    const options = { clientId, ...(replyTo ? { replyTo } : {}) };
    const mentions = room.room.version > 1 ? this.mentions(text) : [];
    room.send(text, mentions.length ? { ...options, mentions } : options).then(
      () => this.replyTo.delete(clientId),
      () => undefined, // shown with the send, which offers Retry when it can work
    );
  }

  /** The room members a text `@mentions`. */
  private mentions(text: string): string[] {
    const names = [...(this.active?.members ?? [])];
    return mentionedNames(parseMessage(text, { names, me: this.client?.name ?? '' }));
  }

  /** v2: replaces the text of one of my messages; rejects with the server's refusal (EDIT_EXPIRED…). */
  async edit(messageId: string, text: string): Promise<void> {
    await this.active?.edit(messageId, text, { mentions: this.mentions(text) });
  }

  /** v2: deletes one of my messages. */
  async remove(messageId: string): Promise<void> {
    await this.active?.delete(messageId);
  }

  /** v2: adds (on) or takes back my reaction. */
  async react(messageId: string, emoji: string, on: boolean): Promise<void> {
    const room = this.active?.room;
    await (on ? room?.react(messageId, emoji) : room?.unreact(messageId, emoji));
  }

  /** Forgets an invitation (joining its room does too). */
  dismiss(room: string): void {
    this.model?.dismiss(room);
  }

  /** v2: opens (or finds) my direct room with `name` and switches to it. */
  async openDirect(name: string): Promise<void> {
    this.reading.away();
    await this.model!.openDirect(name);
  }

  /** v2: sends files to the open room, one upload each, side by side. */
  async upload(files: readonly File[]): Promise<void> {
    await this.uploadsModule;
    const name = this.active?.name ?? '';
    const room = this.client?.rooms.get(name);
    const uploads = this.uploads.get(name);
    if (!room || !uploads) return;
    const limits = { maxUploadBytes: this.client?.limits?.maxUploadBytes };
    const explain = (error: unknown) => errorText(error, limits);
    for (const file of files)
      void uploads.send(room, file, { explain, retryable: canRetryUpload }, limits.maxUploadBytes);
  }

  /** Removes a failed message from the list (it is being edited in the composer). */
  discard(clientId: string): void {
    this.active?.discard(clientId);
  }

  /** Typing state of the open room: `false` when the field was emptied, so others stop seeing it at once [TYPE-3]. */
  typing(active: boolean): void {
    this.active?.room.typing(active);
  }

  /** Keeps what was typed in a room, across room switches and reloads. */
  saveDraft(room: string, text: string): void {
    this.model?.room(room)?.setDraft(text);
  }

  /** Loads older pages of the open room until a message is shown, at most `pages` of them. */
  async findOlder(messageId: string, pages = FIND_PAGES): Promise<void> {
    const room = this.active;
    for (let n = 0; room && n < pages && room.hasOlder && !room.message(messageId); n++) await room.loadOlder();
  }

  async loadOlder(): Promise<void> {
    await this.active?.loadOlder();
  }
}
