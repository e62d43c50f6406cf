/**
 * The room logs of the fake server: entries of every kind with seqs 1, 2, 3…
 * in one epoch (`e1`), idempotent requests by user, room and clientId
 * [MSG-5, LOG-3], reactions that change nothing acknowledged with seq 0
 * [LOG-5], read markers per user, and folded records for `joined` and pages
 * [FOLD-1] built with the protocol's own `applyEntry`.
 */

import {
  type AckFrame,
  applyEntry,
  type ChatMessage,
  EntryKind,
  isMessage,
  nameKey,
  previewText,
  type RequestFrame,
} from '@kuykan/protocol';

type Change = Extract<RequestFrame, { type: 'send' | 'edit' | 'delete' | 'react' }>;
type Ack = Omit<AckFrame, 'id'>;

export const EPOCH = 'e1';

export class FakeLog {
  readonly #rooms = new Map<string, ChatMessage[]>();
  readonly #acks = new Map<string, Ack>();
  readonly #reactions = new Set<string>();
  readonly #markers = new Map<string, number>();
  #ts = 1_700_000_000_000;

  /** Every entry of a room, in seq order. */
  entries(room: string): ChatMessage[] {
    let log = this.#rooms.get(room);
    if (!log) {
      log = [];
      this.#rooms.set(room, log);
    }
    return log;
  }

  lastSeq(room: string): number {
    return this.entries(room).length;
  }

  /** Commits what a request asks (or finds its earlier ack); returns the ack and the entry to deliver, if any. */
  commit(user: string, frame: Change): { ack: Ack; entry?: ChatMessage } {
    const key = `${nameKey(user)}/${frame.room}/${frame.clientId}`;
    const earlier = this.#acks.get(key);
    if (earlier) return { ack: earlier };
    const fields: Partial<ChatMessage> = {};
    if (frame.type === 'send') {
      const original = frame.replyTo === undefined ? undefined : this.folded(frame.room, frame.replyTo);
      if (original)
        fields.reply = { messageId: original.messageId, from: original.from, text: previewText(original.text) };
      if (frame.mentions?.length) fields.mentions = frame.mentions;
    } else if (frame.type === 'edit') {
      Object.assign(fields, { kind: EntryKind.EDIT, target: frame.target });
      if (frame.mentions?.length) fields.mentions = frame.mentions;
    } else if (frame.type === 'delete') {
      Object.assign(fields, { kind: EntryKind.DELETE, target: frame.target });
    } else {
      const reaction = `${nameKey(user)}/${frame.target}/${frame.emoji}`;
      if (this.#reactions.has(reaction) === frame.on) {
        return { ack: { type: 'ack', room: frame.room, messageId: frame.target, seq: 0, ts: this.#ts } }; // LOG-5
      }
      if (frame.on) this.#reactions.add(reaction);
      else this.#reactions.delete(reaction);
      Object.assign(fields, {
        kind: frame.on ? EntryKind.REACT : EntryKind.UNREACT,
        target: frame.target,
        emoji: frame.emoji,
      });
    }
    const log = this.entries(frame.room);
    const entry: ChatMessage = {
      seq: log.length + 1,
      messageId: `m${log.length + 1}`,
      ts: ++this.#ts,
      from: user,
      text: 'text' in frame ? frame.text : '',
      clientId: frame.clientId,
      ...fields,
    };
    log.push(entry);
    const ack: Ack = { type: 'ack', room: frame.room, messageId: entry.messageId, seq: entry.seq, ts: entry.ts };
    this.#acks.set(key, ack);
    return { ack, entry };
  }

  /** A message's record with every later entry folded in [FOLD-1]; the preview of a reply follows its original [REPLY-3]. */
  folded(room: string, messageId: string, me?: string): ChatMessage | undefined {
    const log = this.entries(room);
    const message = log.find((e) => e.messageId === messageId && isMessage(e));
    if (!message) return undefined;
    const record: ChatMessage = structuredClone(message);
    for (const entry of log) applyEntry(record, entry, me);
    if (record.reply) {
      const original = this.folded(room, record.reply.messageId);
      if (original?.deleted) record.reply = { ...record.reply, text: '', deleted: true };
      else if (original) record.reply = { ...record.reply, text: previewText(original.text) };
    }
    return record;
  }

  /** The folded records of the messages with seq in (after, before), as `joined` and `page` carry them [FOLD-4]. */
  messages(room: string, me?: string, range: { after?: number; before?: number } = {}): ChatMessage[] {
    return this.entries(room)
      .filter((e) => isMessage(e) && e.seq > (range.after ?? 0) && e.seq < (range.before ?? Number.POSITIVE_INFINITY))
      .map((e) => this.folded(room, e.messageId, me)!);
  }

  /** The user's read marker in a room. */
  marker(user: string, room: string): number {
    return this.#markers.get(`${nameKey(user)}/${room}`) ?? 0;
  }

  /** Moves a read marker forward; returns whether it moved [READ-1]. */
  read(user: string, room: string, seq: number): boolean {
    if (seq <= this.marker(user, room)) return false;
    this.#markers.set(`${nameKey(user)}/${room}`, seq);
    return true;
  }

  /** Messages of others after the user's marker, and those mentioning them [READ-3]. */
  counts(user: string, room: string): { unread: number; mentions: number } {
    const unread = this.messages(room, user, { after: this.marker(user, room) }).filter(
      (m) => !m.deleted && nameKey(m.from) !== nameKey(user),
    );
    const mentions = unread.filter((m) => m.mentions?.some((name) => nameKey(name) === nameKey(user)));
    return { unread: unread.length, mentions: mentions.length };
  }
}
