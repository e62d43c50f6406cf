/**
 * `KuykanClient`: connects, logs in, joins rooms, and keeps all of it alive
 * across disconnects — reconnecting with backoff, logging in again, resuming
 * every room from its last seq and flushing queued sends.
 *
 * @module
 */

import {
  CloseCode,
  closeAdvice,
  type EventFrame,
  isRetryable,
  type Limits,
  PROTOCOL_VERSION,
  ProtocolError,
  ReconnectAdvice,
  type ReplyMap,
  type RequestFrame,
  type RoomInfo,
  validateRoom,
} from '@kuykan/protocol';
import { StateCode } from './codes.js';
import { Connection, type Request } from './connection.js';
import { Emitter } from './emitter.js';
import { ClientError, needsVersion2 } from './errors.js';
import { backoff } from './reconnect.js';
import { Room } from './room.js';
import type { RoomHost } from './room-host.js';
import { canTransition } from './state.js';
import type { Platform, WebSocketConstructor } from './transport.js';
import type { ClientEvents, ClientOptions, ClientState, StateContext, StateReason } from './types.js';
import { SDK_VERSION } from './version.js';

function randomKey(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export class KuykanClient extends Emitter<ClientEvents> {
  #current: ClientState = 'idle';
  /** Current connection state (read-only; it changes only along the table in state.ts, and each change emits `state`). */
  get state(): ClientState {
    return this.#current;
  }
  /** The normalized name this client is logged in with. */
  name: string | undefined;
  /** Limits the server advertised in `welcome`. */
  limits: Limits | undefined;
  /** Capabilities the server advertised. */
  capabilities: readonly string[] = [];
  sessionId: string | undefined;
  /** Last measured round-trip time in ms. */
  rttMs: number | undefined;
  /**
   * The protocol version the server chose: 2, or 1 for a server that speaks
   * only version 1 (v2 methods then reject with ClientError `UNSUPPORTED`).
   * Kept while disconnected; the highest version before the first connect.
   */
  version = PROTOCOL_VERSION;

  readonly #options: Required<Omit<ClientOptions, 'name' | 'token' | 'WebSocket' | 'maxMessages'>> &
    Pick<ClientOptions, 'token'> & { WebSocket: WebSocketConstructor; platform: Platform };
  #connection: Connection | undefined;
  readonly #roomMap = new Map<string, Room>();
  #wantedName: string | undefined;
  /** Failed reconnect attempts since the last open. */
  #attempts = 0;
  /** Bumped by every attempt and disconnect, so a superseded attempt's outcome is ignored. */
  #generation = 0;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  /** Pending `connect()` promises, settled on the next open or closed. */
  #waiters: { resolve(): void; reject(error: unknown): void }[] = [];
  /** Why the client closed, for the `connect()` promises it rejects. */
  #failure: unknown;
  readonly #host: RoomHost;

  /** The server's URLs: several nodes of one cluster, tried in turn (see {@link url}). */
  readonly urls: readonly string[];
  #urlIndex = 0;

  /**
   * `url` may list several nodes of one cluster: `connect()` tries them in
   * order until one answers, and after a drop each reconnect attempt moves
   * on to the next, so a client of a node that died resumes on another.
   * `platform` is the entry point's (node.ts, browser.ts) and not for applications.
   */
  constructor(url: string | readonly string[], options: ClientOptions = {}, platform: Platform = {}) {
    super();
    this.urls = typeof url === 'string' ? [url] : [...url];
    if (this.urls.length === 0) throw new TypeError('no server URL given');
    if (!options.WebSocket) throw new TypeError('no WebSocket implementation: import from @kuykan/sdk, not its core');
    this.#options = {
      key: options.key ?? randomKey(),
      token: options.token,
      reconnect: options.reconnect ?? true,
      backoff: { minMs: options.backoff?.minMs ?? 500, maxMs: options.backoff?.maxMs ?? 30_000 },
      requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
      queueLimit: options.queueLimit ?? 100,
      clientName: options.clientName ?? 'kuykan-sdk',
      clientVersion: options.clientVersion ?? SDK_VERSION,
      bot: options.bot ?? false,
      WebSocket: options.WebSocket,
      platform,
    };
    this.#wantedName = options.name;
    this.#host = {
      request: (frame) => this.#request(frame),
      isOpen: () => this.#current === 'open',
      userName: () => this.name,
      version: () => this.version,
      capabilities: () => this.capabilities,
      httpUrl: () => this.url.replace(/^ws/, 'http'),
      files: () => platform.files?.() ?? Promise.reject(new ClientError('UNSUPPORTED', 'this build cannot send files')),
      maxMessages: options.maxMessages ?? 1000,
      typingTtlMs: () => this.limits?.typingTtlMs ?? 6000,
      historyPageMax: () => this.limits?.historyPageMax ?? 100,
      queueLimitReached: () => this.queuedMessages >= this.#options.queueLimit,
      reportError: (error) => this.emit('error', { error }),
      forget: (room) => this.#roomMap.delete(room.name),
    };
  }

  /** The URL of the current (or next) connection. */
  get url(): string {
    return this.urls[this.#urlIndex]!;
  }

  /** Joined rooms by normalized name. */
  get rooms(): ReadonlyMap<string, Room> {
    return this.#roomMap;
  }

  /** Messages waiting for an ack, over all rooms. */
  get queuedMessages(): number {
    let n = 0;
    for (const room of this.#roomMap.values()) n += room.outbox.size;
    return n;
  }

  /** Bytes not yet acknowledged: queued message text plus the socket's send buffer. */
  get queuedBytes(): number {
    let n = this.#connection?.bufferedAmount ?? 0;
    for (const room of this.#roomMap.values()) n += room.outbox.bytes;
    return n;
  }

  /**
   * Connects, completes the handshake and, if a name was given, logs in.
   * Rejects with ProtocolError (e.g. NAME_TAKEN) or ClientError; the client is then closed.
   * While connecting or reconnecting it starts no second socket: it waits for
   * the attempt under way (or makes the scheduled one now) and resolves when open.
   */
  connect(): Promise<void> {
    if (this.#current === 'open') return Promise.resolve();
    const opened = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    if (this.#current === 'reconnecting') {
      if (!this.#connection) this.#attempt(false);
    } else if (this.#current !== 'connecting') {
      this.#setState('connecting', StateCode.CONNECT_CALLED, { code: 0, message: 'connect called' });
      this.#attempt(true);
    }
    return opened;
  }

  /** Logs in (for clients created without a name, or to retry after NAME_TAKEN). Resolves with the normalized name. */
  async login(name: string): Promise<string> {
    const reply = await this.#request(this.#loginFrame(name));
    this.name = reply.name;
    this.#wantedName = name;
    return reply.name;
  }

  #loginFrame(name: string): Request<'login'> {
    return { type: 'login', name, key: this.#options.key, ...(this.#options.bot ? { bot: true } : {}) };
  }

  /** Joins a room (or returns it if joined). */
  async join(roomName: string): Promise<Room> {
    const checked = validateRoom(roomName, this.limits?.maxRoomLength);
    if (!checked.ok) throw new ProtocolError(checked.code, checked.reason);
    const existing = this.#roomMap.get(checked.value);
    if (existing) return existing;
    const joined = await this.#request({ type: 'join', room: checked.value });
    const room = this.#roomMap.get(joined.room) ?? new Room(joined, this.#host);
    this.#roomMap.set(joined.room, room);
    return room;
  }

  /**
   * v2: opens (or finds) my direct room with the user `name` [DM-1] and joins
   * it; the room's `peer` is their name. Rejects with USER_NOT_FOUND,
   * DIRECT_INVALID (myself, or either of us without a lasting identity)…
   */
  async directRoom(name: string): Promise<Room> {
    if (this.version < 2) throw needsVersion2('directRoom');
    const direct = await this.#request({ type: 'dm', name });
    const room = await this.join(direct.room);
    room.peer ??= direct.name;
    return room;
  }

  /** Rooms on the server with members or messages. */
  async listRooms(): Promise<RoomInfo[]> {
    return (await this.#request({ type: 'rooms' })).rooms;
  }

  /** Measures one round trip now (also a sync barrier). */
  async ping(): Promise<number> {
    if (!this.#connection || this.#current !== 'open') throw new ClientError('CLOSED', 'not connected');
    return this.#connection.ping();
  }

  /** Closes for good: rooms are disposed and queued sends fail with CLOSED. */
  async close(): Promise<void> {
    if (this.#current === 'closed') return;
    for (const room of [...this.#roomMap.values()]) room.dispose('client closed');
    this.#disconnect(StateCode.CLIENT_CLOSED, { code: CloseCode.NORMAL, message: 'closed by the client' }, false);
  }

  #request<T extends RequestFrame['type']>(frame: Request<T>): Promise<ReplyMap[T]> {
    if (!this.#connection) return Promise.reject(new ClientError('CLOSED', 'not connected'));
    return this.#connection.request(frame);
  }

  /** Tries each URL once, from the current one, until a node answers; a refusal by the server ends it. */
  async #establishAny(generation: number): Promise<void> {
    for (let tried = 1; ; tried += 1) {
      try {
        return await this.#establish(generation);
      } catch (error) {
        if (!(error instanceof ClientError) || tried >= this.urls.length || generation !== this.#generation)
          throw error;
        this.#nextUrl();
      }
    }
  }

  #nextUrl(): void {
    this.#urlIndex = (this.#urlIndex + 1) % this.urls.length;
  }

  /**
   * Makes one connection attempt. A newer attempt or a disconnect bumps
   * `generation`, so the outcome of a superseded attempt is ignored.
   */
  #attempt(first: boolean): void {
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    const generation = ++this.#generation;
    (first ? this.#establishAny(generation) : this.#establish(generation)).then(
      () => {
        if (generation !== this.#generation) return;
        this.#attempts = 0;
        if (first) this.#setState('open', StateCode.CONNECTED, { code: 0, message: 'connected' });
        else this.#setState('open', StateCode.RECONNECTED, { code: 0, message: 'reconnected' });
      },
      (error: unknown) => {
        if (generation !== this.#generation) return;
        const reason = { code: (error instanceof ClientError && error.closeCode) || 0, message: errorMessage(error) };
        if (first) return this.#disconnect(StateCode.CONNECT_FAILED, reason, false, error);
        const fatal = error instanceof ProtocolError && !isRetryable(error.code);
        if (fatal || (reason.code !== 0 && closeAdvice(reason.code) === ReconnectAdvice.STOP)) {
          this.#terminate(StateCode.SERVER_REFUSED, reason);
        } else {
          this.#disconnect(StateCode.ATTEMPT_FAILED, reason, true);
        }
      },
    );
  }

  async #establish(generation: number): Promise<void> {
    const token = typeof this.#options.token === 'function' ? await this.#options.token() : this.#options.token;
    if (generation !== this.#generation) throw new ClientError('CLOSED', 'connection attempt superseded');
    const connection: Connection = new Connection(
      { ...this.#options, url: this.url, token },
      {
        onEvent: (frame) => connection === this.#connection && this.#onEvent(frame),
        onClose: (code, reason) => connection === this.#connection && this.#onClose(code, reason),
        onRtt: (ms) => {
          this.rttMs = ms;
          this.emit('rtt', { ms });
        },
      },
    );
    // One socket at a time: a new one replaces (and closes) the previous attempt's.
    this.#connection?.close(CloseCode.NORMAL);
    this.#connection = connection;
    const welcome = await connection.open();
    this.version = welcome.version;
    this.limits = welcome.limits;
    this.capabilities = welcome.capabilities;
    this.sessionId = welcome.sessionId;
    if (this.#wantedName !== undefined) {
      const reply = await connection.request(this.#loginFrame(this.#wantedName));
      this.name = reply.name;
    }
    // All joins go out at once; each room resumes from its own (epoch, seq).
    await Promise.all([...this.#roomMap.values()].map((room) => room.rejoin()));
  }

  #onEvent(frame: EventFrame): void {
    const room = this.#roomMap.get(frame.room);
    if (frame.type === 'mention') {
      // The server sends these only for rooms this session has not joined [MENTION-2].
      const { type: _type, ...mention } = frame;
      if (!room) this.emit('mention', mention);
    } else if (frame.type === 'readMarker') {
      if (room) room.handleReadMarker(frame.seq);
      else this.emit('read', { room: frame.room, seq: frame.seq });
    } else if (room) {
      if (frame.type === 'message') room.handleMessage(frame);
      else if (frame.type === 'presence') room.handlePresence(frame);
      else room.handleTyping(frame);
    }
  }

  /** The open socket closed: follow the server's advice [CLOSE-2]. */
  #onClose(code: number, message: string): void {
    if (this.#current !== 'open') return; // a failing attempt is handled by its own rejection
    const reason = { code, message: message || `closed with ${code}` };
    if (closeAdvice(code) === ReconnectAdvice.STOP) this.#terminate(StateCode.SERVER_REFUSED, reason);
    else if (!this.#options.reconnect) this.#terminate(StateCode.RECONNECT_DISABLED, reason);
    else {
      const why = code === CloseCode.HEARTBEAT_TIMEOUT ? StateCode.HEARTBEAT_TIMEOUT : StateCode.TRANSPORT_CLOSED;
      this.#disconnect(why, { code, message }, true);
    }
  }

  /**
   * Every disconnect goes through here: the socket (if any) is closed, any
   * scheduled or running attempt is cancelled, then the client either
   * schedules the next attempt with backoff [CLOSE-3] or closes for good.
   */
  #disconnect(code: StateCode, reason: StateReason, reconnect: boolean, error?: unknown): void {
    this.#generation += 1;
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    const connection = this.#connection;
    this.#connection = undefined;
    connection?.close(CloseCode.NORMAL, code === StateCode.CLIENT_CLOSED ? 'bye' : '');
    if (!reconnect) {
      for (const room of this.#roomMap.values()) room.outbox.failAll(reason.message, 'TERMINAL');
      this.#failure = error;
      this.#setState('closed', code, reason);
      return;
    }
    const { minMs, maxMs } = this.#options.backoff as { minMs: number; maxMs: number };
    const immediately = closeAdvice(reason.code) === ReconnectAdvice.RECONNECT && this.#attempts === 0;
    const delayMs = immediately ? 0 : backoff(this.#attempts, minMs, maxMs);
    this.#attempts += 1;
    // The node may be gone: with several URLs, each attempt asks the next one.
    this.#nextUrl();
    // Scheduled before the event, so a listener calling connect() replaces this attempt.
    this.#reconnectTimer = setTimeout(() => this.#attempt(false), delayMs);
    this.#setState('reconnecting', code, reason, { attempt: this.#attempts, delayMs });
  }

  #terminate(code: StateCode, reason: StateReason): void {
    this.#disconnect(code, reason, false);
    this.emit('error', { error: new ClientError('TERMINAL', reason.message, { closeCode: reason.code }) });
  }

  /**
   * The one place the state changes, checked against the transition table.
   * Returns whether it changed; emits `state` and the per-state event.
   */
  #setState(next: ClientState, code: StateCode, reason: StateReason, extra: Partial<StateContext> = {}): boolean {
    const previous = this.#current;
    if (!canTransition(previous, next)) return false;
    this.#current = next;
    const ctx: StateContext = {
      newState: next,
      oldState: previous,
      state: next,
      previous,
      code,
      reason,
      ...extra,
    };
    if (next === 'open' || next === 'closed') this.#settleWaiters(next);
    this.emit('state', ctx);
    if (next === 'open' || next === 'reconnecting' || next === 'closed') this.emit(next, ctx);
    return true;
  }

  /** Resolves (open) or rejects (closed) the promises of pending `connect()` calls. */
  #settleWaiters(state: 'open' | 'closed'): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    const error = this.#failure ?? new ClientError('CLOSED', 'closed before the connection opened');
    for (const waiter of waiters) {
      if (state === 'open') waiter.resolve();
      else waiter.reject(error);
    }
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
