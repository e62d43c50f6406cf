/**
 * `ChatModel`: the app model both clients draw — the joined rooms in order
 * (direct rooms with their peer), the active one, unread and mention totals,
 * invitations (v2: rooms not joined where someone mentioned me), whether the
 * user is looking, and, per user, the rooms, open room and drafts
 * remembered across reloads.
 *
 * @module
 */

import { isDirectRoom, normalizeRoom } from '@kuykan/protocol';
import { Emitter } from '../emitter.js';
import type { MentionContext } from '../types.js';
import { RoomModel } from './room-model.js';
import { SavedRooms } from './saved-rooms.js';
import { MemoryStorage, type ModelStorage } from './storage.js';
import type { ChatChangeKind, ChatClient, ChatModelEvents, Invite, RoomChangeKind, RoomSource } from './types.js';

/** Options of `new ChatModel(client, options)`. */
export interface ChatModelOptions {
  /** Where rooms, the open room and drafts are remembered per user. [a new MemoryStorage] */
  storage?: ModelStorage;
  /** Whether the user can see the app now (a browser tab's visibility). [true] */
  visible?: boolean;
  /** Messages each room keeps (see `RoomModelOptions.maxMessages`). [1000] */
  maxMessages?: number;
  /** Messages per `loadOlder()` page, capped by the server's `historyPageMax`. [50] */
  pageSize?: number;
}

/** Outcome of `restore()`: rooms that could not be joined again (they are forgotten). */
export interface RestoreResult {
  failed: { room: string; error: unknown }[];
}

