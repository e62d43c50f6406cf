/**
 * What the terminal reads of a room beyond the app model: the SDK room's
 * live state (protocol v2). `RoomModel` keeps the list of messages (paging,
 * own, unread), but not their changes: an edit, delete or reaction replaces
 * a message only in the SDK room's live model (`room.timeline`). A message
 * is drawn in its current state, taken from there when the room holds it.
 *
 * @module
 */
import { nameKey } from '@kuykan/protocol';
import type { ChatMessage, Room } from '@kuykan/sdk';
import type { MessageRecord, RoomModel } from '@kuykan/sdk/model';

/** The SDK room a model follows: `RoomModel.room` is typed by what the model needs, and is the SDK's `Room`. */
export function sdkRoom(model: RoomModel): Room {
  return model.room as unknown as Room;
}

/** A message as drawn: its current state and what the model and the terminal know of it. */
export interface ShownMessage extends Readonly<ChatMessage> {
  readonly own: boolean;
  /** Mentions me: `@me` in the text (the model's rule), my name in its `mentions` (v2). */
  readonly mentionsMe: boolean;
}

const overlays = new WeakMap<RoomModel, { messages: unknown; timeline: unknown; shown: readonly ShownMessage[] }>();

/**
 * The model's messages in their current state. The same array while neither
 * the model's list nor the room's live model changed, and the same record
 * objects for unchanged messages (the log caches lines by record).
 */
export function currentMessages(model: RoomModel, me: string | undefined): readonly ShownMessage[] {
  const room = sdkRoom(model);
  const { messages } = model;
  const timeline = room.timeline;
  const cached = overlays.get(model);
  if (cached && cached.messages === messages && cached.timeline === timeline) return cached.shown;
  const key = me === undefined ? undefined : nameKey(me);
  const shown = messages.map((record) => current(record, room.message(record.messageId), key));
  overlays.set(model, { messages, timeline, shown });
  return shown;
}

const merged = new WeakMap<MessageRecord, WeakMap<ChatMessage, ShownMessage>>();

/** The record in the live state `live` (when the room holds it), with v2 mentions: one object per pair, kept. */
function current(record: MessageRecord, live: ChatMessage | undefined, me: string | undefined): ShownMessage {
  const state = live ?? record;
  const listed = me !== undefined && !!state.mentions?.some((name) => nameKey(name) === me);
  if (state === record && (record.mentionsMe || !listed)) return record;
  let byState = merged.get(record);
  if (!byState) {
    byState = new WeakMap();
    merged.set(record, byState);
  }
  let shown = byState.get(state);
  if (!shown) {
    shown = { ...state, own: record.own, mentionsMe: record.mentionsMe || listed };
    byState.set(state, shown);
  }
  return shown;
}
