/**
 * One connection: its handshake state and deadlines, its ordered frame
 * queue [PING-2] (consecutive sends pipelined: see `pipeline`) read no
 * further than `maxInFlight` [SEC-9], its rate limits, the user events it
 * takes, and its close and cleanup. What it does with each frame is
 * session-dispatch.ts; its writes with a slow-consumer cap [SEC-1] are
 * session-writes.ts.
 *
 * @module
 */

import {
  CloseCode,
  ErrorCode,
  HELLO_TIMEOUT_MS,
  MAX_SERVER_FRAME_BYTES,
  ProtocolError,
  type ServerFrame,
} from '@kuykan/protocol';
import type { WebSocket } from 'ws';
import type { Admission } from './admission.js';
import type { UserEvent } from './cluster/types.js';
import { encodeFor } from './encoding.js';
import { rawSocket } from './framing.js';
import type { Hub } from './hub.js';
import { randomId } from './ids.js';
import * as observe from './observe.js';
import { TokenBucket } from './ratelimit.js';
import type { Peer, Room } from './rooms.js';
import { dispatchFrame } from './session-dispatch.js';
import { SessionWrites } from './session-writes.js';
import type { User, UserSession } from './users.js';

/** Where a connection's queues start: one settled promise for all, not two per idle connection. */
const SETTLED: Promise<void> = Promise.resolve();

/** The rooms of a connection that joined none: one empty array for all. */
const NO_ROOMS: readonly Room[] = Object.freeze([]);

/** Refusals in a row after which a rate-limited connection is closed [LIMIT-4]. */
export const ABUSE_REFUSALS = 100;

export class Session implements Peer, UserSession {
  readonly id = randomId(9);
  state: 'handshake' | 'open' | 'closed' = 'handshake';
  /** The protocol version chosen in `welcome` [HS-3]; frames are decoded and encoded for it [VER-2, VER-3]. */
  version = 1;
  // Every field is set in the constructor, `= undefined` included: V8 puts a
  // field first set later in a property array of its own, 40 B per connection.
  user: User | undefined = undefined;
  /** Token sent in `hello`, verified at login; dropped once logged in. */
  token: string | undefined = undefined;
  /**
   * When the connection opened (`performance.now()`, ms) and the close code
   * the server sent when it closed first: what observe.ts reports at the
   * close. Fields here, since a record of its own in a WeakMap, with the
   * peer's address as text, cost each connection ~150 B.
   */
  readonly openedAt = performance.now();
  serverCloseCode: number | undefined = undefined;
  /**
   * Joined rooms (see {@link room}): an array replaced on join and leave, not
   * a Map, since a connection joins a few rooms at most
   * (`maxRoomsPerConnection`) and rarely; a Map of one room cost each joined
   * connection ~180 B more, and its key a copy of the room's name.
   */
  rooms: readonly Room[] = NO_ROOMS;
  /**
   * The rate-limit buckets (see the getters), each made on its first use:
   * until then it would be full, as a new one is. An idle connection has
   * mostly only joined, and all four cost each connection ~350 B.
   */
  private sendBucket: TokenBucket | undefined = undefined;
  private joinsBucket: TokenBucket | undefined = undefined;
  private historiesBucket: TokenBucket | undefined = undefined;
  private listsBucket: TokenBucket | undefined = undefined;
  /** The socket's bytes read when the heartbeat last cleared {@link alive}; -1 when set since. */
  private readAtBeat = -1;
  private tail = SETTLED;
  /** Answers of sends under way, oldest first (see {@link pipeline}); made at the first send. */
  private answering: Array<() => Promise<void>> | undefined = undefined;
  /** Settles once `answering` is empty. */
  private answers = SETTLED;
  /**
   * The deadline pending, one at a time: the hello [HS-1], then the login
   * [LOGIN-8], then the token's expiry [LOGIN-9]. Dropped once met: each
   * idle connection would otherwise keep spent timers.
   */
  private deadline: NodeJS.Timeout | undefined = undefined;
  /** Frames received and not yet handled; past `maxInFlight` the socket is not read [SEC-9]. */
  private inFlight = 0;
  private paused = false;
  private readonly writes: SessionWrites;

