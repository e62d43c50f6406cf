/**
 * What a test gets: connections spread over the cluster's URLs, per-run
 * unique names and rooms, the server's advertised limits, a seeded random
 * source, and global checks applied to every frame (ERR-1, CLOSE-1, SEC-7).
 *
 * @module
 */

import { randomBytes } from 'node:crypto';
import {
  Capability,
  CloseCode,
  ERROR_CODE_NAMES,
  ErrorCode,
  type Limits,
  type LoggedInFrame,
  MAX_SERVER_FRAME_BYTES,
  type ServerFrame,
  SUPPORTED_VERSIONS,
  type WelcomeFrame,
} from '@kuykan/protocol';
import fc from 'fast-check';
import { expect, Failure, Skip, Timeout } from './failure.js';
import { type OpenOptions, Transcript, WireClient } from './wire.js';

/** Settings shared by every test of a run. */
export interface RunSettings {
  readonly urls: readonly string[];
  readonly seed: number;
  /** fast-check runs per property. */
  readonly runs: number;
  /** ms to wait for any one expected frame. */
  readonly timeoutMs: number;
  /** Bearer token for `hello` on token-auth servers. */
  readonly token?: () => Promise<string | undefined>;
  /** Prints every frame (`--trace`). */
  readonly trace?: (line: string) => void;
  /** Shell command that crashes and restarts the server (`--kill-cmd`). */
  readonly killCmd?: string;
  /** Shell command that shuts the server down gracefully and starts it again (`--restart-cmd`). */
  readonly restartCmd?: string;
  /** The operator states the store is durable (`--durable`): the epoch must survive restarts [RES-5]. */
  readonly durable?: boolean;
}

/** A property's failing path, so a replay token can re-run exactly that case. */
export class PropertyFailure extends Failure {
  constructor(
    requirement: string,
    message: string,
    readonly path: string,
  ) {
    super(requirement, message);
  }
}

const CLOSE_CODES = new Set<number>(Object.values(CloseCode));

/** Options of {@link TestContext.user}. */
export interface UserOptions {
  readonly name?: string;
  /** The login key; `null` for none (default: a fresh secret). */
  readonly key?: string | null;
  /** v2: log in as a bot [BOT-1]. */
  readonly bot?: boolean;
  /** Versions offered in `hello` (default: all the suite speaks). */
  readonly versions?: readonly number[];
}

/** A logged-in connection. */
export interface UserConn {
  readonly conn: WireClient;
  /** The normalized name from `loggedIn`. */
  readonly name: string;
  /** The login key; null when the user logged in without one. */
  readonly key: string | null;
}

/** The per-test view of a run. */
export class TestContext {
  transcript: Transcript;
  private readonly clients: WireClient[] = [];
  private readonly secrets = new Set<string>();
  private counter = 0;
  private nextUrl = 0;
  /** Violations found by global checks; reported after the test body. */
  readonly violations: Failure[] = [];
  /** A per-test random prefix: names and rooms never collide with other runs or data already on the server. */
  readonly prefix: string;
  private rngState: number;

  constructor(
    readonly settings: RunSettings,
    readonly welcome: WelcomeFrame,
    readonly testId: string,
    /** fast-check path to replay, if any. */
    readonly path?: string,
  ) {
    this.transcript = this.newTranscript();
    this.prefix = `k${randomBytes(3).toString('hex')}`;
    this.rngState = hashSeed(settings.seed, testId);
  }

  get limits(): Limits {
    return this.welcome.limits;
  }

  /** Throws {@link Skip} unless the server advertises `capability`. */
  need(capability: string): void {
    if (!this.welcome.capabilities.includes(capability)) throw new Skip(`capability ${capability} not advertised`);
  }

  has(capability: string): boolean {
    return this.welcome.capabilities.includes(capability);
  }

