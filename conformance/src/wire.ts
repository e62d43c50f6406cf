/**
 * A raw test connection: one WebSocket speaking frames through
 * `@kuykan/protocol`, with an inbox, request/reply matching, a ping barrier
 * (PROTOCOL.md §14, PING-3) and a shared transcript for `--trace` and failures.
 *
 * @module
 */

import {
  type ClientFrame,
  decodeFrame,
  ErrorCode,
  type ErrorFrame,
  encodeFrame,
  type Frame,
  MAX_SERVER_FRAME_BYTES,
  PROTOCOL_VERSION,
  type ReplyMap,
  type RequestFrame,
  type ServerFrame,
  SUBPROTOCOL,
} from '@kuykan/protocol';
import WebSocket from 'ws';
import { Failure, Timeout } from './failure.js';
import { newerThan } from './versioned.js';

/** One line of a transcript: what crossed which connection, when. */
export interface TranscriptEntry {
  /** `>` client → server, `<` server → client, `!` transport event. */
  readonly dir: '>' | '<' | '!';
  readonly conn: string;
  /** ms since the transcript started. */
  readonly at: number;
  readonly text: string;
}

/** Frames of every connection of one test case, in the order the harness saw them. */
export class Transcript {
  readonly entries: TranscriptEntry[] = [];
  private readonly start = Date.now();
  /** Called for every entry (used by `--trace`). */
  constructor(private readonly onEntry?: (entry: TranscriptEntry) => void) {}

  add(dir: TranscriptEntry['dir'], conn: string, text: string): void {
    const entry = { dir, conn, at: Date.now() - this.start, text };
    this.entries.push(entry);
    this.onEntry?.(entry);
  }

  /** The last `max` entries as text lines. */
  format(max = 60): string {
    const shown = this.entries.slice(-max);
    const skipped = this.entries.length - shown.length;
    const lines = shown.map((e) => `  ${String(e.at).padStart(6)}ms ${e.conn.padEnd(10)} ${e.dir} ${e.text}`);
    return (skipped > 0 ? [`  … ${skipped} earlier frames`, ...lines] : lines).join('\n');
  }
}

/** Renders a frame for a transcript: readable names, long strings cut. */
export function showFrame(frame: Frame | Record<string, unknown>): string {
  return JSON.stringify(frame, (_k, v) =>
    typeof v === 'string' && v.length > 80 ? `${v.slice(0, 77)}…(${v.length})` : v,
  );
}

/** Options of {@link WireClient.open}. */
export interface OpenOptions {
  /** Label shown in transcripts. */
  label: string;
  transcript: Transcript;
  /** Subprotocols offered. Default: [`kuykan.v1`]. */
  protocols?: string[];
  /** Offer permessage-deflate (to check the server declines it, WIRE-7). Default false. */
  perMessageDeflate?: boolean;
  /** ms to wait for the upgrade. */
  timeoutMs: number;
  /** Observes every decoded server frame (global checks: error codes, key leaks). */
  observe?: (frame: ServerFrame, bytes: Uint8Array, client: WireClient) => void;
  /** Called when an error without id can only be the reply to the one outstanding request (REQ-2). */
  misaddressed?: (requestId: number, frame: ServerFrame) => void;
  /** Called when the server sends a message over `MAX_SERVER_FRAME_BYTES` (WIRE-6). */
  oversize?: (detail: string) => void;
  /**
   * Called when a session of an older version receives a frame type, field or
   * limit its version does not define, found in the raw map [VER-2].
   */
  leak?: (detail: string) => void;
}

/** How a connection ended. */
export interface CloseInfo {
  code: number;
  reason: string;
}

/** A request without its id (the connection assigns one unless given). */
export type RequestInput = RequestFrame extends infer F
  ? F extends RequestFrame
    ? Omit<F, 'id'> & { id?: number }
    : never
  : never;

type Waiter = { match: (f: ServerFrame) => boolean; resolve: (f: ServerFrame) => void };

/** A raw protocol connection used by tests. */
export class WireClient {
  /** Every frame received, in order (never consumed). */
  readonly log: ServerFrame[] = [];
  /** Frames not yet taken by `next`/`request`. */
  private inbox: ServerFrame[] = [];
  private waiters: Waiter[] = [];
  private nextId = 1;
  /** Ids of requests sent through {@link request} and not yet answered. */
  private readonly outstanding = new Set<number>();
  /** Raw frames sent that may still be answered by an error without id. */
  private rawPending = 0;
  /** Set once the socket closed. */
  closeInfo: CloseInfo | undefined;
  readonly closed: Promise<CloseInfo>;
  /** Bytes that could not be decoded as a server frame (a server bug, WIRE-14 on the client side). */
  readonly undecodable: string[] = [];
  /** The bytes of each message that could not be decoded, for a diagnosis (e.g. a welcome missing a limit). */
  readonly undecodableBytes: Uint8Array[] = [];
  /**
   * The protocol version frames are decoded with: the session's, from
   * `welcome` (or the highest offered in `hello`). Frames a version does not
   * define are undecodable, fields it does not define are ignored [VER-2].
   */
  version: number = PROTOCOL_VERSION;