  constructor(
    readonly ws: WebSocket,
    readonly hub: Hub,
    /** The peer's IP address, for per-address admission [SEC-8, LOGIN-7]. */
    readonly address = 'unknown',
    readonly admission?: Admission,
  ) {
    this.writes = new SessionWrites(this);
    this.deadline = setTimeout(() => {
      if (this.state === 'handshake') this.close(CloseCode.HANDSHAKE_TIMEOUT, 'no hello received');
    }, HELLO_TIMEOUT_MS);
    this.deadline.unref();
  }

  /** `send` + `typing` [LIMIT-3]. */
  get bucket(): TokenBucket {
    const { sendRate, sendBurst } = this.hub.limits;
    this.sendBucket ??= new TokenBucket(sendRate, sendBurst);
    return this.sendBucket;
  }

  /** `join` + `leave` [LIMIT-8]. */
  get joinBucket(): TokenBucket {
    const { joinRate, joinBurst, sendRate, sendBurst } = this.hub.limits;
    this.joinsBucket ??= new TokenBucket(joinRate ?? sendRate, joinBurst ?? sendBurst);
    return this.joinsBucket;
  }

  /** `history` [LIMIT-8]. */
  get historyBucket(): TokenBucket {
    const { historyRate, historyBurst, sendRate, sendBurst } = this.hub.limits;
    this.historiesBucket ??= new TokenBucket(historyRate ?? sendRate, historyBurst ?? sendBurst);
    return this.historiesBucket;
  }

  /** `rooms` [LIMIT-8]. */
  get roomsBucket(): TokenBucket {
    const { roomsRate, roomsBurst, sendRate, sendBurst } = this.hub.limits;
    this.listsBucket ??= new TokenBucket(roomsRate ?? sendRate, roomsBurst ?? sendBurst);
    return this.listsBucket;
  }

  /**
   * Whether anything came from the peer (a frame, a WebSocket pong: any
   * byte read from its socket) since each heartbeat clears it [PING-5].
   * Counted by the socket rather than set by a pong listener, which would
   * cost each connection ~96 B more of ws's listener table.
   */
  get alive(): boolean {
    return this.readAtBeat < 0 || rawSocket(this.ws).bytesRead !== this.readAtBeat;
  }

  set alive(value: boolean) {
    this.readAtBeat = value ? -1 : rawSocket(this.ws).bytesRead;
  }

  /**
   * Requests of this connection wait for the server: while they do (and
   * while it is not read, past `maxInFlight`), the peer's pongs may sit
   * unread behind them, so silence is not the peer's [PING-5].
   */
  get busy(): boolean {
    return this.inFlight > 0;
  }

  /** The joined room of this normalized name, if any. */
  room(name: string): Room | undefined {
    return this.rooms.find((room) => room.name === name);
  }

  /** Joined `room`, in place of a room of its name joined before (the room reloaded). */
  addRoom(room: Room): void {
    const at = this.rooms.findIndex((joined) => joined.name === room.name);
    // Copies of exactly their length: a spread's or a filter's array keeps room for 16 more (~130 B).
    this.rooms = at < 0 ? this.rooms.concat(room) : this.rooms.with(at, room);
  }

  /** Left the room of this normalized name. */
  removeRoom(name: string): void {
    const at = this.rooms.findIndex((joined) => joined.name === name);
    if (at >= 0) this.rooms = this.rooms.toSpliced(at, 1);
  }

  /** Queues one WebSocket message; frames are handled one at a time, in order. */
  receive(data: Uint8Array): void {
    // Frames read after the close was sent (to reach the peer's close frame) are dropped unread.
    if (this.state === 'closed') return;
    this.alive = true;
    // Like ws's socketOnData: stop reading past the cap, so a client cannot
    // queue unbounded work; it resumes once half the backlog is handled [SEC-9].
    this.inFlight++;
    if (this.inFlight >= this.maxInFlight && !this.paused) {
      this.paused = true;
      this.ws.pause();
    }
    this.tail = this.tail.then(() => this.handle(data));
  }

