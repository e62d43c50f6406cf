/**
 * One WebSocket to a server: the handshake, request ids with timeouts,
 * decoding, heartbeat pings with round-trip time, and close reporting.
 * Reconnecting is the client's job; a Connection is used once.
 *
 * @module
 */

import {
  type ClientFrame,
  CloseCode,
  decodeFrame,
  type EventFrame,
  encodeFrame,
  type Limits,
  MAX_REQUEST_ID,
  PROTOCOL_VERSION,
  ProtocolError,
  type ReplyMap,
  type RequestFrame,
  type ServerFrame,
  SUBPROTOCOL,
  SUPPORTED_VERSIONS,
  type WelcomeFrame,
} from '@kuykan/protocol';
import { ClientError } from './errors.js';
import { OPEN, type Platform, type SocketErrorText, type SocketLike, type WebSocketConstructor } from './transport.js';

/** What a connection tells its owner. */
export interface ConnectionHandlers {
  onEvent(frame: EventFrame): void;
  onClose(code: number, reason: string): void;
  onRtt(ms: number): void;
}

export interface ConnectionOptions {
  url: string;
  WebSocket: WebSocketConstructor;
  clientName: string;
  clientVersion: string;
  token: string | undefined;
  requestTimeoutMs: number;
  platform: Platform;
}

interface Pending {
  resolve(frame: ServerFrame): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/** A request frame without its id; the connection assigns one. */
export type Request<T extends RequestFrame['type']> = Omit<Extract<RequestFrame, { type: T }>, 'id'> & { type: T };

export class Connection {
  readonly #socket: SocketLike;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #closed = false;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #lastReceived = Date.now();
  /** The platform's error from the socket's `error` event, the only place a failure's cause appears. */
  #socketError: Error | undefined;
  welcome: WelcomeFrame | undefined;
  /**
   * The protocol version the server chose [HS-3]; frames are encoded and read
   * as that version, so a version 1 session never sends a v2 field [VER-2].
   */
  version = PROTOCOL_VERSION;

  readonly #options: ConnectionOptions;
  readonly #handlers: ConnectionHandlers;

  constructor(options: ConnectionOptions, handlers: ConnectionHandlers) {
    this.#options = options;
    this.#handlers = handlers;
    this.#socket = new options.WebSocket(options.url, SUBPROTOCOL);
    this.#socket.binaryType = 'arraybuffer';
  }

