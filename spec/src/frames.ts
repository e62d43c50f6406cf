/**
 * Every frame of protocol versions 1 and 2: its TypeScript interface and its
 * descriptor (wire type number, direction, reply, wire keys, and the version
 * that added it). PROTOCOL.md §3, §7–§14, §16 and §17 describe the same frames
 * for humans; `test/spec-sync.test.ts` keeps them in step.
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

/** Kinds of room log entries other than messages (§16.2); a message has no `kind`. */
export const EntryKind = { EDIT: 'edit', DELETE: 'delete', REACT: 'react', UNREACT: 'unreact' } as const;
export type EntryKind = (typeof EntryKind)[keyof typeof EntryKind];

/** What a reply shows of the message it answers (§16.7); follows the original's edits and deletion. */
export interface ReplyPreview {
  /** The original message's id. */
  messageId: string;
  /** The original's sender. */
  from: string;
  /** The start of the original's current text ("" when deleted), at most `REPLY_PREVIEW_LENGTH` code points. */
  text: string;
  /** The original was deleted. */
  deleted?: boolean;
}

/** One emoji's reactions on a message (§16.6). */
export interface Reaction {
  /** One RGI emoji. */
  emoji: string;
  /** Users who reacted with it (at least 1). */
  count: number;
  /** Names of the first `REACTION_NAMES` users who reacted with it, in reaction order. */
  names: string[];
  /** The requesting user reacted with it (only in `joined` and `page`). */
  me?: boolean;
}

/** A file attached to a message (§17). */
export interface Attachment {
  /** Unguessable file id. */
  fileId: string;
  /** Display name, sanitised by the server (never a path). */
  name: string;
  /** Size in bytes. */
  size: number;
  /** Media type sniffed from the bytes by the server. */
  mediaType: string;
  /** Pixel width and height, for images. */
  width?: number;
  height?: number;
  /** Signed, expiring URL reference of the file, resolved against the WebSocket origin. */
  url: string;
  /** Signed URL reference of a thumbnail, when one was made. */
  thumbUrl?: string;
}

/**
 * An entry of a room's log as stored and delivered (in `message`, `joined`
 * and `page`). Version 1 knows only messages; version 2 adds entries that
 * change a message (`kind`, §16.2) and the folded state of a message
 * (§16.3). Fields marked v2 are never sent to a version 1 session [VER-2].
 */
export interface ChatMessage {
  /** Position in the room's log: 1, 2, 3… within one epoch. */
  seq: number;
  /** Server-assigned id, unique per server deployment. */
  messageId: string;
  /** Server time the entry was committed, ms since the Unix epoch. */
  ts: number;
  /** Display name of the sender. */
  from: string;
  /** The message text ("" for a deleted message and for entries without text). */
  text: string;
  /** The sender's client id, so the sender can match its own entries. */
  clientId?: string;
  /** v2: the kind of a change entry; absent for a message. */
  kind?: EntryKind;
  /** v2: the message a change entry changes (its messageId). */
  target?: string;
  /** v2: the emoji of a `react` or `unreact` entry. */
  emoji?: string;
  /** v2: the message this one answers. */
  reply?: ReplyPreview;
  /** v2: normalized names the message mentions. */
  mentions?: string[];
  /** v2: files attached to the message. */
  attachments?: Attachment[];
  /** v2: the sender is a bot. */
  bot?: boolean;
  /** v2, folded: when the message was last edited (ms since the Unix epoch). */
  editedTs?: number;
  /** v2, folded: the message was deleted (its text, mentions, reactions and files are gone). */
  deleted?: boolean;
  /** v2, folded: reactions, one per emoji, in the order of each emoji's first reaction. */
  reactions?: Reaction[];
  /** v2, folded: seq of the last entry folded into this record; absent when none changed it [FOLD-2]. */
  revision?: number;
}