  /** A deterministic random integer in [0, n) (mulberry32 from the seed and test id). */
  random(n: number): number {
    this.rngState = (this.rngState + 0x6d2b79f5) | 0;
    let t = this.rngState;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % n) as number;
  }

  /** A user name unique to this run, within `maxNameLength`. */
  name(label = 'u'): string {
    return `${this.prefix}${label}${this.counter++}`.slice(0, this.limits.maxNameLength);
  }

  /** A room name unique to this run (already normalized: lower case, no spaces). */
  room(label = 'r'): string {
    return `${this.prefix}-${label}${this.counter++}`.toLowerCase().slice(0, this.limits.maxRoomLength);
  }

  /** A fresh secret login key; the global check makes sure no frame ever carries it [SEC-7, LOGIN-6]. */
  key(): string {
    const key = `key-${randomBytes(8).toString('hex')}`;
    this.secrets.add(key);
    return key;
  }

  /** Starts a fresh transcript (each property run records its own). */
  resetTranscript(): void {
    this.transcript = this.newTranscript();
  }

  /** Opens a raw connection (no `hello`), on the next URL of the cluster. */
  async connect(label = 'c', options: Partial<OpenOptions> = {}): Promise<WireClient> {
    const url = this.settings.urls[this.nextUrl++ % this.settings.urls.length]!;
    const client = await WireClient.open(url, {
      label: `${label}`,
      transcript: this.transcript,
      timeoutMs: this.settings.timeoutMs,
      observe: (frame, bytes) => this.observe(frame, bytes),
      oversize: (detail) =>
        this.violations.push(
          new Failure('WIRE-6', `${label}: the server sent a message over ${MAX_SERVER_FRAME_BYTES} bytes (${detail})`),
        ),
      misaddressed: (id) =>
        this.violations.push(new Failure('REQ-2', `${label}: the error answering request ${id} carries no request id`)),
      leak: (detail) => this.violations.push(new Failure('VER-2', `${label}, a version 1 session, received ${detail}`)),
      ...options,
    });
    this.clients.push(client);
    void client.closed.then((info) => {
      // 1005/1006 appear when the harness itself terminates; 1000 when it closes.
      if (!CLOSE_CODES.has(info.code) && info.code !== 1005 && info.code !== 1006) {
        this.violations.push(new Failure('CLOSE-1', `${label} was closed with ${info.code}, which is not in §5.3`));
      }
    });
    return client;
  }

  /**
   * Opens a connection and completes `hello`/`welcome`, offering `versions`
   * (default: every version the suite speaks, newest first); the connection
   * then decodes frames with the version the server chose.
   */
  async session(label = 'c', versions: readonly number[] = SUPPORTED_VERSIONS) {
    const conn = await this.connect(label);
    const token = await this.settings.token?.();
    // The hello token is a secret too: no frame may echo it [SEC-7].
    if (token) this.secrets.add(token);
    // The welcome of a session offering only older versions is already theirs [VER-2].
    conn.version = Math.max(...versions.filter((v) => SUPPORTED_VERSIONS.includes(v)), 1);
    conn.send({ type: 'hello', versions: [...versions], client: 'kuykan-conformance', token });
    const reply = await conn.next((f) => f.type === 'welcome' || f.type === 'error', 'welcome');
    if (reply.type !== 'welcome') throw new Failure('HS-3', `hello was refused: ${showError(reply)}`);
    conn.version = reply.version;
    return { conn, welcome: reply };
  }

  /**
   * Opens a session and logs in with a fresh name (or the given one) and a
   * fresh key (or the given one; `null` logs in without a key, so the user
   * has no lasting identity, §8).
   */
  async user(label = 'u', options: UserOptions = {}): Promise<UserConn> {
    const { conn } = await this.session(label, options.versions);
    const key = options.key === null ? undefined : (options.key ?? this.key());
    const name = options.name ?? this.name(label);
    const reply = await conn.request({ type: 'login', name, key, bot: options.bot });
    if (reply.type !== 'loggedIn')
      throw new Failure('LOGIN-1', `login ${JSON.stringify(name)} was refused: ${showError(reply)}`);
    return { conn, name: (reply as LoggedInFrame).name, key: key ?? null };
  }

  /** Whether the server speaks protocol version 2 (it chose 2 when offered [2, 1]). */
  get v2(): boolean {
    return this.welcome.version >= 2;
  }

  /** Throws {@link Skip} unless the server speaks protocol version 2: its rules are then not offered. */
  needV2(): void {
    if (!this.v2)
      throw new Skip(`protocol version 2 not advertised (the server chose version ${this.welcome.version})`);
  }

  /** Joins a room and returns the `joined` frame; a refusal fails `requirement`. */
  async join(user: UserConn | WireClient, room: string, requirement = 'ROOM-3') {
    const conn = user instanceof WireClient ? user : user.conn;
    return conn.ok(requirement, { type: 'join', room });
  }

  /**
   * Sends a message and returns its ack, retrying after `retryAfterMs` on
   * RATE_LIMITED with the same clientId (safe by MSG-5).
   */
  async send(user: UserConn | WireClient, room: string, text: string, clientId = `c${this.counter++}`) {
    const conn = user instanceof WireClient ? user : user.conn;
    for (let attempt = 0; attempt < 50; attempt++) {
      const reply = await conn.request({ type: 'send', room, clientId, text });
      if (reply.type === 'ack') return { ack: reply, clientId };
      if (reply.type === 'error' && reply.code === ErrorCode.RATE_LIMITED) {
        await delay(Math.min(reply.retryAfterMs ?? 100, 5_000) + 5);
        continue;
      }
      throw new Failure('MSG-1', `send was refused: ${showError(reply)}`);
    }
    throw new Timeout('send stayed rate limited for 50 attempts');
  }

  /** Ping barrier on every given connection [PING-3]. */
  async sync(...conns: (UserConn | WireClient)[]): Promise<void> {
    await Promise.all(conns.map((c) => (c instanceof WireClient ? c : c.conn).barrier()));
  }

  /**
   * Runs a fast-check property with the run's seed and runs (or the replay
   * path); on failure re-runs the shrunk case so the transcript is the minimal one.
   */
  async property<T>(
    arbitrary: fc.Arbitrary<T> | ((replayPath?: string) => fc.Arbitrary<T>),
    body: (value: T) => Promise<void>,
    runs = this.settings.runs,
  ): Promise<void> {
    // A replay path is `counterexamplePath` or `counterexamplePath~commandsReplayPath` (fc.commands).
    const [casePath, commandsPath] = (this.path ?? '').split('~');
    const arb = typeof arbitrary === 'function' ? arbitrary(commandsPath || undefined) : arbitrary;
    const params: fc.Parameters<[T]> = { seed: this.settings.seed, numRuns: runs, endOnFailure: false };
    if (casePath) params.path = casePath;
    const result = await fc.check(
      fc.asyncProperty(arb, async (value) => {
        this.resetTranscript();
        const before = this.clients.length;
        try {
          await body(value);
        } finally {
          this.closeFrom(before);
        }
      }),
      params,
    );
    if (!result.failed) return;
    const replayPath = result.counterexample
      ? /replayPath="([^"]*)"/.exec(String(result.counterexample[0]))?.[1]
      : undefined;
    const path = `${result.counterexamplePath ?? ''}${replayPath ? `~${replayPath}` : ''}`;
    const error = result.errorInstance;
    // Re-run the minimal case so the transcript shows exactly it.
    if (result.counterexample) {
      this.resetTranscript();
      const before = this.clients.length;
      try {
        await body(result.counterexample[0]);
      } catch {
        // the failure is reported from the shrunk run below
      } finally {
        this.closeFrom(before);
      }
    }
    if (error instanceof Failure) throw new PropertyFailure(error.requirement, error.message, path);
    if (error instanceof Timeout) throw error;
    throw error instanceof Error ? error : new Error(String(error));
  }

  /** Closes the connections opened after the first `n`. */
  private closeFrom(n: number): void {
    for (const client of this.clients.splice(n)) client.close();
  }

  /** Closes every connection of the test. */
  async closeAll(): Promise<void> {
    for (const client of this.clients.splice(0)) client.close();
  }

  private observe(frame: ServerFrame, bytes: Uint8Array): void {
    if (frame.type === 'error' && ERROR_CODE_NAMES[frame.code] === undefined) {
      this.violations.push(new Failure('ERR-1', `error code ${frame.code} is not in the table of §5.2`));
    }
    if (this.secrets.size > 0) {
      const text = Buffer.from(bytes).toString('latin1');
      for (const secret of this.secrets) {
        if (text.includes(secret))
          this.violations.push(new Failure('SEC-7', `a ${frame.type} frame carries a login key`));
      }
    }
  }

  private newTranscript(): Transcript {
    const trace = this.settings.trace;
    return new Transcript(trace ? (e) => trace(`${this.testId} ${e.conn} ${e.dir} ${e.text}`) : undefined);
  }
}

/** `code NAME "message"` for an error frame, or the frame type. */
export function showError(frame: ServerFrame): string {
  return frame.type === 'error'
    ? `${frame.code} ${ERROR_CODE_NAMES[frame.code] ?? '?'} "${frame.message}"`
    : frame.type;
}

/** Asserts `frame` is an `error` with `code`, answering request `id` when given. */
export function expectError(requirement: string, frame: ServerFrame, code: number, id?: number): void {
  expect(requirement, frame.type === 'error', `expected error ${ERROR_CODE_NAMES[code]} (${code}), got ${frame.type}`);
  if (frame.type !== 'error') return;
  expect(
    requirement,
    frame.code === code,
    `expected error ${ERROR_CODE_NAMES[code]} (${code}), got ${showError(frame)}`,
  );
  if (id !== undefined)
    expect('REQ-2', frame.id === id, `error answering request ${id} carries id ${String(frame.id)}`);
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function hashSeed(seed: number, text: string): number {
  let h = seed | 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x9e3779b1);
  return h;
}

export { Capability };
