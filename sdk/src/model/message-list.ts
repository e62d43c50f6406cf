/**
 * A room's messages in seq order, each once, keyed by messageId, with the
 * read position and the unread and mention counts it implies. Pure data: the
 * room model feeds it; the property test checks it against a recount.
 *
 * In v2 the server counts too [READ-3]: unread messages older than the
 * oldest held one are not in the list, so the list keeps them as `hidden`
 * counts, from `joined`, until the read position passes them or a page
 * brings them in.
 *
 * @module
 */

import type { MessageRecord } from './types.js';

/** Counts toward `unread` (and `mentions`): someone else's message after the read position, not deleted [READ-3]. */
const counts = (record: MessageRecord, readSeq: number) => record.seq > readSeq && !record.own && !record.deleted;

/** @internal */
export class MessageList {
  #records: MessageRecord[] = [];
  readonly #byId = new Map<string, MessageRecord>();
  readonly #bySeq = new Map<number, MessageRecord>();
  #readSeq = 0;
  #unread = 0;
  #mentions = 0;
  /** Unread messages (and mentions) the server counted below the oldest held message. */
  #hidden = { unread: 0, mentions: 0 };

  /** Ascending seq, each seq and messageId once. */
  get records(): readonly MessageRecord[] {
    return this.#records;
  }

  get size(): number {
    return this.#records.length;
  }

  /** Messages up to this seq are read. */
  get readSeq(): number {
    return this.#readSeq;
  }

  /** Messages of others after `readSeq`. */
  get unread(): number {
    return this.#unread + this.#hidden.unread;
  }

  /** Of the unread messages, those that mention me. */
  get mentions(): number {
    return this.#mentions + this.#hidden.mentions;
  }

  /**
   * Takes in the server's counts of a `joined` (up to its `seq`) [READ-3]:
   * what they count beyond the held records is below the oldest one.
   */
  serverCounts(unread: number, mentions: number, upTo: number): void {
    let held = 0;
    let heldMentions = 0;
    for (const record of this.#records) {
      if (record.seq <= upTo && counts(record, this.#readSeq)) {
        held++;
        if (record.mentionsMe) heldMentions++;
      }
    }
    this.#hidden = { unread: Math.max(0, unread - held), mentions: Math.max(0, mentions - heldMentions) };
    this.forgetHidden();
  }

  /**
   * Hidden unread messages lie below the oldest held one: once that is read,
   * so are they; and when nothing older exists (`all`), they are gone.
   */
  forgetHidden(all = false): void {
    const oldest = this.oldestSeq;
    if (all || (oldest !== undefined && this.#readSeq >= oldest - 1)) this.#hidden = { unread: 0, mentions: 0 };
  }

  get oldestSeq(): number | undefined {
    return this.#records[0]?.seq;
  }

  get lastSeq(): number | undefined {
    return this.#records.at(-1)?.seq;
  }

  get(messageId: string): MessageRecord | undefined {
    return this.#byId.get(messageId);
  }

  /**
   * Adds the records not present yet (by messageId or seq) and returns them.
   * Live messages append; pages anywhere in the log are sorted in.
   */
  merge(records: readonly MessageRecord[]): MessageRecord[] {
    const added: MessageRecord[] = [];
    const oldest = this.oldestSeq ?? Number.POSITIVE_INFINITY;
    let sorted = true;
    for (const record of records) {
      if (this.#byId.has(record.messageId) || this.#bySeq.has(record.seq)) continue;
      const last = this.#records.at(-1);
      if (last && record.seq < last.seq) sorted = false;
      this.#records.push(record);
      this.#index(record);
      added.push(record);
      // A page brought in an unread message the server had counted as hidden.
      if (record.seq < oldest && counts(record, this.#readSeq)) {
        this.#hidden = {
          unread: Math.max(0, this.#hidden.unread - 1),
          mentions: Math.max(0, this.#hidden.mentions - (record.mentionsMe ? 1 : 0)),
        };
      }
    }
    if (!sorted) this.#records.sort((a, b) => a.seq - b.seq);
    this.forgetHidden();
    return added;
  }

  /** Replaces held records by messageId (an edit, a delete, a reaction); returns whether any was held. */
  update(records: readonly MessageRecord[]): boolean {
    let changed = false;
    for (const record of records) {
      const held = this.#byId.get(record.messageId);
      if (!held) continue;
      this.#records[this.#records.indexOf(held)] = record;
      this.#byId.set(record.messageId, record);
      this.#bySeq.set(record.seq, record);
      changed = true;
    }
    if (changed) this.#recount();
    return changed;
  }

  /** Replaces every record (a reset [RES-6]) and sets the read position. */
  replace(records: readonly MessageRecord[], readSeq: number): void {
    this.#records = [];
    this.#byId.clear();
    this.#bySeq.clear();
    this.#unread = 0;
    this.#mentions = 0;
    this.#hidden = { unread: 0, mentions: 0 };
    this.#readSeq = readSeq;
    this.merge(records);
  }

  /** Moves the read position forward to `seq` (never back); returns whether the counts or position changed. */
  markRead(seq: number): boolean {
    if (seq <= this.#readSeq) return false;
    this.#readSeq = seq;
    this.forgetHidden();
    this.#recount();
    return true;
  }

  /** Drops the oldest records beyond `max`, read ones only (unread ones stay countable); returns how many. */
  trim(max: number): number {
    let drop = 0;
    while (this.#records.length - drop > max && this.#records[drop]!.seq <= this.#readSeq) drop++;
    for (const record of this.#records.slice(0, drop)) {
      this.#byId.delete(record.messageId);
      this.#bySeq.delete(record.seq);
    }
    if (drop > 0) this.#records = this.#records.slice(drop);
    return drop;
  }

  #index(record: MessageRecord): void {
    this.#byId.set(record.messageId, record);
    this.#bySeq.set(record.seq, record);
    if (counts(record, this.#readSeq)) {
      this.#unread++;
      if (record.mentionsMe) this.#mentions++;
    }
  }

  /** Counts the records after the read position, from the newest back. */
  #recount(): void {
    this.#unread = 0;
    this.#mentions = 0;
    for (let i = this.#records.length - 1; i >= 0 && this.#records[i]!.seq > this.#readSeq; i--) {
      const record = this.#records[i]!;
      if (counts(record, this.#readSeq)) {
        this.#unread++;
        if (record.mentionsMe) this.#mentions++;
      }
    }
  }
}
