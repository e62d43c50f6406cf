/**
 * Types of the app model: the records a view draws, the context objects its
 * events carry, and the parts of the SDK the model needs (structural, so a
 * test can drive the model without a server).
 *
 * @module
 */

import type { ChatMessage } from '@kuykan/protocol';
import type {
  Ack,
  ClientEvents,
  HistoryPage,
  MentionContext,
  OutgoingStatus,
  PresenceContext,
  RoomEvents,
  SendOptions,
} from '../types.js';
import type { RoomModel } from './room-model.js';

/**
 * A message as the model keeps it: the room's live record (v2: its current
 * state after edits, deletion, reactions, with its reply preview) plus what
 * the model derived. One record per messageId, replaced by a new one when
 * the message changes; a view only reads it.
 */
export interface MessageRecord extends Readonly<ChatMessage> {
  /** Sent by this user: same `nameKey` as my name, or a clientId this model sent. */
  readonly own: boolean;
  /**
   * Mentions me. Version 2: my name is in its `mentions`, or it is the other
   * member's message in a direct room. Version 1: `@` + my name as a whole
   * word, compared by `nameKey`.
   */
  readonly mentionsMe: boolean;
}

/**
 * v2: a room this user has not joined in which someone mentioned them
 * [MENTION-2]: a view shows it as an invitation with a badge; joining it
 * (`chatModel.join(invite.room)`) turns it into a room.
 */
export interface Invite {
  readonly room: string;
  /** For a direct room: the other member (the one who wrote). */
  readonly peer: string | undefined;
  /** Mentions received since the model started (or the room was last read elsewhere). */
  readonly mentions: number;
  /** The latest mention. */
  readonly latest: MentionContext;
  /** When it arrived, ms since the Unix epoch (local clock); `invites` lists the latest first. */
  readonly receivedTs: number;
}

/** A message this client is sending and the server has not confirmed yet (or refused). */
export interface PendingMessage {
  readonly clientId: string;
  readonly text: string;
  readonly status: Exclude<OutgoingStatus, 'sent'>;
  /** For `failed`: why (a ProtocolError or ClientError). */
  readonly error?: unknown;
  /** When it was first queued, ms since the Unix epoch (local clock). */
  readonly ts: number;
}

/** What changed in a room model; a view redraws the parts it shows. */
export type RoomChangeKind =
  /** `messages` (added, replaced by a reset, trimmed). */
  | 'messages'
  /** `pending` (a send queued, confirmed, failed, discarded). */
  | 'pending'
  /** `unread`, `mentions` or `readSeq`. */
  | 'unread'
  /** `members`. */
  | 'members'
  /** `typing`. */
  | 'typing'
  /** `hasOlder`, `loadingOlder` or `retentionFloor`. */
  | 'older'
  /** `draft`. */
  | 'draft'
  /** v2: `bots`. */
  | 'bots';

/** Events of a `RoomModel`; every listener gets one context object. */
export type RoomModelEvents = {
  /** After any change, once per cause, listing what changed. */
  changed: (ctx: { changes: readonly RoomChangeKind[] }) => void;
  /** A new message arrived live (or in a resumed gap), after it was added; not for history pages. */
  message: (ctx: { message: MessageRecord; unread: boolean }) => void;
  /** A user joined or left (`members` already updated). */
  presence: (ctx: PresenceContext) => void;
  /** After a reconnect the gap was recovered; its messages were added (and announced) one by one. */
  resumed: (ctx: { messages: readonly MessageRecord[] }) => void;
  /** The gap could not be recovered [RES-6]: the list was replaced by `messages`. */
  reset: (ctx: { messages: readonly MessageRecord[]; epochChanged: boolean }) => void;
  /** A listener threw, or a background request (catching up) failed. */
  error: (ctx: { error: unknown }) => void;
};

