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
  /** v2: log in as a bot; its messages and presence carry `bot: true` [BOT-1]. [false] */
  bot?: boolean;
  /** Messages each room's live model keeps (`room.timeline`): the newest ones. [1000] */
  maxMessages?: number;
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
  /** v2: a message mentions me in a room this session has not joined [MENTION-2]. */
  mention: (ctx: MentionContext) => void;
  /** v2: my read marker moved in a room this session has not joined (by another session of mine) [READ-2]. */
  read: (ctx: { room: string; seq: number }) => void;
};

/** v2: someone mentioned me in a room this session has not joined. */
export interface MentionContext {
  room: string;
  seq: number;
  messageId: string;
  from: string;
  /** The start of the message (at most 100 code points). */
  text: string;
}

/** A message as the SDK delivers it. */
export interface MessageContext {
  message: ChatMessage & { room: string };
  /** Sent by this user (any of their sessions). */
  own: boolean;
  /**
   * v2: it mentions me: my name is in its `mentions`, or it is the other
   * member's message in a direct room [MENTION-4]. Always false in version 1.
   */
  mentionsMe: boolean;
}

/**
 * v2: a change entry (edit, delete, react, unreact) was applied to the live
 * message model. `message` is the changed record (undefined when the room
 * does not hold the message); `replies` are the held replies whose preview
 * followed an edit or delete of their original [REPLY-3].
 */
export interface ChangeContext {
  /** The entry as it came from the log (`kind`, `target`, `from`, `seq`…). */
  entry: ChatMessage;
  message: ChatMessage | undefined;
  replies: readonly ChatMessage[];
  /** Made by this user. */
  own: boolean;
}

/** v2: a reaction was added (`on`) or removed. */
export interface ReactionContext extends ChangeContext {
  emoji: string;
  on: boolean;
  from: string;
}

export interface PresenceContext {
  name: string;
  kind: PresenceKind;
  /** Members after the change, sorted. */
  members: readonly string[];
  /** v2: the user is a bot. */
  bot?: boolean;
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
  /** The request: `send`, or in v2 `edit`, `delete`, `react` (absent means `send`). */
  type?: 'send' | 'edit' | 'delete' | 'react';
  /** The text sent ('' for deletes and reactions). */
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
  /** Progress of a message (v2: or an edit, delete, reaction) this client sends. */
  outgoing: (ctx: OutgoingContext) => void;
  /** v2: a message was edited (`message` shows the new text and mentions). */
  edit: (ctx: ChangeContext) => void;
  /** v2: a message was deleted (`message` is its tombstone). */
  delete: (ctx: ChangeContext) => void;
  /** v2: a reaction was added or removed (`message.reactions` is updated). */
  reaction: (ctx: ReactionContext) => void;
  /** v2: my read marker moved: by my `markRead`, another session of mine, or a rejoin. */
  read: (ctx: { seq: number }) => void;
};

/** Options of `room.send`. */
export interface SendOptions {
  /** A retry of an earlier send: the same clientId makes it the same message [MSG-5]. [random] */
  clientId?: string;
  /** v2: the messageId of the message this one answers [REPLY-1]. */
  replyTo?: string;
  /** v2: names the message mentions [MENTION-1]. Left out on a version 1 server (the text still says them). */
  mentions?: string[];
  /** v2: ids of files uploaded for this room (see `room.sendFile`). */
  files?: string[];
}

/** Result of `room.send`. */
export interface Ack {
  messageId: string;
  seq: number;
  ts: number;
  clientId: string;
}

/** v2: a file the server stored, as its upload answered. */
export interface UploadedFile {
  fileId: string;
  name: string;
  size: number;
  mediaType: string;
  width?: number;
  height?: number;
  /** A thumbnail was made. */
  thumb: boolean;
}

/** v2: result of `room.sendFile`: the message's ack and the file. */
export interface FileAck extends Ack {
  file: UploadedFile;
}

/** Progress of an upload, in bytes. */
export interface UploadProgress {
  sent: number;
  total: number;
}

/**
 * What `room.sendFile` takes: bytes (`Uint8Array`, Node's `Buffer`), a
 * `Blob` or `File`, or in Node a readable stream (give `size` then).
 */
export type FileData = Uint8Array | Blob | AsyncIterable<Uint8Array>;

/** Options of `room.sendFile`. */
export interface SendFileOptions extends Omit<SendOptions, 'files'> {
  /** The file's name. [a File's name] */
  name?: string;
  /** Its media type as the client believes it (the server sniffs the real one). [a Blob's type, else application/octet-stream] */
  type?: string;
  /** Size in bytes: required for a stream, taken from the data otherwise. */
  size?: number;
  /** Text sent with the file. [''] */
  text?: string;
  /** Called as bytes go out. */
  onProgress?: (progress: UploadProgress) => void;
  /** Cancels the upload (the promise rejects with ClientError `ABORTED`). */
  signal?: AbortSignal;
}

/** Result of `room.history`. */
export interface HistoryPage {
  messages: ChatMessage[];
  more: boolean;
}
