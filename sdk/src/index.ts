/**
 * @kuykan/sdk core, platform-neutral: the entry points `node.ts` and
 * `browser.ts` supply the WebSocket and re-export this.
 *
 * @module
 */

export type { Attachment, ChatMessage, Limits, Reaction, ReplyPreview, RoomInfo } from '@kuykan/protocol';
export { CloseCode, ErrorCode, ProtocolError } from '@kuykan/protocol';
// client and rooms
export { KuykanClient } from './client.js';
// numeric reasons of state changes
export { StateCode } from './codes.js';
export type { ClientErrorCode } from './errors.js';

// errors (server refusals are ProtocolErrors carrying protocol codes)
export { ClientError } from './errors.js';
export { backoff } from './reconnect.js';
export { Room } from './room.js';
export type { SocketLike, WebSocketConstructor } from './transport.js';
// types
export type {
  Ack,
  ChangeContext,
  ClientEvents,
  ClientOptions,
  ClientState,
  FileAck,
  FileData,
  HistoryPage,
  MentionContext,
  MessageContext,
  OutgoingContext,
  OutgoingStatus,
  PresenceContext,
  ReactionContext,
  RoomEvents,
  SendFileOptions,
  SendOptions,
  StateContext,
  StateReason,
  TypingContext,
  UploadedFile,
  UploadProgress,
} from './types.js';
export { SDK_VERSION } from './version.js';