/** A room as listed by `roomList`. */
export interface RoomInfo {
  room: string;
  /** Users present (each user once, however many sessions). */
  members: number;
  /** Last seq in the room's current epoch (0 when empty). */
  seq: number;
  /** v2: for a direct room of the requesting user, the other member's name. */
  peer?: string;
}

const replyPreviewSchema: SchemaOf<ReplyPreview> = {
  messageId: field.str('m'),
  from: field.str('f'),
  text: field.str('x'),
  deleted: field.opt(field.bool('dl')),
};

const reactionSchema: SchemaOf<Reaction> = {
  emoji: field.str('e'),
  count: field.uint('n'),
  names: field.list('ns', 'str'),
  me: field.opt(field.bool('my')),
};

const attachmentSchema: SchemaOf<Attachment> = {
  fileId: field.str('id'),
  name: field.str('n'),
  size: field.uint('z'),
  mediaType: field.str('ty'),
  width: field.opt(field.uint('w')),
  height: field.opt(field.uint('h')),
  url: field.str('u'),
  thumbUrl: field.opt(field.str('tu')),
};

const chatMessageSchema: SchemaOf<ChatMessage> = {
  seq: field.uint('s'),
  messageId: field.str('m'),
  ts: field.uint('ts'),
  from: field.str('f'),
  text: field.str('x'),
  clientId: field.opt(field.str('c')),
  kind: field.v2(field.oneOf('k', Object.values(EntryKind))),
  target: field.v2(field.str('tg')),
  emoji: field.v2(field.str('em')),
  reply: field.v2(field.record('rp', replyPreviewSchema)),
  mentions: field.v2(field.list('mn', 'str')),
  attachments: field.v2(field.records('at', attachmentSchema)),
  bot: field.v2(field.bool('b')),
  editedTs: field.v2(field.uint('ed')),
  deleted: field.v2(field.bool('dl')),
  reactions: field.v2(field.records('rx', reactionSchema)),
  revision: field.v2(field.uint('rv')),
};

const roomInfoSchema: SchemaOf<RoomInfo> = {
  room: field.str('r'),
  members: field.uint('n'),
  seq: field.uint('s'),
  peer: field.v2(field.str('p')),
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
  maxMentions: field.v2(field.uint('mm')),
  maxReactions: field.v2(field.uint('mx')),
  editWindowMs: field.v2(field.uint('ew')),
  maxAttachments: field.v2(field.uint('ma')),
  maxUploadBytes: field.v2(field.uint('ub')),
  uploadRate: field.v2(field.uint('ur')),
  uploadBurst: field.v2(field.uint('uq')),
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
  /** v2: the user is a bot (fixed by the user's first session) [BOT-1]. */
  bot?: boolean;
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
  /** The text; v2: may be "" when `files` are attached. */
  text: string;
  /** v2: the messageId of the message this one answers [REPLY-1]. */
  replyTo?: string;
  /** v2: names the message mentions [MENTION-1]. */
  mentions?: string[];
  /** v2: ids of files uploaded for this room to attach [ATT-7]. */
  files?: string[];
}

/** v2: replaces the text of one of my messages (§16.4). */
export interface EditFrame {
  type: 'edit';
  id: number;
  room: string;
  /** The messageId of the message to edit. */
  target: string;
  clientId: string;
  text: string;
  /** Names the new text mentions (replaces the message's list). */
  mentions?: string[];
}

/** v2: deletes one of my messages (§16.5). */
export interface DeleteFrame {
  type: 'delete';
  id: number;
  room: string;
  target: string;
  clientId: string;
}

/** v2: adds (`on`) or removes my reaction with one emoji (§16.6). */
export interface ReactFrame {
  type: 'react';
  id: number;
  room: string;
  target: string;
  clientId: string;
  emoji: string;
  on: boolean;
}

/** v2: moves my read marker in a room forward to `seq` (§16.9). */
export interface ReadFrame {
  type: 'read';
  id: number;
  room: string;
  seq: number;
}