export class ChatModel extends Emitter<ChatModelEvents> {
  readonly client: ChatClient;
  readonly #rooms = new Map<string, RoomModel>();
  #roomList: readonly RoomModel[] | undefined;
  #active: RoomModel | undefined;
  #visible: boolean;
  #restoring = false;
  readonly #invites = new Map<string, Invite>();
  #inviteList: readonly Invite[] | undefined;
  readonly #storage: ModelStorage;
  readonly #options: ChatModelOptions;
  readonly #onMention = (mention: MentionContext) => this.#invite(mention);
  readonly #onRead = ({ room, seq }: { room: string; seq: number }) => {
    // Read on another device up to the latest mention: the invitation has nothing new to show.
    if ((this.#invites.get(room)?.latest.seq ?? Number.POSITIVE_INFINITY) <= seq) this.#uninvite(room);
  };

  constructor(client: ChatClient, options: ChatModelOptions = {}) {
    super();
    this.client = client;
    this.#options = options;
    this.#storage = options.storage ?? new MemoryStorage();
    this.#visible = options.visible ?? true;
    client.on?.('mention', this.#onMention);
    client.on?.('read', this.#onRead);
  }

  /**
   * v2: rooms I have not joined where someone mentioned me, most recent
   * first: show each with its badge (`mentions`) and join it with
   * `join(invite.room)` (a direct room: `openDirect(invite.peer)`).
   */
  get invites(): readonly Invite[] {
    this.#inviteList ??= [...this.#invites.values()].sort((a, b) => b.receivedTs - a.receivedTs);
    return this.#inviteList;
  }

  /** Joined rooms in the order they were joined. A new array after every change. */
  get rooms(): readonly RoomModel[] {
    this.#roomList ??= [...this.#rooms.values()];
    return this.#roomList;
  }

  /** A joined room by name (normalized as the server does). */
  room(name: string): RoomModel | undefined {
    return this.#rooms.get(name) ?? this.#rooms.get(normalizeRoom(name));
  }

  /** The room the user has open. */
  get active(): RoomModel | undefined {
    return this.#active;
  }

  get visible(): boolean {
    return this.#visible;
  }

  /** Tells the model whether the user can see the app; the active room's messages are read only while visible. */
  setVisible(visible: boolean): void {
    if (visible === this.#visible) return;
    this.#visible = visible;
    this.#active?.setSeen(visible);
    this.#changed(['visible']);
  }

  /** Unread messages over all rooms, and the mentions of invitations. */
  get unread(): number {
    return this.rooms.reduce((n, room) => n + room.unread, this.#inviteMentions());
  }

  /** Unread mentions of me over all rooms and invitations. */
  get mentions(): number {
    return this.rooms.reduce((n, room) => n + room.mentions, this.#inviteMentions());
  }

  #inviteMentions(): number {
    return this.invites.reduce((n, invite) => n + invite.mentions, 0);
  }

  /**
   * After login: joins `rooms` (e.g. a lobby) and then the rooms this user
   * had joined, in order, and opens the room they had open. Rooms that no
   * longer join (renamed limits, refused) are forgotten and reported.
   */
  async restore(options: { rooms?: readonly string[] } = {}): Promise<RestoreResult> {
    const saved = this.#saved();
    const names = [...(options.rooms ?? []), ...(saved?.rooms() ?? [])];
    const failed: RestoreResult['failed'] = [];
    this.#restoring = true;
    try {
      for (const name of new Set(names.map(normalizeRoom))) {
        await this.join(name, { activate: false }).catch((error: unknown) => failed.push({ room: name, error }));
      }
    } finally {
      this.#restoring = false;
    }
    const active = saved?.active();
    if (active && this.room(active)) this.select(active);
    this.#save();
    return { failed };
  }

  /** Joins a room (or returns the joined one) and, unless `activate` is false, opens it. The first room opens anyway. */
  async join(name: string, options: { activate?: boolean } = {}): Promise<RoomModel> {
    return this.#adopt(await this.client.join(name), options);
  }

  /**
   * v2: opens my direct room with the user `name` (joining it) and, unless
   * `activate` is false, opens it; its `peer` is their name [DM-2].
   */
  async openDirect(name: string, options: { activate?: boolean } = {}): Promise<RoomModel> {
    if (!this.client.directRoom) throw new TypeError('this client has no direct rooms');
    return this.#adopt(await this.client.directRoom(name), options);
  }

  #adopt(source: RoomSource, options: { activate?: boolean }): RoomModel {
    let model = this.#rooms.get(source.name);
    if (!model) {
      model = this.#follow(source);
      this.#rooms.set(model.name, model);
      this.#roomList = undefined;
    }
    if (options.activate !== false || !this.#active) this.#activate(model);
    this.#save();
    // Joined, its counts come from the server: the invitation is done.
    const invited = this.#invites.delete(model.name);
    if (invited) this.#inviteList = undefined;
    this.#changed(invited ? ['rooms', 'active', 'invites', 'unread'] : ['rooms', 'active']);
    return model;
  }

  /** v2: a mention in a room not joined: raise its invitation's badge. */
  #invite(mention: MentionContext): void {
    if (this.room(mention.room)) return; // joined meanwhile: its room model counts it
    const held = this.#invites.get(mention.room);
    const invite: Invite = {
      room: mention.room,
      peer: isDirectRoom(mention.room) ? (held?.peer ?? mention.from) : undefined,
      mentions: (held?.mentions ?? 0) + 1,
      latest: mention,
      receivedTs: Date.now(),
    };
    this.#invites.set(mention.room, invite);
    this.#inviteList = undefined;
    this.emit('mention', { invite, mention });
    this.#changed(['invites', 'unread']);
  }

  /** Forgets an invitation (read elsewhere), or dismisses it as the user asks. */
  dismiss(room: string): void {
    this.#uninvite(room);
  }

  #uninvite(room: string): void {
    if (!this.#invites.delete(room)) return;
    this.#inviteList = undefined;
    this.#changed(['invites', 'unread']);
  }

  /**
   * Leaves a room: it is gone from the model at once (the next one opens if
   * it was open, and its draft is forgotten), then the server is told.
   * Rejects if that request fails (e.g. CLOSED: the connection dropped, which leaves every room anyway).
   */
  async leave(name: string): Promise<void> {
    const model = this.room(name);
    if (!model) return;
    const order = this.rooms;
    const at = order.indexOf(model);
    model.dispose();
    this.#rooms.delete(model.name);
    this.#roomList = undefined;
    this.#saved()?.saveDraft(model.name, '');
    if (this.#active === model) {
      this.#active = undefined;
      const next = order[at + 1] ?? order[at - 1];
      if (next) this.#activate(next);
    }
    this.#save();
    this.#changed(['rooms', 'active', 'unread']);
    await model.room.leave();
  }

  /** Opens a joined room (its messages become read while visible); returns false if not joined. */
  select(name: string): boolean {
    const model = this.room(name);
    if (!model) return false;
    this.#activate(model);
    this.#save();
    this.#changed(['active']);
    return true;
  }

  /** Opens the room `step` places after the active one in join order, wrapping around (-1: the previous). */
  selectNext(step = 1): void {
    const rooms = this.rooms;
    if (rooms.length === 0) return;
    const at = this.#active ? rooms.indexOf(this.#active) : 0;
    this.select(rooms[(((at + step) % rooms.length) + rooms.length) % rooms.length]!.name);
  }

  /** Stops following every room (they stay joined on the client) and the client's mentions. */
  dispose(): void {
    this.client.off?.('mention', this.#onMention);
    this.client.off?.('read', this.#onRead);
    for (const model of this.#rooms.values()) model.dispose();
    this.#rooms.clear();
    this.#roomList = undefined;
    this.#active = undefined;
  }

  #follow(source: Awaited<ReturnType<ChatClient['join']>>): RoomModel {
    const saved = this.#saved();
    const historyPageMax = this.client.limits?.historyPageMax ?? Number.POSITIVE_INFINITY;
    const model = new RoomModel(source, {
      me: () => this.client.name,
      maxMessages: this.#options.maxMessages,
      pageSize: Math.min(this.#options.pageSize ?? 50, historyPageMax),
      draft: saved?.draft(source.name) ?? '',
      onDraft: (text) => this.#saved()?.saveDraft(source.name, text),
    });
    model.on('changed', ({ changes }) => this.#roomChanged(model, changes));
    model.on('message', (ctx) => this.emit('message', { room: model, ...ctx }));
    model.on('error', ({ error }) => this.emit('error', { error }));
    return model;
  }

  #activate(model: RoomModel): void {
    if (this.#active !== model) this.#active?.setSeen(false);
    this.#active = model;
    model.setSeen(this.#visible);
  }

  #roomChanged(room: RoomModel, roomChanges: readonly RoomChangeKind[]): void {
    const changes: ChatChangeKind[] = roomChanges.includes('unread') ? ['room', 'unread'] : ['room'];
    this.emit('changed', { changes, room, roomChanges });
  }

  /** The saved state of the logged-in user (none before login). */
  #saved(): SavedRooms | undefined {
    const user = this.client.name;
    return user ? new SavedRooms(this.#storage, user) : undefined;
  }

  #save(): void {
    if (!this.#restoring) this.#saved()?.save([...this.#rooms.keys()], this.#active?.name);
  }

  #changed(changes: ChatChangeKind[]): void {
    this.emit('changed', { changes });
  }
}