  /**
   * One frame of the queue. A failure outside a request handler (a bug, or a
   * reply that cannot be encoded) must not leave the queue rejected: that
   * would stall every later frame and reject unhandled. It closes this
   * connection only [ERR-2, SEC-5]. One async method, not a chain of then,
   * catch and finally: fewer promises and closures for every frame.
   */
  private async handle(data: Uint8Array): Promise<void> {
    try {
      await dispatchFrame(this, data);
    } catch (error) {
      this.fail(error);
    } finally {
      this.handled();
    }
  }

  /** Frames in flight past which the socket is not read [SEC-9]. */
  private get maxInFlight(): number {
    return this.hub.limits.maxInFlight ?? Number.POSITIVE_INFINITY;
  }

  /** One received frame (or pipelined send) was answered: read again once half the backlog is [SEC-9]. */
  private handled(): void {
    this.inFlight--;
    if (this.paused && this.inFlight <= this.maxInFlight / 2) {
      this.paused = false;
      this.ws.resume();
    }
  }

  /**
   * Lets the frame queue go on while a send's append is under way: `answer`
   * runs once every earlier frame was answered, so replies keep their order
   * [PING-2], while consecutive sends reach the store together (one group
   * commit for a fast sender, not one commit per round trip). Any other
   * frame, and any refusal, waits for {@link answered} first
   * (session-dispatch.ts). It counts as in flight until answered [SEC-9].
   */
  pipeline(answer: () => Promise<void>): void {
    this.inFlight++;
    this.answering ??= [];
    if (this.answering.push(answer) === 1) this.answers = this.answerInOrder(this.answering);
  }

  /**
   * Runs the queued answers one after another until none is left (one loop
   * for a burst of sends, not a promise chained per send); a failure closes
   * the connection, as in {@link handle}.
   */
  private async answerInOrder(queue: Array<() => Promise<void>>): Promise<void> {
    while (queue.length > 0) {
      try {
        await queue[0]!();
      } catch (error) {
        this.fail(error);
      }
      queue.shift();
      this.handled();
    }
  }

  /** Resolves once every pipelined send was answered; undefined when none is under way. */
  answered(): Promise<void> | undefined {
    return this.answering?.length ? this.answers : undefined;
  }

  /** `hello` arrived: the hello deadline no longer applies [HS-1]. */
  helloReceived(): void {
    clearTimeout(this.deadline);
    this.deadline = undefined;
  }

  /** After `welcome`: a session that does not log in within `loginTimeoutMs` is closed [LOGIN-8]. */
  startLoginDeadline(): void {
    const ms = this.hub.limits.loginTimeoutMs;
    if (ms === undefined) return;
    clearTimeout(this.deadline);
    this.deadline = setTimeout(() => {
      if (!this.user) this.close(CloseCode.LOGIN_TIMEOUT, 'no login received');
    }, ms);
    this.deadline.unref();
  }

  /**
   * The session logged in: its login deadline no longer applies, and a token
   * session ends when its token expires [LOGIN-9].
   */
  loggedIn(expiresAt?: number): void {
    // Verified: a token is kept no longer than that (a JWT costs each connection hundreds of bytes).
    this.token = undefined;
    clearTimeout(this.deadline);
    this.deadline = undefined;
    if (expiresAt === undefined) return;
    // setTimeout holds at most 2^31 - 1 ms (~24.8 days); longer tokens are checked again then.
    const wait = Math.min(Math.max(0, expiresAt - Date.now()), 0x7fff_ffff);
    this.deadline = setTimeout(() => {
      if (Date.now() >= expiresAt) this.close(CloseCode.AUTH_EXPIRED, 'token expired');
      else this.loggedIn(expiresAt);
    }, wait);
    this.deadline.unref();
  }

  /** Ends this connection after an unexpected failure: INTERNAL, then close 1011. */
  private fail(error: unknown): void {
    try {
      this.hub.log.error({ err: error, session: this.id }, 'connection failed');
      if (this.state !== 'closed') this.sendError(new ProtocolError(ErrorCode.INTERNAL, 'internal error'));
    } catch {
      // The report itself failed; the close below still happens.
    }
    try {
      this.close(CloseCode.INTERNAL_ERROR, 'internal error');
    } catch {
      this.cleanup();
      this.ws.terminate();
    }
  }

