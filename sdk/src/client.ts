/**
 * `KuykanClient`: connects, logs in, joins rooms, and keeps all of it alive
 * across disconnects — reconnecting with backoff, logging in again, resuming
 * every room from its last seq and flushing queued sends.
 *
 * @module
 */

import {
  closeAdvice,
  type EventFrame,
  isRetryable,
  type Limits,
  ProtocolError,
  ReconnectAdvice,
  type ReplyMap,
  type RequestFrame,
  type RoomInfo,
  validateRoom,
} from '@kuykan/protocol';
import { Connection, type Request } from './connection.js';
import { Emitter } from './emitter.js';
import { ClientError } from './errors.js';
import { backoff } from './reconnect.js';
import { Room, type RoomHost } from './room.js';
import type { WebSocketConstructor } from './transport.js';
import type { ClientEvents, ClientOptions, ClientState, StateContext, StateReason } from './types.js';
import { SDK_VERSION } from './version.js';

function randomKey(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export class KuykanClient extends Emitter<ClientEvents> {
  /** Current connection state. */
  state: ClientState = 'idle';
  /** The normalized name this client is logged in with. */
  name: string | undefined;
  /** Limits the server advertised in `welcome`. */
  limits: Limits | undefined;
  /** Capabilities the server advertised. */
  capabilities: readonly string[] = [];
  sessionId: string | undefined;
  /** Last measured round-trip time in ms. */
  rttMs: number | undefined;

  private readonly options: Required<Omit<ClientOptions, 'name' | 'token' | 'WebSocket'>> &
    Pick<ClientOptions, 'token'> & { WebSocket: WebSocketConstructor };
  private connection: Connection | undefined;
  private readonly roomMap = new Map<string, Room>();
  private wantedName: string | undefined;
  private attempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private connecting: Promise<void> | undefined;
  private readonly host: RoomHost;

  /** The server's URLs: several nodes of one cluster, tried in turn (see {@link url}). */
  readonly urls: readonly string[];
  private urlIndex = 0;

  /**
   * `url` may list several nodes of one cluster: `connect()` tries them in
   * order until one answers, and after a drop each reconnect attempt moves
   * on to the next, so a client of a node that died resumes on another.
   */
  constructor(url: string | readonly string[], options: ClientOptions = {}) {
    super();
    this.urls = typeof url === 'string' ? [url] : [...url];
    if (this.urls.length === 0) throw new TypeError('no server URL given');
    if (!options.WebSocket) throw new TypeError('no WebSocket implementation: import from @kuykan/sdk, not its core');
    this.options = {
      key: options.key ?? randomKey(),
      token: options.token,
      reconnect: options.reconnect ?? true,
      backoff: { minMs: options.backoff?.minMs ?? 500, maxMs: options.backoff?.maxMs ?? 30_000 },
      requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
      queueLimit: options.queueLimit ?? 100,
      clientName: options.clientName ?? 'kuykan-sdk',
      clientVersion: options.clientVersion ?? SDK_VERSION,
      WebSocket: options.WebSocket,
    };
    this.wantedName = options.name;
    this.host = {
      request: (frame) => this.request(frame),
      isOpen: () => this.state === 'open',
      userName: () => this.name,
      typingTtlMs: () => this.limits?.typingTtlMs ?? 6000,
      historyPageMax: () => this.limits?.historyPageMax ?? 100,
      queueLimitReached: () => this.queuedMessages >= this.options.queueLimit,
      reportError: (error) => this.emit('error', { error }),
      resync: () => this.connection?.close(4004, 'resync'),
      forget: (room) => this.roomMap.delete(room.name),
    };
  }

  /** The URL of the current (or next) connection. */
  get url(): string {
    return this.urls[this.urlIndex]!;
  }

  /** Joined rooms by normalized name. */
  get rooms(): ReadonlyMap<string, Room> {
    return this.roomMap;
  }

  /** Messages waiting for an ack, over all rooms. */
  get queuedMessages(): number {
    let n = 0;
    for (const room of this.roomMap.values()) n += room.outbox.size;
    return n;
  }

  /** Bytes not yet acknowledged: queued message text plus the socket's send buffer. */
  get queuedBytes(): number {
    let n = this.connection?.bufferedAmount ?? 0;
    for (const room of this.roomMap.values()) n += room.outbox.bytes;
    return n;
  }

  /**
   * Connects, completes the handshake and, if a name was given, logs in.
   * Rejects with ProtocolError (e.g. NAME_TAKEN) or ClientError; the client is then closed.
   */
  connect(): Promise<void> {
    if (this.state === 'open') return Promise.resolve();
    if (this.connecting) return this.connecting;
    this.setState('connecting');
    this.connecting = this.establishAny().then(
      () => {
        this.connecting = undefined;
        this.attempt = 0;
        this.setState('open');
      },
      (error: unknown) => {
        this.connecting = undefined;
        this.connection?.close(1000);
        this.connection = undefined;
        this.setState('closed', { code: 0, message: errorMessage(error) });
        throw error;
      },
    );
    return this.connecting;
  }

  /** Logs in (for clients created without a name, or to retry after NAME_TAKEN). Resolves with the normalized name. */
  async login(name: string): Promise<string> {
    const reply = await this.request({ type: 'login', name, key: this.options.key });
    this.name = reply.name;
    this.wantedName = name;
    return reply.name;
  }

  /** Joins a room (or returns it if joined). */
  async join(roomName: string): Promise<Room> {
    const checked = validateRoom(roomName, this.limits?.maxRoomLength);
    if (!checked.ok) throw new ProtocolError(checked.code, checked.reason);
    const existing = this.roomMap.get(checked.value);
    if (existing) return existing;
    const joined = await this.request({ type: 'join', room: checked.value });
    const room = this.roomMap.get(joined.room) ?? new Room(joined, this.host);
    this.roomMap.set(joined.room, room);
    return room;
  }

  /** Rooms on the server with members or messages. */
  async listRooms(): Promise<RoomInfo[]> {
    return (await this.request({ type: 'rooms' })).rooms;
  }

  /** Measures one round trip now (also a sync barrier). */
  async ping(): Promise<number> {
    if (!this.connection || this.state !== 'open') throw new ClientError('CLOSED', 'not connected');
    return this.connection.ping();
  }

  /** Closes for good: rooms are disposed and queued sends fail with CLOSED. */
  async close(): Promise<void> {
    if (this.state === 'closed') return;
    clearTimeout(this.reconnectTimer);
    for (const room of [...this.roomMap.values()]) room.dispose('client closed');
    this.connection?.close(1000, 'bye');
    this.connection = undefined;
    this.setState('closed', { code: 1000, message: 'closed by the client' });
  }

  private request<T extends RequestFrame['type']>(frame: Request<T>): Promise<ReplyMap[T]> {
    if (!this.connection) return Promise.reject(new ClientError('CLOSED', 'not connected'));
    return this.connection.request(frame);
  }

  /** Tries each URL once, from the current one, until a node answers; a refusal by the server ends it. */
  private async establishAny(): Promise<void> {
    for (let tried = 1; ; tried += 1) {
      try {
        return await this.establish();
      } catch (error) {
        if (!(error instanceof ClientError) || tried >= this.urls.length) throw error;
        this.connection?.close(1000);
        this.nextUrl();
      }
    }
  }

  private nextUrl(): void {
    this.urlIndex = (this.urlIndex + 1) % this.urls.length;
  }

  private async establish(): Promise<void> {
    const token = typeof this.options.token === 'function' ? await this.options.token() : this.options.token;
    const connection: Connection = new Connection(
      { ...this.options, url: this.url, token },
      {
        onEvent: (frame) => connection === this.connection && this.onEvent(frame),
        onClose: (code, reason) => connection === this.connection && this.onClose(code, reason),
        onRtt: (ms) => {
          this.rttMs = ms;
          this.emit('rtt', { ms });
        },
      },
    );
    this.connection = connection;
    const welcome = await connection.open();
    this.limits = welcome.limits;
    this.capabilities = welcome.capabilities;
    this.sessionId = welcome.sessionId;
    if (this.wantedName !== undefined) {
      const reply = await connection.request({ type: 'login', name: this.wantedName, key: this.options.key });
      this.name = reply.name;
    }
    for (const room of this.roomMap.values()) await room.rejoin();
  }

  private onEvent(frame: EventFrame): void {
    const room = this.roomMap.get(frame.room);
    if (!room) return;
    if (frame.type === 'message') room.handleMessage(frame);
    else if (frame.type === 'presence') room.handlePresence(frame.name, frame.kind);
    else room.handleTyping(frame);
  }

  /** The socket closed: follow the server's advice [CLOSE-2]. */
  private onClose(code: number, reason: string): void {
    if (this.state !== 'open') return; // connect() and reconnect attempts handle their own failures
    const advice = closeAdvice(code);
    if (!this.options.reconnect || advice === ReconnectAdvice.STOP) {
      this.terminate({ code, message: reason || `closed with ${code}` });
      return;
    }
    this.scheduleReconnect({ code, message: reason }, advice === ReconnectAdvice.RECONNECT);
  }

  private scheduleReconnect(reason: StateReason, immediately: boolean): void {
    const { minMs, maxMs } = this.options.backoff as { minMs: number; maxMs: number };
    const delayMs = immediately && this.attempt === 0 ? 0 : backoff(this.attempt, minMs, maxMs);
    this.attempt += 1;
    // The node may be gone: with several URLs, each attempt asks the next one.
    this.nextUrl();
    this.setState('reconnecting', reason, { attempt: this.attempt, delayMs });
    this.reconnectTimer = setTimeout(() => {
      this.establish().then(
        () => {
          this.attempt = 0;
          this.setState('open', { code: 0, message: 'reconnected' });
        },
        (error: unknown) => {
          if (this.state !== 'reconnecting') return;
          this.connection?.close(1000);
          const fatal = error instanceof ProtocolError && !isRetryable(error.code);
          const closeCode = error instanceof ClientError ? error.closeCode : undefined;
          if (fatal || (closeCode !== undefined && closeAdvice(closeCode) === ReconnectAdvice.STOP)) {
            this.terminate({ code: closeCode ?? 0, message: errorMessage(error) });
          } else {
            this.scheduleReconnect({ code: closeCode ?? 0, message: errorMessage(error) }, false);
          }
        },
      );
    }, delayMs);
  }

  private terminate(reason: StateReason): void {
    for (const room of this.roomMap.values()) room.outbox.failAll(reason.message, 'TERMINAL');
    this.connection = undefined;
    this.setState('closed', reason);
    this.emit('error', { error: new ClientError('TERMINAL', reason.message, { closeCode: reason.code }) });
  }

  private setState(state: ClientState, reason?: StateReason, extra: Partial<StateContext> = {}): void {
    const previous = this.state;
    this.state = state;
    const ctx: StateContext = { state, previous, ...(reason ? { reason } : {}), ...extra };
    this.emit('state', ctx);
    if (state === 'open' || state === 'reconnecting' || state === 'closed') this.emit(state, ctx);
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
