/**
 * Every frame of protocol v1: its TypeScript interface and its descriptor
 * (wire type number, direction, reply, and wire keys). PROTOCOL.md §3 and §7–§14
 * describe the same frames for humans; `test/spec-sync.test.ts` keeps them in step.
 *
 * On the wire a frame is a MessagePack map: `t` holds the type number, `i`
 * the request id, other fields use the short keys below. In TypeScript,
 * frames use readable names and `type` is the frame's name.
 *
 * @module
 */

import type { Limits } from './limits.js';
import { field, type RecordSchema, type SchemaOf } from './schema.js';

// ---------------------------------------------------------------- shared records

/** A chat message as stored and delivered (in `message`, `joined` and `page`). */
export interface ChatMessage {
  /** Position in the room's log: 1, 2, 3… within one epoch. */
  seq: number;
  /** Server-assigned id, unique per server deployment. */
  messageId: string;
  /** Server time the message was committed, ms since the Unix epoch. */
  ts: number;
  /** Display name of the sender. */
  from: string;
  /** The message text. */
  text: string;
  /** The sender's client message id, so the sender can match its own messages. */
  clientId?: string;
}

/** A room as listed by `roomList`. */
export interface RoomInfo {
  room: string;
  /** Users present (each user once, however many sessions). */
  members: number;
  /** Last seq in the room's current epoch (0 when empty). */
  seq: number;
}

const chatMessageSchema: SchemaOf<ChatMessage> = {
  seq: field.uint('s'),
  messageId: field.str('m'),
  ts: field.uint('ts'),
  from: field.str('f'),
  text: field.str('x'),
  clientId: field.opt(field.str('c')),
};

const roomInfoSchema: SchemaOf<RoomInfo> = {
  room: field.str('r'),
  members: field.uint('n'),
  seq: field.uint('s'),
};

/** Wire form of {@link Limits} (`welcome.limits`); also validates server configuration. */
export const LIMITS_SCHEMA: SchemaOf<Limits> = {
  maxFrameBytes: field.uint('mf'),
  maxTextLength: field.uint('mt'),
  maxNameLength: field.uint('mn'),
  maxRoomLength: field.uint('mr'),
  maxRoomsPerConnection: field.uint('mj'),
  sendRate: field.uint('sr'),
  sendBurst: field.uint('sb'),
  historyPageMax: field.uint('hp'),
  joinRecent: field.uint('jr'),
  maxRecoverable: field.uint('rm'),
  heartbeatMs: field.uint('hb'),
  presenceGraceMs: field.uint('pg'),
  typingTtlMs: field.uint('tt'),
  maxBufferedBytes: field.opt(field.uint('mb')),
  joinRate: field.opt(field.uint('jn')),
  joinBurst: field.opt(field.uint('jq')),
  historyRate: field.opt(field.uint('hr')),
  historyBurst: field.opt(field.uint('hq')),
  roomsRate: field.opt(field.uint('lr')),
  roomsBurst: field.opt(field.uint('lq')),
  loginTimeoutMs: field.opt(field.uint('lt')),
  maxInFlight: field.opt(field.uint('mi')),
};

// ---------------------------------------------------------------- client → server

/** Opens the session: the versions the client speaks (§7). First frame on every connection. */
export interface HelloFrame {
  type: 'hello';
  /** Protocol versions the client speaks, most preferred first. */
  versions: number[];
  /** Client software name, e.g. `kuykan-sdk`. */
  client: string;
  clientVersion?: string;
  /** Bearer token (e.g. a JWT) for servers that require authentication. */
  token?: string;
}

/** Claims a user name (§8). On token-auth servers the name comes from the token. */
export interface LoginFrame {
  type: 'login';
  id: number;
  name?: string;
  /**
   * Client-held secret (1–64 code points) that makes several sessions one
   * user: a name that is online can be claimed again only with the same key.
   */
  key?: string;
}

/** Joins a room, or resumes it when `epoch` and `seq` are given (§9, §13). */
export interface JoinFrame {
  type: 'join';
  id: number;
  room: string;
  /** Epoch the client last saw in this room (resume). */
  epoch?: string;
  /** Last seq the client received in that epoch (resume). */
  seq?: number;
}

/** Leaves a room (§9). */
export interface LeaveFrame {
  type: 'leave';
  id: number;
  room: string;
}

/** Sends a message; idempotent per (user, clientId) (§10). */
export interface SendFrame {
  type: 'send';
  id: number;
  room: string;
  /** Client-chosen id; a retry with the same id yields the same ack and no second message. */
  clientId: string;
  text: string;
}

/** Asks for a page of history before or after a seq (§12). */
export interface HistoryFrame {
  type: 'history';
  id: number;
  room: string;
  /** Messages with seq < before (the latest ones). */
  before?: number;
  /** Messages with seq > after (the earliest ones). */
  after?: number;
  /** Page size; at most `limits.historyPageMax`. Default: `historyPageMax`. */
  limit?: number;
}

