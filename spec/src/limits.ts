/**
 * Limits of protocol versions 1 and 2 and their defaults (PROTOCOL.md §4 "Limits").
 *
 * A server advertises the limits it enforces in `welcome.limits`; clients
 * MUST use the advertised values, these defaults only say what the reference
 * server uses when it is not configured otherwise.
 *
 * @module
 */

/** The limits a server advertises in `welcome`. Every field is an integer. */
export interface Limits {
  /** Largest binary WebSocket message a client may send, in bytes. */
  maxFrameBytes: number;
  /** Longest message text, in Unicode code points. */
  maxTextLength: number;
  /** Longest user name, in code points (after normalization). */
  maxNameLength: number;
  /** Longest room name, in code points (after normalization). */
  maxRoomLength: number;
  /** Rooms one connection may be joined to at once. */
  maxRoomsPerConnection: number;
  /** Sustained `send` + `typing` rate per connection, in requests per second. */
  sendRate: number;
  /** Burst allowance of the send rate (token-bucket capacity). */
  sendBurst: number;
  /** Largest `limit` a `history` request may ask for. */
  historyPageMax: number;
  /** Messages sent in `joined` when a client joins without resuming. */
  joinRecent: number;
  /** Largest gap a resume can recover; beyond it `recovered` is false. */
  maxRecoverable: number;
  /** Interval at which clients SHOULD ping, in milliseconds. */
  heartbeatMs: number;
  /** Longest time a disconnected user stays listed as present, in milliseconds. */
  presenceGraceMs: number;
  /** How long a typing indication lasts unless refreshed, in milliseconds. */
  typingTtlMs: number;
  /**
   * Unsent bytes the server queues for one connection before closing it as a
   * slow consumer (4004) [SEC-1]. Optional on the wire: older servers omit it.
   */
  maxBufferedBytes?: number;
  /** Sustained `join` + `leave` requests per second per connection [LIMIT-8]. Optional on the wire. */
  joinRate?: number;
  /** Burst of the join rate (token-bucket capacity). */
  joinBurst?: number;
  /** Sustained `history` requests per second per connection [LIMIT-8]. Optional on the wire. */
  historyRate?: number;
  /** Burst of the history rate. */
  historyBurst?: number;
  /** Sustained `rooms` requests per second per connection [LIMIT-8]. Optional on the wire. */
  roomsRate?: number;
  /** Burst of the rooms rate. */
  roomsBurst?: number;
  /** Time from `welcome` within which a session must log in, in milliseconds [LOGIN-8]. */
  loginTimeoutMs?: number;
  /** Requests a connection may have waiting for their reply before the server stops reading [SEC-9]. */
  maxInFlight?: number;
  /** v2: names one message may mention [MENTION-1]. */
  maxMentions?: number;
  /** v2: distinct emoji one message may carry as reactions [REACT-3]. */
  maxReactions?: number;
  /** v2: how long after sending a message its author may edit it, in ms; 0 for no limit [EDIT-2]. */
  editWindowMs?: number;
  /** v2: files one message may carry [ATT-7]. */
  maxAttachments?: number;
  /** v2: largest file an `upload` may announce, in bytes [ATT-1]. */
  maxUploadBytes?: number;
  /** v2: sustained `upload` requests per second per user [ATT-1]. */
  uploadRate?: number;
  /** v2: burst of the upload rate. */
  uploadBurst?: number;
}