  /** Opens the socket and completes `hello`/`welcome`. Rejects if either fails. */
  open(): Promise<WelcomeFrame> {
    return new Promise<WelcomeFrame>((resolve, reject) => {
      const fail = (error: Error) => {
        this.#shutdown(error);
        reject(error);
      };
      const timer = setTimeout(
        () => fail(new ClientError('TIMEOUT', `no welcome from ${this.#options.url}`)),
        this.#options.requestTimeoutMs,
      );
      this.#socket.onopen = () => {
        const hello: ClientFrame = {
          type: 'hello',
          versions: [...SUPPORTED_VERSIONS],
          client: this.#options.clientName,
          clientVersion: this.#options.clientVersion,
          ...(this.#options.token ? { token: this.#options.token } : {}),
        };
        this.#socket.send(encodeFrame(hello));
      };
      // The close event that follows carries the outcome; this one carries its cause, if any.
      this.#socket.onerror = (event) => {
        const error = (event as { error?: unknown } | null)?.error; // ws: the Node error; browsers: none
        if (error instanceof Error) this.#socketError ??= error;
      };
      this.#socket.onclose = (event) => {
        clearTimeout(timer);
        const cause = this.#socketError;
        const why = this.#describe(cause);
        if (!this.welcome) reject(this.#handshakeError ?? this.#connectError(event.code, cause, why));
        this.#shutdown(
          new ClientError('CLOSED', `connection closed (${event.code})`, { closeCode: event.code, cause }),
        );
        this.#handlers.onClose(event.code, event.reason || (why?.text ?? ''));
      };
      this.#socket.onmessage = (event) => {
        this.#lastReceived = Date.now();
        let frame: ServerFrame;
        try {
          frame = decodeFrame(toBytes(event.data), { direction: 'server', version: this.version });
        } catch {
          return; // A frame we cannot read is dropped; the spec lets the server be newer.
        }
        if (!this.welcome) {
          clearTimeout(timer);
          if (frame.type === 'welcome') {
            this.version = frame.version;
            this.welcome = frame;
            this.#startHeartbeat(frame.limits);
            resolve(frame);
          } else if (frame.type === 'error') {
            this.#handshakeError = ProtocolError.fromFrame(frame);
          }
          return;
        }
        this.#dispatch(frame);
      };
    });
  }

  #handshakeError: ProtocolError | undefined;

  /** A socket error in words: the platform's description, else its message. */
  #describe(error: Error | undefined): SocketErrorText | undefined {
    return error && (this.#options.platform.describeError?.(error) ?? { text: error.message });
  }

  /** Why the socket closed before `welcome`: the platform's cause in words when it gave one, else the close code. */
  #connectError(closeCode: number, cause: Error | undefined, why: SocketErrorText | undefined): ClientError {
    return new ClientError(
      'CLOSED',
      `could not connect to ${this.#options.url}${why ? `: ${why.text}` : ` (close ${closeCode})`}`,
      {
        closeCode,
        httpStatus: why?.httpStatus,
        cause,
      },
    );
  }

  #dispatch(frame: ServerFrame): void {
    if ('id' in frame && frame.id !== undefined) {
      const pending = this.#pending.get(frame.id);
      if (pending) {
        this.#pending.delete(frame.id);
        clearTimeout(pending.timer);
        if (frame.type === 'error') pending.reject(ProtocolError.fromFrame(frame));
        else pending.resolve(frame);
      }
      return;
    }
    // What is left are events (an error without a request id reports nothing to act on).
    if (frame.type !== 'error') this.#handlers.onEvent(frame as EventFrame);
  }

  /** Sends a request and resolves with its success reply; rejects with ProtocolError or ClientError. */
  request<T extends RequestFrame['type']>(frame: Request<T>): Promise<ReplyMap[T]> {
    if (this.#closed || this.#socket.readyState !== OPEN) {
      return Promise.reject(new ClientError('CLOSED', 'not connected'));
    }
    const id = this.#nextId;
    let bytes: Uint8Array;
    try {
      bytes = encodeFrame({ ...frame, id } as ClientFrame, this.version);
    } catch (error) {
      return Promise.reject(error); // a frame the session's version lacks: nothing is sent
    }
    this.#nextId = this.#nextId >= MAX_REQUEST_ID ? 1 : this.#nextId + 1;
    return new Promise<ReplyMap[T]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new ClientError('TIMEOUT', `no reply to ${frame.type} within ${this.#options.requestTimeoutMs} ms`));
      }, this.#options.requestTimeoutMs);
      this.#pending.set(id, { resolve: resolve as (f: ServerFrame) => void, reject, timer });
      this.#socket.send(bytes);
    });
  }

  /**
   * Pings every `heartbeatMs` [PING-4]; a connection that received nothing
   * for two intervals is dead even if the browser has not noticed.
   */
  #startHeartbeat(limits: Limits): void {
    const interval = Math.max(1000, limits.heartbeatMs);
    this.#heartbeat = setInterval(() => {
      const silentMs = Date.now() - this.#lastReceived;
      if (silentMs > 2 * interval) {
        this.#abandon(CloseCode.HEARTBEAT_TIMEOUT, `heartbeat timeout: nothing received for ${silentMs} ms`);
        return;
      }
      const started = Date.now();
      this.request({ type: 'ping' }).then(
        () => this.#handlers.onRtt(Date.now() - started),
        () => undefined,
      );
    }, interval);
    (this.#heartbeat as { unref?: () => void }).unref?.();
  }

  /** Measures one round trip now. */
  async ping(): Promise<number> {
    const started = Date.now();
    await this.request({ type: 'ping' });
    const rtt = Date.now() - started;
    this.#handlers.onRtt(rtt);
    return rtt;
  }

  get bufferedAmount(): number {
    return this.#socket.bufferedAmount;
  }

  /** Closes the socket; pending requests fail with CLOSED. */
  close(code = 1000, reason = ''): void {
    try {
      this.#socket.close(code, reason);
    } catch {
      this.#socket.close();
    }
  }

  /**
   * Gives up on a dead socket at once. A closing handshake with a peer that no
   * longer answers would hold the close event back until the platform's own
   * timeout (30 s in `ws`), so the owner is told now and the socket's late
   * events are ignored.
   */
  #abandon(code: number, reason: string): void {
    const ignore = () => undefined;
    // No-ops rather than null: `ws` throws on an `error` event nobody listens to.
    this.#socket.onclose = ignore;
    this.#socket.onerror = ignore;
    this.#socket.onmessage = ignore;
    if (this.#socket.terminate) this.#socket.terminate();
    else this.close(code, reason);
    this.#shutdown(new ClientError('CLOSED', reason, { closeCode: code }));
    this.#handlers.onClose(code, reason);
  }

  #shutdown(error: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#heartbeat);
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.#pending.clear();
    if (this.#socket.readyState === OPEN) this.close(1000);
  }
}

function toBytes(data: unknown): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (Array.isArray(data)) {
    // ws may deliver fragmented messages as a list of buffers.
    const parts = data as Uint8Array[];
    const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.byteLength;
    }
    return out;
  }
  throw new TypeError('text frame received');
}
