/**
 * @kuykan/sdk/model: the app model a chat UI draws — joined rooms, the active
 * room, messages in seq order with own and mention flags, unread and mention
 * counts, sends in flight, loading older history (with the retention floor),
 * drafts, and the rooms remembered per user. Views subscribe to `changed`
 * and redraw; they derive nothing themselves.
 *
 * @module
 */

// models
export type { ChatModelOptions, RestoreResult } from './chat-model.js';
export { ChatModel } from './chat-model.js';
export type { RoomModelOptions } from './room-model.js';
export { RoomModel } from './room-model.js';
// the rules they apply
export { isOwn, mentions } from './rules.js';
// storage
export type { ModelStorage } from './storage.js';
export { MemoryStorage, WebStorage } from './storage.js';
// records, events and the SDK parts the models use
export type {
  ChatChange,
  ChatChangeKind,
  ChatClient,
  ChatModelEvents,
  Invite,
  MessageRecord,
  PendingMessage,
  RoomChangeKind,
  RoomModelEvents,
  RoomSource,
} from './types.js';
