/**
 * The live message model of a room (v2): each message's current state by
 * messageId, kept from folded records (`joined`, pages, resume gaps) and
 * change entries, so bots and views never fold events themselves. Folding is
 * the protocol's `applyEntry` [FOLD-2]; this adds what a holder of many
 * records needs: records are replaced, never changed, once handed out; reply
 * previews follow their original's edits and deletion [REPLY-3]; and only the
 * newest `limit` messages are kept.
 *
 * @module
 */

import { applyEntry, type ChatMessage, EntryKind, previewText } from '@kuykan/protocol';

/**
 * A new record: `record` with the change `entry` applied [FOLD-2, FOLD-3],
 * or undefined when the entry does not apply (another target, or not newer
 * than the record's revision). `record` itself is left as it was.
 * @internal
 */
export function fold(record: ChatMessage, entry: ChatMessage, me: string | undefined): ChatMessage | undefined {
  const next = { ...record, reactions: record.reactions?.map((r) => ({ ...r, names: [...r.names] })) };
  if (!next.reactions) delete next.reactions;
  return applyEntry(next, entry, me) ? next : undefined;
}

/**
 * A new record of a reply whose original `entry` edits or deletes, its
 * preview showing the original's new state [REPLY-3]; undefined when it
 * quotes another message or nothing changes.
 * @internal
 */
export function followQuote(reply: ChatMessage, entry: ChatMessage): ChatMessage | undefined {
  const quote = reply.reply;
  if (!quote || quote.messageId !== entry.target || quote.deleted) return undefined;
  if (entry.kind === EntryKind.DELETE) return { ...reply, reply: { ...quote, text: '', deleted: true } };
  if (entry.kind !== EntryKind.EDIT) return undefined;
  const text = previewText(entry.text);
  return text === quote.text ? undefined : { ...reply, reply: { ...quote, text } };
}

/** What applying one change entry did. @internal */
export interface Applied {
  /** The target's new record (undefined when not held or unchanged). */
  message: ChatMessage | undefined;
  /** Held replies whose preview changed. */
  replies: ChatMessage[];
}

/** @internal the Room's live model; read through `room.timeline` and `room.message(id)`. */
export class LiveMessages {
  #list: ChatMessage[] = [];
  readonly #byId = new Map<string, ChatMessage>();

  /** @param limit messages kept: the newest by seq. */
  constructor(readonly limit: number) {}

  /** The messages held, ascending seq. A new array after every change. */
  get list(): readonly ChatMessage[] {
    return this.#list;
  }

  get(messageId: string): ChatMessage | undefined {
    return this.#byId.get(messageId);
  }

  /**
   * Adds message records (live, from `joined`, a page or a gap). A record
   * already held is replaced only by a newer state of it: a higher revision
   * [FOLD-2], so a page served before an entry that was already applied
   * changes nothing.
   */
  merge(records: readonly ChatMessage[]): void {
    let list = this.#list;
    for (const record of records) {
      const held = this.#byId.get(record.messageId);
      if (held && (record.revision ?? record.seq) <= (held.revision ?? held.seq)) continue;
      if (list === this.#list) list = [...list];
      if (held) list[list.indexOf(held)] = record;
      else if (list.length && record.seq < list.at(-1)!.seq) list.splice(insertionPoint(list, record.seq), 0, record);
      else list.push(record);
      this.#byId.set(record.messageId, record);
    }
    // The oldest go first: a page older than the newest `limit` is let go at once.
    for (const dropped of list.splice(0, Math.max(0, list.length - this.limit))) this.#byId.delete(dropped.messageId);
    this.#list = list;
  }

  /** Applies a change entry to its target and to the replies quoting it. */
  apply(entry: ChatMessage, me: string | undefined): Applied {
    const held = entry.target === undefined ? undefined : this.#byId.get(entry.target);
    const message = held && fold(held, entry, me);
    const replies: ChatMessage[] = [];
    const list = this.#list.map((record) => {
      if (record === held) return message ?? record;
      const reply = followQuote(record, entry);
      if (!reply) return record;
      replies.push(reply);
      return reply;
    });
    if (message || replies.length > 0) {
      for (const record of [...replies, ...(message ? [message] : [])]) this.#byId.set(record.messageId, record);
      this.#list = list;
    }
    return { message, replies };
  }

  /** Forgets every record (a reset [RES-6]). */
  clear(): void {
    this.#list = [];
    this.#byId.clear();
  }
}

/** Where a record of `seq` goes in an ascending list (binary search). */
function insertionPoint(list: readonly ChatMessage[], seq: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (list[mid]!.seq < seq) low = mid + 1;
    else high = mid;
  }
  return low;
}
