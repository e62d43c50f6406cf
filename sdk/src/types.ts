/**
 * Options and event maps of the SDK. Every listener receives one context
 * object, so fields can be added without breaking listeners.
 *
 * @module
 */

import type { ChatMessage, PresenceKind } from '@kuykan/protocol';
import type { StateCode } from './codes.js';
import type { WebSocketConstructor } from './transport.js';

/** Connection states; `state` is emitted on every transition, plus one event per state. */
export type ClientState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Options of `new KuykanClient(url, options)`. */
export interface ClientOptions {
  /** Name to log in with; when given, `connect()` also logs in. */
  name?: string;
  /** Login key: sessions with the same name and key are one user. [random per client] */
  key?: string;
  /** Token for servers that require one; a function is called on every (re)connect. */
  token?: string | (() => string | Promise<string>);
  /** Reconnect after the connection drops. [true] */
  reconnect?: boolean;
  /** Reconnect backoff bounds in ms. [{ minMs: 500, maxMs: 30000 }] */
  backoff?: { minMs?: number; maxMs?: number };
  /** Time to wait for a reply, in ms. [10000] */
  requestTimeoutMs?: number;
  /** Sends kept while disconnected, over all rooms. [100] */
  queueLimit?: number;
  /** Client name sent in `hello`. ['kuykan-sdk'] */
  clientName?: string;
  /** Client version sent in `hello`. [the SDK version] */
  clientVersion?: string;
  /** WebSocket constructor. [ws in Node, globalThis.WebSocket in browsers] */
  WebSocket?: WebSocketConstructor;
}

/** Why the connection changed state. */
export interface StateReason {
  /** WebSocket close code, or 0 for a local reason. */
  code: number;
  message: string;
}

export interface StateContext {
  /** The state entered (same as `state`). */
  newState: ClientState;
  /** The state left (same as `previous`). */
  oldState: ClientState;
  /** Why, as a number: one of {@link StateCode}. */
  code: StateCode;
  state: ClientState;
  previous: ClientState;
  /** Why, with the WebSocket close code (0 for a local cause) and a message for people. */
  reason: StateReason;
  /** For `reconnecting`: the attempt number (1-based) and the delay before it, in ms. */
  attempt?: number;
  delayMs?: number;
}

/** Events of `KuykanClient`. */
export type ClientEvents = {
  /** Every state transition. */
  state: (ctx: StateContext) => void;
  /** Open and (re)joined: ready to chat. */
  open: (ctx: StateContext) => void;
  /** The connection dropped; a reconnect is scheduled. */
  reconnecting: (ctx: StateContext) => void;
  /** Closed for good: by `close()` or a do-not-reconnect close code. */
  closed: (ctx: StateContext) => void;
  /** Measured round-trip time of a heartbeat ping. */
  rtt: (ctx: { ms: number }) => void;
  /** A non-fatal error (a failed background request, a listener that threw). */
  error: (ctx: { error: unknown }) => void;
};

/** A message as the SDK delivers it. */
export interface MessageContext {
  message: ChatMessage & { room: string };
  /** Sent by this user (any of their sessions). */
  own: boolean;
}

export interface PresenceContext {
  name: string;
  kind: PresenceKind;
  /** Members after the change, sorted. */
  members: readonly string[];
}

export interface TypingContext {
  name: string;
  active: boolean;
  /** Users typing now, after expiring stale indications. */
  typing: readonly string[];
}

/** Status of a message this client sends. */
export type OutgoingStatus = 'queued' | 'sending' | 'sent' | 'failed';

export interface OutgoingContext {
  clientId: string;
  text: string;
  status: OutgoingStatus;
  /** For `failed`: why. */
  error?: unknown;
  /** For `sent`: the committed seq. */
  seq?: number;
}

/** Events of a `Room`. */
export type RoomEvents = {
  /** A message, live or recovered after a reconnect, in seq order, exactly once. */
  message: (ctx: MessageContext) => void;
  /** A user joined or left. */
  presence: (ctx: PresenceContext) => void;
  /** Someone started or stopped typing (or their indication expired). */
  typing: (ctx: TypingContext) => void;
  /** After a reconnect the gap could not be recovered: redraw from `messages`. */
  reset: (ctx: { messages: ChatMessage[] }) => void;
  /** After a reconnect the gap was recovered (its messages were emitted as `message`). */
  resumed: (ctx: { messages: ChatMessage[] }) => void;
  /** Progress of a message this client sends. */
  outgoing: (ctx: OutgoingContext) => void;
};

/** Result of `room.send`. */
export interface Ack {
  messageId: string;
  seq: number;
  ts: number;
  clientId: string;
}

/** Result of `room.history`. */
export interface HistoryPage {
  messages: ChatMessage[];
  more: boolean;
}