/** Lists rooms with members or messages (§9). */
export interface RoomsFrame {
  type: 'rooms';
  id: number;
}

/** Starts or stops the typing indication in a room (§11). */
export interface TypingFrame {
  type: 'typing';
  id: number;
  room: string;
  active: boolean;
}

/** Application-level ping; answered by `pong` after every earlier frame (§14). */
export interface PingFrame {
  type: 'ping';
  id: number;
}

// ---------------------------------------------------------------- server → client

/** Accepts the session (§7). */
export interface WelcomeFrame {
  type: 'welcome';
  /** The version chosen from the client's list. */
  version: number;
  server: string;
  serverVersion: string;
  sessionId: string;
  /** Optional features the server supports, see `Capability`. */
  capabilities: string[];
  limits: Limits;
}

/** Answers `login`. */
export interface LoggedInFrame {
  type: 'loggedIn';
  id: number;
  /** The normalized display name the session now has. */
  name: string;
}

/** Answers `join`. */
export interface JoinedFrame {
  type: 'joined';
  id: number;
  room: string;
  epoch: string;
  /** Last seq committed in the room when the join took effect. */
  seq: number;
  /** Present users, each once. */
  members: string[];
  /** The gap after a resume, or the latest `joinRecent` messages; ascending seq. */
  messages: ChatMessage[];
  /** Present when the join asked to resume: whether `messages` is exactly the gap. */
  recovered?: boolean;
}

/** Answers `leave` and `typing`. */
export interface OkFrame {
  type: 'ok';
  id: number;
}

/** Answers `send` once the message is committed. */
export interface AckFrame {
  type: 'ack';
  id: number;
  room: string;
  messageId: string;
  seq: number;
  ts: number;
}

/** Answers `history`. */
export interface PageFrame {
  type: 'page';
  id: number;
  room: string;
  /** Ascending seq. */
  messages: ChatMessage[];
  /** Whether more messages exist beyond this page in the requested direction. */
  more: boolean;
}

/** Answers `rooms`. */
export interface RoomListFrame {
  type: 'roomList';
  id: number;
  rooms: RoomInfo[];
}

/** Answers `ping`. */
export interface PongFrame {
  type: 'pong';
  id: number;
}

/** A message committed in a room the connection has joined (§10). */
export interface MessageFrame extends ChatMessage {
  type: 'message';
  room: string;
}

/** Presence kinds. */
export const PresenceKind = { JOIN: 'join', LEAVE: 'leave' } as const;
export type PresenceKind = (typeof PresenceKind)[keyof typeof PresenceKind];

/** A user joined or left a room (§11). */
export interface PresenceFrame {
  type: 'presence';
  room: string;
  name: string;
  kind: PresenceKind;
}

/** Another user started or stopped typing (§11). */
export interface UserTypingFrame {
  type: 'userTyping';
  room: string;
  name: string;
  active: boolean;
  /** The indication ends after this many ms unless refreshed. */
  ttlMs: number;
}

/** Refuses a request (with its id) or reports a connection-level error (§5). */
export interface ErrorFrame {
  type: 'error';
  /** The request id, when the error answers a request. */
  id?: number;
  code: number;
  message: string;
  /** For rate limiting: ms until a retry can succeed. */
  retryAfterMs?: number;
}

// ---------------------------------------------------------------- unions

export type ClientFrame =
  | HelloFrame
  | LoginFrame
  | JoinFrame
  | LeaveFrame
  | SendFrame
  | HistoryFrame
  | RoomsFrame
  | TypingFrame
  | PingFrame;

export type ServerFrame =
  | WelcomeFrame
  | LoggedInFrame
  | JoinedFrame
  | OkFrame
  | AckFrame
  | PageFrame
  | RoomListFrame
  | PongFrame
  | MessageFrame
  | PresenceFrame
  | UserTypingFrame
  | ErrorFrame;

/** Any frame of protocol v1. */
export type Frame = ClientFrame | ServerFrame;

/** The name of a frame type, e.g. `'send'`. */
export type FrameTypeName = Frame['type'];

/** The frame with a given type name. */
export type FrameOf<T extends FrameTypeName> = Extract<Frame, { type: T }>;

/** Client frames that carry a request id and get exactly one reply. */
export type RequestFrame = Exclude<ClientFrame, HelloFrame>;

/** The success reply to each request (the alternative is always `error`). */
export interface ReplyMap {
  hello: WelcomeFrame;
  login: LoggedInFrame;
  join: JoinedFrame;
  leave: OkFrame;
  send: AckFrame;
  history: PageFrame;
  rooms: RoomListFrame;
  typing: OkFrame;
  ping: PongFrame;
}

/** Server frames that are not replies: pushed as things happen. */
export type EventFrame = MessageFrame | PresenceFrame | UserTypingFrame;

// ---------------------------------------------------------------- descriptors