/** What a `ChatModel` changed besides its rooms' own changes. */
export type ChatChangeKind =
  /** `rooms` (joined, left, restored). */
  | 'rooms'
  /** `active`. */
  | 'active'
  /** `unread` or `mentions` (totals over rooms): a room's counts changed (with `room`), or a room was left. */
  | 'unread'
  /** `visible`. */
  | 'visible'
  /** One room changed: see `room` and `roomChanges`. */
  | 'room'
  /** v2: `invites` (a mention in a room not joined, or one joined or read elsewhere). */
  | 'invites';

/** Context of `ChatModel`'s `changed` event. */
export interface ChatChange {
  changes: readonly ChatChangeKind[];
  /** With `room`: the room that changed. */
  room?: RoomModel;
  /** With `room`: what changed in it. */
  roomChanges?: readonly RoomChangeKind[];
}

/** Events of a `ChatModel`: its own changes, every room's changes, and new messages in any room. */
export type ChatModelEvents = {
  /** After any change of the model or of one of its rooms. */
  changed: (ctx: ChatChange) => void;
  /** A new message in any room (see `RoomModelEvents.message`): for notifications. */
  message: (ctx: { room: RoomModel; message: MessageRecord; unread: boolean }) => void;
  /** v2: someone mentioned me in a room I have not joined (it is in `invites`): for notifications. */
  mention: (ctx: { invite: Invite; mention: MentionContext }) => void;
  /** A listener threw, or a background request failed. */
  error: (ctx: { error: unknown }) => void;
};

/**
 * What the room model needs of a joined room: the SDK's `Room` has all of it.
 * Declared structurally so the model can be tested against a scripted room.
 */
export interface RoomSource {
  readonly name: string;
  readonly epoch: string;
  /** Last seq delivered. */
  readonly seq: number;
  /** The session's protocol version. */
  readonly version: number;
  /** Messages of the latest `joined`. */
  readonly recent: readonly ChatMessage[];
  readonly members: readonly string[];
  readonly typingUsers: readonly string[];
  /** v2: members that are bots. */
  readonly bots: readonly string[];
  /** v2: the other member of a direct room. */
  readonly peer: string | undefined;
  /** v2: my read marker. */
  readonly readSeq: number;
  /** v2: the server's counts in the latest `joined`. */
  readonly joinCounts: { readonly seq: number; readonly unread: number; readonly mentions: number };
  /** The live record of a message, when the room holds it. */
  message(messageId: string): ChatMessage | undefined;
  /** v2: whether a message mentions me (its `mentions`, or a direct room's other member). */
  mentionsMe(message: ChatMessage): boolean;
  on<E extends keyof RoomEvents>(event: E, listener: RoomEvents[E]): unknown;
  off<E extends keyof RoomEvents>(event: E, listener: RoomEvents[E]): unknown;
  history(query: { before?: number; after?: number; limit?: number }): Promise<HistoryPage>;
  send(text: string, options?: SendOptions): Promise<Ack>;
  edit(messageId: string, text: string, options?: { mentions?: string[] }): Promise<Ack>;
  delete(messageId: string): Promise<Ack>;
  react(messageId: string, emoji: string): Promise<Ack>;
  unreact(messageId: string, emoji: string): Promise<Ack>;
  /** v2: moves my read marker (coalesced by the room). */
  markRead(seq?: number): Promise<void>;
  /** Tells the room this user is typing (throttled) or stopped. */
  typing(active?: boolean): void;
  leave(): Promise<void>;
}

/** What the chat model needs of a client: `KuykanClient` has all of it. */
export interface ChatClient {
  /** The name logged in with (undefined before login). */
  readonly name: string | undefined;
  /** The server's limits, once connected. */
  readonly limits?: { readonly historyPageMax: number } | undefined;
  join(room: string): Promise<RoomSource>;
  /** v2: opens and joins my direct room with a user. */
  directRoom?(name: string): Promise<RoomSource>;
  on?<E extends 'mention' | 'read'>(event: E, listener: ClientEvents[E]): unknown;
  off?<E extends 'mention' | 'read'>(event: E, listener: ClientEvents[E]): unknown;
}