/** v2: opens (or finds) the direct room of me and one other user (§16.10). */
export interface DmFrame {
  type: 'dm';
  id: number;
  /** The other user's name. */
  name: string;
}

/** v2: asks for a slot to upload one file to a room (§17). */
export interface UploadFrame {
  type: 'upload';
  id: number;
  room: string;
  /** The file's name (for display only). */
  name: string;
  /** Exact size in bytes. */
  size: number;
  /** The media type the client believes the file has (the server sniffs the real one). */
  mediaType: string;
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

/** Lists rooms with members or messages, one page at a time (§9). */
export interface RoomsFrame {
  type: 'rooms';
  id: number;
  /** Only rooms whose name sorts after this one (the last room of the previous page) [ROOM-11]. */
  after?: string;
  /** Page size; at most `ROOM_PAGE_MAX`. Default: `ROOM_PAGE_MAX`. */
  limit?: number;
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
  /** v2: my read marker in this room (0 when none) [READ-3]. */
  readSeq?: number;
  /** v2: messages from others after my read marker [READ-3]. */
  unread?: number;
  /** v2: of those, the ones that mention me [READ-3]. */
  mentions?: number;
  /** v2: members that are bots [BOT-1]. */
  bots?: string[];
  /** v2: for a direct room, the other member's name [DM-5]. */
  peer?: string;
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
  /** Sorted by room name in code point order. */
  rooms: RoomInfo[];
  /** More rooms sort after the last one of this page [ROOM-11]. */
  more?: boolean;
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
  /** v2: the user is a bot [BOT-1]. */
  bot?: boolean;
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

/** v2: my read marker moved in a room, set by another session of mine (§16.9). */
export interface ReadMarkerFrame {
  type: 'readMarker';
  room: string;
  seq: number;
}

/** v2: a message mentions me in a room this session has not joined (§16.8). */
export interface MentionFrame {
  type: 'mention';
  room: string;
  seq: number;
  messageId: string;
  from: string;
  /** The start of the message, at most `REPLY_PREVIEW_LENGTH` code points. */
  text: string;
}

/** v2: answers `dm` with the direct room of the two users (§16.10). */
export interface DirectRoomFrame {
  type: 'directRoom';
  id: number;
  room: string;
  /** The other member's name. */
  name: string;
}

/** v2: answers `upload` with where and how to send the bytes (§17). */
export interface UploadSlotFrame {
  type: 'uploadSlot';
  id: number;
  /** URL reference for the `PUT`, resolved against the WebSocket origin. */
  url: string;
  /** Bearer token for the `PUT`. */
  token: string;
  /** When the slot expires, ms since the Unix epoch. */
  expires: number;
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
  | PingFrame
  | EditFrame
  | DeleteFrame
  | ReactFrame
  | ReadFrame
  | DmFrame
  | UploadFrame;

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
  | ReadMarkerFrame
  | MentionFrame
  | DirectRoomFrame
  | UploadSlotFrame
  | ErrorFrame;

/** Any frame of protocol versions 1 and 2. */
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
  edit: AckFrame;
  delete: AckFrame;
  react: AckFrame;
  read: OkFrame;
  dm: DirectRoomFrame;
  upload: UploadSlotFrame;
}

/** Server frames that are not replies: pushed as things happen. */
export type EventFrame = MessageFrame | PresenceFrame | UserTypingFrame | ReadMarkerFrame | MentionFrame;

// ---------------------------------------------------------------- descriptors

/** Wire type numbers. 1–15 client → server, 16–31 server → client; 10–15 and 27–30 are v2's. */
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
  edit: 10,
  delete: 11,
  react: 12,
  read: 13,
  dm: 14,
  upload: 15,
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
  readMarker: 27,
  mention: 28,
  directRoom: 29,
  uploadSlot: 30,
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
  /** The protocol version that added the frame type: a session of an older version does not know it [VER-3]. */
  readonly since: number;
}

const id = field.u32('i');
const room = field.str('r');
const clientId = field.str('c');
const target = field.str('tg');

function describe<T extends FrameTypeName>(
  name: T,
  direction: Direction,
  fields: SchemaOf<FrameOf<T>>,
  reply?: FrameTypeName,
  since = 1,
): FrameDescriptor {
  return Object.freeze({ name, code: FrameType[name], direction, reply, fields: Object.freeze(fields), since });
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
    { id, name: field.opt(field.str('n')), key: field.opt(field.str('k')), bot: field.v2(field.bool('b')) },
    'loggedIn',
  ),
  join: describe(
    'join',
    'client',
    { id, room, epoch: field.opt(field.str('e')), seq: field.opt(field.uint('s')) },
    'joined',
  ),
  leave: describe('leave', 'client', { id, room }, 'ok'),
  send: describe(
    'send',
    'client',
    {
      id,
      room,
      clientId,
      text: field.str('x'),
      replyTo: field.v2(field.str('rt')),
      mentions: field.v2(field.list('mn', 'str')),
      files: field.v2(field.list('fl', 'str')),
    },
    'ack',
  ),
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
  rooms: describe(
    'rooms',
    'client',
    { id, after: field.opt(field.str('a')), limit: field.opt(field.uint('l')) },
    'roomList',
  ),
  typing: describe('typing', 'client', { id, room, active: field.bool('a') }, 'ok'),
  ping: describe('ping', 'client', { id }, 'pong'),
  edit: describe(
    'edit',
    'client',
    { id, room, target, clientId, text: field.str('x'), mentions: field.opt(field.list('mn', 'str')) },
    'ack',
    2,
  ),
  delete: describe('delete', 'client', { id, room, target, clientId }, 'ack', 2),
  react: describe(
    'react',
    'client',
    { id, room, target, clientId, emoji: field.str('em'), on: field.bool('a') },
    'ack',
    2,
  ),
  read: describe('read', 'client', { id, room, seq: field.uint('s') }, 'ok', 2),
  dm: describe('dm', 'client', { id, name: field.str('n') }, 'directRoom', 2),
  upload: describe(
    'upload',
    'client',
    { id, room, name: field.str('n'), size: field.uint('z'), mediaType: field.str('ty') },
    'uploadSlot',
    2,
  ),
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
    readSeq: field.v2(field.uint('rd')),
    unread: field.v2(field.uint('un')),
    mentions: field.v2(field.uint('mc')),
    bots: field.v2(field.list('bt', 'str')),
    peer: field.v2(field.str('p')),
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
  roomList: describe('roomList', 'server', {
    id,
    rooms: field.records('rs', roomInfoSchema),
    more: field.opt(field.bool('mo')),
  }),
  pong: describe('pong', 'server', { id }),
  message: describe('message', 'server', { room, ...chatMessageSchema }),
  presence: describe('presence', 'server', {
    room,
    name: field.str('n'),
    kind: field.oneOf('k', Object.values(PresenceKind)),
    bot: field.v2(field.bool('b')),
  }),
  userTyping: describe('userTyping', 'server', {
    room,
    name: field.str('n'),
    active: field.bool('a'),
    ttlMs: field.uint('tl'),
  }),
  readMarker: describe('readMarker', 'server', { room, seq: field.uint('s') }, undefined, 2),
  mention: describe(
    'mention',
    'server',
    { room, seq: field.uint('s'), messageId: field.str('m'), from: field.str('f'), text: field.str('x') },
    undefined,
    2,
  ),
  directRoom: describe('directRoom', 'server', { id, room, name: field.str('n') }, undefined, 2),
  uploadSlot: describe(
    'uploadSlot',
    'server',
    { id, url: field.str('u'), token: field.str('tk'), expires: field.uint('ex') },
    undefined,
    2,
  ),
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
  /** v2: `upload` and attachments are served (§17). */
  FILES: 'files',
} as const;
export type Capability = (typeof Capability)[keyof typeof Capability];