  /** Encodes and sends one frame. */
  send(frame: ServerFrame): void {
    const bytes = encodeFor(this.hub.wire.reply(frame), this.version);
    // No server frame may exceed what clients must accept [WIRE-6]; callers
    // that can shrink a reply (page, joined, roomList) do so before this.
    if (bytes.byteLength > MAX_SERVER_FRAME_BYTES) {
      throw new ProtocolError(ErrorCode.INTERNAL, `a ${frame.type} of ${bytes.byteLength} bytes exceeds 4 MiB`);
    }
    this.sendBytes(bytes);
    this.hub.metrics.framesSent(frame.type);
  }

  /** Sends a protocol error. */
  sendError(error: ProtocolError): void {
    const frame = this.hub.wire.errorFrame(error);
    this.hub.metrics.errors.inc({ code: String(error.code) });
    observe.refused(this, error);
    this.send(frame);
  }

  /**
   * Writes bytes unless the connection is closed. A peer that lets more than
   * `maxBufferedBytes` pile up is closed as a slow consumer [SEC-1].
   */
  sendBytes(bytes: Uint8Array): void {
    if (this.state !== 'closed') this.writes.sendBytes(bytes);
  }

  /** Writes a frame built once for a whole broadcast (framing.ts), with the same cap. */
  sendFramed(frame: Buffer): void {
    if (this.state !== 'closed') this.writes.sendFramed(frame);
  }

  /**
   * Refuses an over-rate request [LIMIT-3, LIMIT-8]; persistent abuse closes [LIMIT-4].
   * Called only once every other check passed: refusals cost no token [LIMIT-7].
   */
  takeToken(bucket: TokenBucket = this.bucket): void {
    const waitMs = bucket.take();
    if (waitMs === 0) return;
    if (bucket.refusedInARow >= ABUSE_REFUSALS) this.close(CloseCode.RATE_ABUSE, 'rate limit abuse');
    throw new ProtocolError(ErrorCode.RATE_LIMITED, `slow down: retry in ${waitMs} ms`, { retryAfterMs: waitMs });
  }

  /** v2 sessions take their user's events: markers set elsewhere [READ-2], mentions in rooms not joined here [MENTION-2]. */
  accepts(event: UserEvent): boolean {
    if (this.version < 2 || this.state !== 'open') return false;
    return event.kind === 'readMarker' ? event.session !== this.id : !this.room(event.room);
  }

  notify(event: UserEvent): void {
    if (event.kind === 'readMarker') {
      this.send({ type: 'readMarker', room: event.room, seq: event.seq });
    } else {
      const { room, seq, messageId, from, text } = event;
      this.send({ type: 'mention', room, seq, messageId, from, text });
    }
  }

  /**
   * Runs `work` for a request that passed every check before the rate
   * limit: a token is taken first, and given back when `work` refuses the
   * request after all, since refusals cost no token [LIMIT-7]. An over-rate
   * request throws here, at once: a pipelined send must be refused in the
   * frame queue's order, not among the answers of the sends before it,
   * where the abuse close [LIMIT-4] could overtake every refusal.
   */
  spend<T>(bucket: TokenBucket, work: () => Promise<T>): Promise<T> {
    this.takeToken(bucket);
    return work().catch((error: unknown) => {
      if (error instanceof ProtocolError) bucket.refund();
      throw error;
    });
  }

  /** Closes with a protocol close code. */
  close(code: number, reason: string): void {
    if (this.state === 'closed') return;
    observe.closing(this, code);
    this.ws.close(code, reason);
    // A socket paused for its in-flight cap would never read the peer's close
    // frame, leaving the handshake to ws's 30 s timeout [SEC-9].
    if (this.paused) {
      this.paused = false;
      this.ws.resume();
    }
    this.cleanup();
  }

  /** Leaves rooms (with presence grace) and releases the user; runs once. */
  cleanup(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    clearTimeout(this.deadline);
    for (const room of this.rooms) {
      room.detach(this, 'disconnect').catch((error: unknown) => {
        this.hub.log.error({ err: error, session: this.id, room: room.name }, 'leaving a room on close failed');
      });
    }
    this.rooms = NO_ROOMS;
    if (this.user) this.hub.users.release(this, this.user);
  }
}
