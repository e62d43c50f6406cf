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

/** What a quoted message shows: its current text, or that it was deleted. */
interface Quoted {
  messageId: string;
  text: string;
  deleted: boolean;
}

/** The quoted state of a message record. */
const quotedRecord = (original: ChatMessage): Quoted => ({
  messageId: original.messageId,
  text: original.text,
  deleted: !!original.deleted,
});

/** The quoted state an edit or delete entry leaves its target in (undefined for reactions). */
function quotedEntry(entry: ChatMessage): Quoted | undefined {
  if (entry.kind !== EntryKind.EDIT && entry.kind !== EntryKind.DELETE) return undefined;
  return { messageId: entry.target!, text: entry.text, deleted: entry.kind === EntryKind.DELETE };
}

/**
 * A new record of a reply whose preview shows `quoted`, the original's new
 * state [REPLY-2, REPLY-3]; undefined when it quotes another message or its
 * preview already shows that. A deletion is final.
 * @internal
 */
export function requote(reply: ChatMessage, quoted: Quoted | undefined): ChatMessage | undefined {
  const quote = reply.reply;
  if (!quoted || quote?.messageId !== quoted.messageId || quote.deleted) return undefined;
  if (quoted.deleted) return { ...reply, reply: { ...quote, text: '', deleted: true } };
  const text = previewText(quoted.text);
  return text === quote.text ? undefined : { ...reply, reply: { ...quote, text } };
}

/**
 * `record` after a change entry, folded when it is the entry's target and
 * requoted when it quotes the target; undefined when unchanged. For records
 * no live model holds (the app model's older pages). @internal
 */
export function changedBy(record: ChatMessage, entry: ChatMessage, me: string | undefined): ChatMessage | undefined {
  return record.messageId === entry.target ? fold(record, entry, me) : requote(record, quotedEntry(entry));
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

  /** The messages held, ascending seq. A new array after every change, the same one otherwise. */
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
   * changes nothing. Replies then quote their originals as held.
   */
  merge(records: readonly ChatMessage[]): void {
    const list = [...this.#list];
    let changed = false;
    for (const record of records) {
      const held = this.#byId.get(record.messageId);
      if (held && (record.revision ?? record.seq) <= (held.revision ?? held.seq)) continue;
      if (held) list[list.indexOf(held)] = record;
      else if (list.length && record.seq < list.at(-1)!.seq) list.splice(insertionPoint(list, record.seq), 0, record);
      else list.push(record);
      this.#byId.set(record.messageId, record);
      changed = true;
    }
    if (!changed) return;
    // The oldest go first: a page older than the newest `limit` is let go at once.
    for (const dropped of list.splice(0, Math.max(0, list.length - this.limit))) this.#byId.delete(dropped.messageId);
    this.#list = list;
    this.#requoteAll((reply) => {
      const original = this.#byId.get(reply.reply!.messageId);
      return original && quotedRecord(original);
    });
  }

  /** Applies a change entry to its target and to the replies quoting it. */
  apply(entry: ChatMessage, me: string | undefined): Applied {
    const held = entry.target === undefined ? undefined : this.#byId.get(entry.target);
    const message = held && fold(held, entry, me);
    if (message) {
      this.#list = this.#list.map((record) => (record === held ? message : record));
      this.#byId.set(message.messageId, message);
    }
    // A held original tells its state (an entry it already has must not take previews back);
    // of one not held, the entry tells what it says.
    const quoted = held ? message && quotedRecord(message) : quotedEntry(entry);
    return { message, replies: quoted ? this.#requoteAll(() => quoted) : [] };
  }

  /** Replaces the records of replies whose preview changes; returns them. */
  #requoteAll(quotedOf: (reply: ChatMessage) => Quoted | undefined): ChatMessage[] {
    const changed: ChatMessage[] = [];
    const list = this.#list.map((record) => {
      const next = record.reply && requote(record, quotedOf(record));
      if (!next) return record;
      changed.push(next);
      this.#byId.set(next.messageId, next);
      return next;
    });
    if (changed.length > 0) this.#list = list;
    return changed;
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
