/**
 * @kuykan/protocol — Kuykan protocol versions 1 and 2: frames, codes, limits, rules and codec.
 *
 * @module
 */

export type { DecodeOptions } from './codec.js';
// codec
export { DEFAULT_SERVER_DECODE, decodeFrame, encodeFrame } from './codec.js';
export type { CheckedMentions } from './entries.js';
// v2 log rules (reactions, previews, mentions, direct rooms, folding)
export {
  applyEntry,
  isDirectRoom,
  isMessage,
  previewText,
  validateMentions,
  validateReaction,
} from './entries.js';
// errors and close codes
export {
  CLOSE_ADVICE,
  CloseCode,
  closeAdvice,
  ERROR_CODE_NAMES,
  ErrorCode,
  isRetryable,
  ProtocolError,
  ReconnectAdvice,
} from './errors.js';
export type {
  AckFrame,
  Attachment,
  ChatMessage,
  ClientFrame,
  DeleteFrame,
  Direction,
  DirectRoomFrame,
  DmFrame,
  EditFrame,
  ErrorFrame,
  EventFrame,
  Frame,
  FrameDescriptor,
  FrameOf,
  FrameTypeName,
  HelloFrame,
  HistoryFrame,
  JoinedFrame,
  JoinFrame,
  LeaveFrame,
  LoggedInFrame,
  LoginFrame,
  MentionFrame,
  MessageFrame,
  OkFrame,
  PageFrame,
  PingFrame,
  PongFrame,
  PresenceFrame,
  ReactFrame,
  Reaction,
  ReadFrame,
  ReadMarkerFrame,
  ReplyMap,
  ReplyPreview,
  RequestFrame,
  RoomInfo,
  RoomListFrame,
  RoomsFrame,
  SendFrame,
  ServerFrame,
  TypingFrame,
  UploadFrame,
  UploadSlotFrame,
  UserTypingFrame,
  WelcomeFrame,
} from './frames.js';
// frames
export { Capability, EntryKind, FRAMES, FRAMES_BY_CODE, FrameType, LIMITS_SCHEMA, PresenceKind } from './frames.js';
export { resolveLimits } from './limit-overrides.js';
export type { Limits } from './limits.js';
// limits
export {
  DEFAULT_LIMITS,
  DIRECT_ROOM_PREFIX,
  HELLO_TIMEOUT_MS,
  LIMIT_MINIMUMS,
  MAX_ARRAY_LENGTH,
  MAX_CLIENT_ID_LENGTH,
  MAX_DEPTH,
  MAX_EPOCH_LENGTH,
  MAX_FILE_NAME_LENGTH,
  MAX_MAP_ENTRIES,
  MAX_REQUEST_ID,
  MAX_SERVER_FRAME_BYTES,
  REACTION_NAMES,
  REPLY_PREVIEW_LENGTH,
  ROOM_PAGE_MAX,
  UNICODE_VERSION,
} from './limits.js';
export type { Checked } from './names.js';
// name, room and text rules
export {
  codePointLength,
  mixedScriptProblem,
  nameKey,
  normalizeName,
  normalizeRoom,
  validateClientId,
  validateName,
  validateRoom,
  validateText,
} from './names.js';
export type { FieldKind, FieldSpec, RecordSchema, ScalarKind, SchemaOf } from './schema.js';
// schema language of the descriptors
export { convertRecord, field, SchemaViolation } from './schema.js';
// version and transport
export { PROTOCOL_VERSION, SUBPROTOCOL, SUPPORTED_VERSIONS, subprotocolFor } from './version.js';
