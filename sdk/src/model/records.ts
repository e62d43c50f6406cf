/**
 * The records a room model keeps: a room's message with what the model
 * derives (own, mentions me), and the records a v2 change entry replaces.
 *
 * @module
 */

import type { ChatMessage } from '@kuykan/protocol';
import { changedBy } from '../live-messages.js';
import { isOwn, mentions } from './rules.js';
import type { MessageRecord, RoomSource } from './types.js';

/** @internal */
export class Records {
  readonly #room: RoomSource;
  readonly #me: () => string | undefined;
  readonly #sent: ReadonlySet<string>;

  /** @param sent clientIds this client is sending: a message carrying one is mine */
  constructor(room: RoomSource, me: () => string | undefined, sent: ReadonlySet<string>) {
    this.#room = room;
    this.#me = me;
    this.#sent = sent;
  }

  /**
   * The record of a message: v2 tells mentions by the message's list (or a
   * direct room) [MENTION-1, MENTION-4], v1 by the text rule.
   */
  make(message: ChatMessage): MessageRecord {
    // Spread, so fields a newer protocol adds stay on the record; `room` is the event's, not the message's.
    const { room: _room, ...fields } = message as ChatMessage & { room?: string };
    const me = this.#me();
    const own = isOwn(message, me, this.#sent);
    const mentionsMe = this.#room.version > 1 ? !own && this.#room.mentionsMe(message) : mentions(message.text, me);
    return { ...fields, own, mentionsMe };
  }

  /**
   * v2: the new records of those in `records` that a change entry changes —
   * its target, and for an edit or delete the replies quoting it [REPLY-3].
   * They are the room's live records; one the room no longer holds (older
   * than its live model) is folded here with the same rule.
   */
  changed(records: readonly MessageRecord[], entry: ChatMessage): MessageRecord[] {
    const quotes = entry.kind === 'edit' || entry.kind === 'delete';
    return records.flatMap((record) => {
      if (record.messageId !== entry.target && !(quotes && record.reply?.messageId === entry.target)) return [];
      const next = this.#room.message(record.messageId) ?? changedBy(record, entry, this.#me());
      return next ? [this.make(next)] : [];
    });
  }
}