/** Wire type numbers. 1–15 client → server, 16–31 server → client. */
export const FrameType = {
  hello: 1,
  login: 2,
  join: 3,
  leave: 4,
  send: 5,
  history: 6,
  rooms: 7,
  typing: 8,
  ping: 9,
  welcome: 16,
  loggedIn: 17,
  joined: 18,
  ok: 19,
  ack: 20,
  page: 21,
  roomList: 22,
  pong: 23,
  message: 24,
  presence: 25,
  userTyping: 26,
  error: 31,
} as const satisfies Record<FrameTypeName, number>;

/** Who sends a frame. */
export type Direction = 'client' | 'server';

/** Everything the codec and the conformance suite need to know about one frame type. */
export interface FrameDescriptor {
  readonly name: FrameTypeName;
  readonly code: number;
  readonly direction: Direction;
  /** For requests: the success reply. */
  readonly reply?: FrameTypeName;
  readonly fields: RecordSchema;
}

const id = field.u32('i');
const room = field.str('r');

function describe<T extends FrameTypeName>(
  name: T,
  direction: Direction,
  fields: SchemaOf<FrameOf<T>>,
  reply?: FrameTypeName,
): FrameDescriptor {
  return Object.freeze({ name, code: FrameType[name], direction, reply, fields: Object.freeze(fields) });
}

/** Descriptors of all frames, by name. */
export const FRAMES: Readonly<{ [T in FrameTypeName]: FrameDescriptor }> = Object.freeze({
  hello: describe(
    'hello',
    'client',
    {
      versions: field.list('v', 'u32'),
      client: field.str('c'),
      clientVersion: field.opt(field.str('cv')),
      token: field.opt(field.str('tk')),
    },
    'welcome',
  ),
  login: describe(
    'login',
    'client',
    { id, name: field.opt(field.str('n')), key: field.opt(field.str('k')) },
    'loggedIn',
  ),
  join: describe(
    'join',
    'client',
    { id, room, epoch: field.opt(field.str('e')), seq: field.opt(field.uint('s')) },
    'joined',
  ),
  leave: describe('leave', 'client', { id, room }, 'ok'),
  send: describe('send', 'client', { id, room, clientId: field.str('c'), text: field.str('x') }, 'ack'),
  history: describe(
    'history',
    'client',
    {
      id,
      room,
      before: field.opt(field.uint('b')),
      after: field.opt(field.uint('a')),
      limit: field.opt(field.uint('l')),
    },
    'page',
  ),
  rooms: describe('rooms', 'client', { id }, 'roomList'),
  typing: describe('typing', 'client', { id, room, active: field.bool('a') }, 'ok'),
  ping: describe('ping', 'client', { id }, 'pong'),
  welcome: describe('welcome', 'server', {
    version: field.u32('v'),
    server: field.str('s'),
    serverVersion: field.str('sv'),
    sessionId: field.str('si'),
    capabilities: field.list('cp', 'str'),
    limits: field.record('l', LIMITS_SCHEMA),
  }),
  loggedIn: describe('loggedIn', 'server', { id, name: field.str('n') }),
  joined: describe('joined', 'server', {
    id,
    room,
    epoch: field.str('e'),
    seq: field.uint('s'),
    members: field.list('m', 'str'),
    messages: field.records('ms', chatMessageSchema),
    recovered: field.opt(field.bool('rc')),
  }),
  ok: describe('ok', 'server', { id }),
  ack: describe('ack', 'server', {
    id,
    room,
    messageId: field.str('m'),
    seq: field.uint('s'),
    ts: field.uint('ts'),
  }),
  page: describe('page', 'server', {
    id,
    room,
    messages: field.records('ms', chatMessageSchema),
    more: field.bool('mo'),
  }),
  roomList: describe('roomList', 'server', { id, rooms: field.records('rs', roomInfoSchema) }),
  pong: describe('pong', 'server', { id }),
  message: describe('message', 'server', { room, ...chatMessageSchema }),
  presence: describe('presence', 'server', {
    room,
    name: field.str('n'),
    kind: field.oneOf('k', Object.values(PresenceKind)),
  }),
  userTyping: describe('userTyping', 'server', {
    room,
    name: field.str('n'),
    active: field.bool('a'),
    ttlMs: field.uint('tl'),
  }),
  error: describe('error', 'server', {
    id: field.opt(id),
    code: field.u32('c'),
    message: field.str('m'),
    retryAfterMs: field.opt(field.uint('ra')),
  }),
});

/** Descriptors by wire type number. */
export const FRAMES_BY_CODE: ReadonlyMap<number, FrameDescriptor> = new Map(
  Object.values(FRAMES).map((d) => [d.code, d]),
);

/** Optional features a server may advertise in `welcome.capabilities`. */
export const Capability = {
  /** `history` requests are served. */
  HISTORY: 'history',
  /** `typing` is relayed as `userTyping`. */
  TYPING: 'typing',
  /** `join` with epoch and seq recovers gaps. */
  RESUME: 'resume',
  /** `login` requires a token in `hello`. */
  TOKEN_AUTH: 'auth.token',
} as const;
export type Capability = (typeof Capability)[keyof typeof Capability];