  private constructor(
    readonly ws: WebSocket,
    readonly label: string,
    readonly transcript: Transcript,
    readonly timeoutMs: number,
    observe: OpenOptions['observe'],
    misaddressed?: OpenOptions['misaddressed'],
    oversize?: OpenOptions['oversize'],
    leak?: OpenOptions['leak'],
  ) {
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString() };
        transcript.add('!', label, `close ${code} ${reason.toString()}`);
        resolve(this.closeInfo);
      });
    });
    ws.on('message', (data, isBinary) => {
      const bytes = toBytes(data);
      if (!isBinary) {
        this.undecodable.push('text message from server');
        transcript.add('<', label, `TEXT ${bytes.toString()}`);
        return;
      }
      // An older session is decoded strictly with its version; what only a newer one defines is a leak.
      if (this.version < PROTOCOL_VERSION && leak) for (const found of newerThan(bytes, this.version)) leak(found);
      let frame: ServerFrame;
      try {
        frame = decodeFrame(bytes, { maxBytes: MAX_SERVER_FRAME_BYTES, direction: 'server', version: this.version });
      } catch (error) {
        this.undecodable.push((error as Error).message);
        this.undecodableBytes.push(bytes);
        transcript.add('<', label, `UNDECODABLE (${bytes.byteLength} bytes): ${(error as Error).message}`);
        return;
      }
      transcript.add('<', label, showFrame(frame));
      this.log.push(frame);
      observe?.(frame, bytes, this);
      if (frame.type === 'error' && frame.id === undefined) {
        if (this.rawPending > 0) this.rawPending--;
        else if (this.outstanding.size === 1) {
          // Nothing else can have caused it: it is the outstanding request's reply without its id.
          const [id] = this.outstanding;
          misaddressed?.(id!, frame);
          const waiter = this.waiters.find((w) => w.match({ ...frame, id }));
          if (waiter) {
            this.waiters.splice(this.waiters.indexOf(waiter), 1);
            this.outstanding.delete(id!);
            waiter.resolve(frame);
            return;
          }
        }
      }
      const waiter = this.waiters.find((w) => w.match(frame));
      if (waiter) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(frame);
      } else {
        this.inbox.push(frame);
      }
    });
    ws.on('error', (error) => {
      transcript.add('!', label, `error ${error.message}`);
      // ws refuses messages over maxPayload (4 MiB + slack): the server sent a frame larger than WIRE-6 allows.
      if (/max payload size exceeded/i.test(error.message)) oversize?.(error.message);
    });
  }

  /** Opens a connection (no `hello` yet). Rejects if the upgrade fails. */
  static open(url: string, options: OpenOptions): Promise<WireClient> {
    const ws = new WebSocket(url, options.protocols ?? [SUBPROTOCOL], {
      perMessageDeflate: options.perMessageDeflate ?? false,
      maxPayload: MAX_SERVER_FRAME_BYTES,
      handshakeTimeout: options.timeoutMs,
    });
    const client = new WireClient(
      ws,
      options.label,
      options.transcript,
      options.timeoutMs,
      options.observe,
      options.misaddressed,
      options.oversize,
      options.leak,
    );
    return new Promise((resolve, reject) => {
      ws.once('open', () => {
        options.transcript.add('!', options.label, `open ${url} protocol=${ws.protocol || '(none)'}`);
        resolve(client);
      });
      ws.once('unexpected-response', (_req, res) => {
        options.transcript.add('!', options.label, `upgrade refused: HTTP ${res.statusCode}`);
        reject(Object.assign(new Error(`upgrade refused with HTTP ${res.statusCode}`), { status: res.statusCode }));
        ws.terminate();
      });
      ws.once('error', (error) => reject(error));
    });
  }

  /** Whether the socket is still open. */
  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Ids sent in raw frames; {@link id} never hands them out, so replies stay unambiguous. */
  private readonly avoided = new Set<number>();

  /** A fresh request id for this connection. */
  id(): number {
    while (this.avoided.has(this.nextId)) this.nextId++;
    return this.nextId++;
  }

  /** Marks ids used by raw frames so the harness's own requests never reuse them. */
  avoidIds(ids: Iterable<number>): void {
    for (const id of ids) this.avoided.add(id);
  }

  /** Sends a frame as is (the caller sets `id`). */
  send(frame: ClientFrame): void {
    this.transcript.add('>', this.label, showFrame(frame));
    this.ws.send(encodeFrame(frame));
  }

  /** Sends raw bytes or text (for malformed-input tests). */
  sendRaw(data: Uint8Array | string, note?: string): void {
    const shown = typeof data === 'string' ? `TEXT ${JSON.stringify(data.slice(0, 60))}` : `RAW ${hex(data)}`;
    this.transcript.add('>', this.label, note ? `${shown} (${note})` : shown);
    this.rawPending++;
    this.ws.send(data, { binary: typeof data !== 'string' });
  }

  /** Takes the first frame (already received or future) that matches. Throws {@link Timeout}. */
  next<F extends ServerFrame = ServerFrame>(
    match: (f: ServerFrame) => boolean = () => true,
    what = 'a frame',
    timeoutMs = this.timeoutMs,
  ): Promise<F> {
    const index = this.inbox.findIndex(match);
    if (index >= 0) return Promise.resolve(this.inbox.splice(index, 1)[0] as F);
    return new Promise<F>((resolve, reject) => {
      const waiter: Waiter = {
        match,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f as F);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Timeout(`${this.label}: no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
      void this.closed.then((info) => {
        if (!this.waiters.includes(waiter)) return;
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        clearTimeout(timer);
        reject(new Timeout(`${this.label}: connection closed (${info.code}) while waiting for ${what}`));
      });
    });
  }

  /** Sends a request with a fresh id; resolves with its reply (success frame or `error`). */
  request<F extends RequestInput>(frame: F): Promise<ReplyMap[F['type']] | ErrorFrame> {
    const id = frame.id ?? this.id();
    this.outstanding.add(id);
    this.send({ ...frame, id } as ClientFrame);
    // Each request gets exactly one reply [REQ-2]: a missing one is a failure, not an inconclusive wait.
    const reply = this.next((f) => 'id' in f && f.id === id, `reply to ${frame.type} #${id}`).catch((error) => {
      if (error instanceof Timeout && this.open) throw new Timeout(error.message, 'REQ-2');
      throw error;
    });
    return reply.finally(() => this.outstanding.delete(id)) as Promise<ReplyMap[F['type']] | ErrorFrame>;
  }

  /**
   * Like {@link request}, but a `RATE_LIMITED` refusal is waited out: the
   * suite, like any client, waits `retryAfterMs` and asks again [LIMIT-2,
   * LIMIT-8] (the limits suite tests the limits themselves).
   */
  async settled<F extends RequestInput>(frame: F): Promise<ReplyMap[F['type']] | ErrorFrame> {
    let reply = await this.request(frame);
    for (let attempt = 0; attempt < 50; attempt++) {
      if (reply.type !== 'error' || reply.code !== ErrorCode.RATE_LIMITED) break;
      const wait = Math.min(reply.retryAfterMs ?? 100, 5_000) + 5;
      await new Promise((resolve) => setTimeout(resolve, wait));
      reply = await this.request({ ...frame, id: undefined });
    }
    return reply;
  }

  /** Like {@link settled} but a refusal is a {@link Failure} of `requirement`. */
  async ok<F extends RequestInput>(requirement: string, frame: F): Promise<ReplyMap[F['type']]> {
    const reply = await this.settled(frame);
    if (reply.type === 'error') {
      throw new Failure(requirement, `${frame.type} was refused with ${reply.code} "${reply.message}"`);
    }
    return reply as ReplyMap[F['type']];
  }

  /** Ping barrier [PING-3]: resolves once `pong` arrives, i.e. after every earlier effect. */
  async barrier(): Promise<void> {
    const reply = await this.request({ type: 'ping' });
    if (reply.type !== 'pong') throw new Failure('PING-1', `ping answered with ${reply.type}`);
  }

  /** Removes and returns every unconsumed frame matching `match` (events after a barrier). */
  take<F extends ServerFrame = ServerFrame>(match: (f: ServerFrame) => boolean): F[] {
    const taken = this.inbox.filter(match) as F[];
    this.inbox = this.inbox.filter((f) => !match(f));
    return taken;
  }

  /** Waits for the close (or times out). */
  async waitClose(what: string): Promise<CloseInfo> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Timeout(`${this.label}: not closed within ${this.timeoutMs} ms (${what})`)),
        this.timeoutMs,
      );
    });
    try {
      return await Promise.race([this.closed, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes normally; does not wait. */
  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(1000);
  }

  /** Drops the TCP connection without a close frame (an abnormal disconnect). */
  kill(): void {
    this.ws.terminate();
  }
}

function toBytes(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data as ArrayBuffer);
}

function hex(bytes: Uint8Array): string {
  const shown = Buffer.from(bytes.subarray(0, 24)).toString('hex');
  return bytes.byteLength > 24 ? `${shown}…(${bytes.byteLength} bytes)` : shown;
}