/** Reference defaults for {@link Limits}. */
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxFrameBytes: 32 * 1024,
  maxTextLength: 4000,
  maxNameLength: 32,
  maxRoomLength: 64,
  maxRoomsPerConnection: 32,
  sendRate: 10,
  sendBurst: 30,
  historyPageMax: 100,
  joinRecent: 50,
  maxRecoverable: 1000,
  heartbeatMs: 25_000,
  presenceGraceMs: 5_000,
  typingTtlMs: 6_000,
  maxBufferedBytes: 8 * 1024 * 1024,
  joinRate: 5,
  joinBurst: 40,
  historyRate: 20,
  historyBurst: 50,
  roomsRate: 2,
  roomsBurst: 10,
  loginTimeoutMs: 30_000,
  maxInFlight: 64,
  maxMentions: 20,
  maxReactions: 20,
  editWindowMs: 0,
  maxAttachments: 10,
  maxUploadBytes: 25 * 1024 * 1024,
  uploadRate: 1,
  uploadBurst: 10,
});

/**
 * Largest frame a server may send, in bytes. Server frames carry pages of up
 * to `historyPageMax` messages, so they are allowed to be larger than client
 * frames; clients MUST accept frames up to this size [WIRE-6].
 */
export const MAX_SERVER_FRAME_BYTES = 4 * 1024 * 1024;

/** Longest room epoch a server sends, in characters (PROTOCOL.md §13). */
export const MAX_EPOCH_LENGTH = 64;

/** The Unicode version whose character data the name, room and text rules use (PROTOCOL.md §6). */
export const UNICODE_VERSION = '17.0';

/** Longest client message id (`send.clientId`), in code points. */
export const MAX_CLIENT_ID_LENGTH = 64;

/** Time a server waits for `hello` after the WebSocket opens, in milliseconds. */
export const HELLO_TIMEOUT_MS = 10_000;

/** Largest request id; ids are unsigned 32-bit integers. */
export const MAX_REQUEST_ID = 0xffff_ffff;

/**
 * Deepest nesting the codec accepts. Frames are at most three levels deep
 * (frame → list → record); anything deeper is a malformed frame.
 */
export const MAX_DEPTH = 6;

/**
 * Most entries a MessagePack map of a frame may have [WIRE-8]. Frames have at
 * most 8 known keys; the cap bounds the work an unknown-key flood can cause.
 */
export const MAX_MAP_ENTRIES = 256;

/** Most items a MessagePack list of a frame may have [WIRE-8]. */
export const MAX_ARRAY_LENGTH = 100_000;

/**
 * Smallest value of each limit a server may advertise. Below these a limit
 * would refuse every request (a rate of 0) or spin (a heartbeat of 0 ms).
 */
export const LIMIT_MINIMUMS: Readonly<Limits> = Object.freeze({
  maxFrameBytes: 1024,
  maxTextLength: 1,
  maxNameLength: 1,
  maxRoomLength: 1,
  maxRoomsPerConnection: 1,
  sendRate: 1,
  sendBurst: 1,
  historyPageMax: 1,
  joinRecent: 0,
  maxRecoverable: 0,
  heartbeatMs: 1000,
  presenceGraceMs: 0,
  typingTtlMs: 1000,
  maxBufferedBytes: 64 * 1024,
  joinRate: 1,
  joinBurst: 1,
  historyRate: 1,
  historyBurst: 1,
  roomsRate: 1,
  roomsBurst: 1,
  loginTimeoutMs: 1000,
  maxInFlight: 1,
  maxMentions: 0,
  maxReactions: 1,
  editWindowMs: 0,
  maxAttachments: 1,
  maxUploadBytes: 1,
  uploadRate: 1,
  uploadBurst: 1,
});

/** Most code points of a reply preview and of a `mention` event's text [REPLY-2]. */
export const REPLY_PREVIEW_LENGTH = 100;

/** Names a reaction summary lists [FOLD-3]. */
export const REACTION_NAMES = 3;

/** Most rooms one `roomList` holds, and the default page size [ROOM-11]. */
export const ROOM_PAGE_MAX = 500;

/** Room names that begin with this are direct rooms [DM-3]. */
export const DIRECT_ROOM_PREFIX = '@';

/** Longest file name an `upload` may give, in code points [ATT-1]. */
export const MAX_FILE_NAME_LENGTH = 255;
