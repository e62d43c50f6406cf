/**
 * A scripted room for model tests: a server log with a retention floor,
 * events emitted the way `Room` emits them, and history requests that stay
 * pending until the test answers them (so answers can interleave with live
 * messages and resets).
 *
 * With `version = 2` the log also holds edits, deletes and reactions, the
 * room keeps a live model (the SDK's own `LiveMessages`) and emits `edit`,
 * `delete` and `reaction`, pages carry folded records, and `joined` counts
 * (read marker, unread, mentions) come from the log as a server counts them.
 */
import { applyEntry, type ChatMessage, type EntryKind, isMessage, nameKey } from '@kuykan/protocol';
import { Emitter } from '../src/emitter.js';
import { LiveMessages } from '../src/live-messages.js';
import type { RoomSource } from '../src/model/types.js';
import type { Ack, HistoryPage, OutgoingContext, RoomEvents, SendOptions } from '../src/types.js';

interface Request {
  query: { before?: number; after?: number; limit?: number };
  /** The log and floor when asked: an answer after a reset describes the old log. */
  log: ChatMessage[];
  floor: number;
  resolve(page: HistoryPage): void;
}

/** Messages sent with `joined`, as the server's `joinRecent`. */
const JOIN_RECENT = 3;

export class FakeRoom extends Emitter<RoomEvents> implements RoomSource {
  epoch = 'e1';
  /** Last seq delivered. */
  seq = 0;
  version = 1;
  /** Whose room this is (for `mentionsMe` and counts). */
  me = 'Somchai';
  recent: ChatMessage[] = [];
  members: string[] = [];
  typingUsers: string[] = [];
  bots: string[] = [];
  peer: string | undefined;
  /** My read marker as the server holds it. */
  readSeq = 0;
  joinCounts = { seq: 0, unread: 0, mentions: 0 };
  /** The server's log of this epoch; `log[n].seq === n + 1`. */
  log: ChatMessage[] = [];
  /** Lowest retained seq [HIST-6]. */
  floor = 1;
  readonly requests: Request[] = [];
  sent: { text: string; clientId?: string }[] = [];
  /** `read` requests the model made. */
  reads: number[] = [];
  /** The room's live model; a small limit makes the app model hold records it no longer has. */
  live = new LiveMessages(1000);
  private epochs = 1;
  private ids = 0;

  constructor(readonly name = 'fake') {
    super();
  }

  /** Commits a message to the log without delivering it. */
  commit(from: string, text: string, clientId?: string, fields: Partial<ChatMessage> = {}): ChatMessage {
    const message: ChatMessage = {
      seq: this.log.length + 1,
      messageId: `${this.epoch}-m${++this.ids}`,
      ts: 1_700_000_000_000 + this.ids,
      from,
      text,
      ...(clientId === undefined ? {} : { clientId }),
      ...fields,
    };
    this.log.push(message);
    return message;
  }

  /** v2: commits a change entry (edit, delete, react, unreact) of a message without delivering it. */
  change(from: string, kind: EntryKind, target: string, fields: Partial<ChatMessage> = {}): ChatMessage {
    return this.commit(from, '', undefined, { kind, target, ...fields });
  }

  /** The record of a message as the server folds it now [FOLD-1]. */
  folded(message: ChatMessage, log = this.log): ChatMessage {
    const record = structuredClone(message);
    for (const entry of log) applyEntry(record, entry, this.me);
    return record;
  }

  /** Delivers the next committed entries, in order, as live events. */
  deliverAll(): ChatMessage[] {
    const gap = this.log.slice(this.seq);
    for (const entry of gap) this.redeliver(entry);
    return gap.filter(isMessage);
  }

  /** Emits the events of an entry (again, when it was delivered before), as `Room` does. */
  redeliver(entry: ChatMessage): void {
    this.seq = Math.max(this.seq, entry.seq);
    const own = nameKey(entry.from) === nameKey(this.me);
    if (isMessage(entry)) {
      this.live.merge([entry]);
      const message = this.live.get(entry.messageId) ?? entry;
      this.emit('message', { message: { ...message, room: this.name }, own, mentionsMe: this.mentionsMe(message) });
      return;
    }
    const change = { entry, ...this.live.apply(entry, this.me), own };
    if (entry.kind === 'edit') this.emit('edit', change);
    else if (entry.kind === 'delete') this.emit('delete', change);
    else this.emit('reaction', { ...change, emoji: entry.emoji!, on: entry.kind === 'react', from: entry.from });
  }

  /** A reconnect that recovered the gap: its entries one by one, then `resumed`. */
  resume(): void {
    this.joined();
    const gap = this.deliverAll();
    this.emit('resumed', { messages: gap });
  }

  /** A reconnect that could not recover [RES-6]: a new epoch (a fresh log) or the same one with a gap too long. */
  reset(newEpoch: boolean): void {
    if (newEpoch) {
      this.epoch = `e${++this.epochs}`;
      this.log = [];
      this.floor = 1;
      this.readSeq = 0;
    }
    const messages = this.log.filter((m) => isMessage(m) && m.seq >= this.floor);
    this.recent = messages.slice(-JOIN_RECENT).map((m) => this.folded(m));
    this.seq = this.log.length;
    this.joined();
    this.live.clear();
    this.live.merge(this.recent);
    this.emit('reset', { messages: this.recent });
  }

  /** What a v2 `joined` counts now [READ-3]: messages of others after my marker, not deleted. */
  private joined(): void {
    const unread = this.log
      .filter((m) => isMessage(m) && m.seq > this.readSeq && nameKey(m.from) !== nameKey(this.me))
      .map((m) => this.folded(m))
      .filter((m) => !m.deleted);
    const mentions = unread.filter((m) => this.mentionsMe(m)).length;
    this.joinCounts = { seq: this.log.length, unread: unread.length, mentions };
  }

  /** Another session of mine moved the marker [READ-2]. */
  readElsewhere(seq: number): void {
    if (seq <= this.readSeq) return;
    this.readSeq = seq;
    this.emit('read', { seq });
  }

  /** Drops messages below `floor` from the log (retention only moves up). */
  retain(floor: number): void {
    this.floor = Math.max(this.floor, Math.min(floor, this.log.length + 1));
  }

  history(query: Request['query']): Promise<HistoryPage> {
    return new Promise((resolve) => this.requests.push({ query, log: this.log, floor: this.floor, resolve }));
  }

  /** Answers the oldest pending history request as a server would [HIST-1..3, HIST-8, FOLD-4]; false if none. */
  answer(): boolean {
    const request = this.requests.shift();
    if (!request) return false;
    const { before, after, limit = 100 } = request.query;
    const retained = request.log.filter((m) => isMessage(m) && m.seq >= request.floor);
    const candidates =
      after !== undefined
        ? retained.filter((m) => m.seq > after)
        : retained.filter((m) => m.seq < (before ?? Infinity));
    const page = after !== undefined ? candidates.slice(0, limit) : candidates.slice(-limit);
    const messages = page.map((m) => this.folded(m, request.log));
    this.live.merge(messages);
    request.resolve({ messages, more: candidates.length > page.length });
    return true;
  }

  message(messageId: string): ChatMessage | undefined {
    return this.live.get(messageId);
  }

  mentionsMe(message: ChatMessage): boolean {
    if (nameKey(message.from) === nameKey(this.me)) return false;
    return this.peer !== undefined || !!message.mentions?.some((name) => nameKey(name) === nameKey(this.me));
  }

  send(text: string, options: SendOptions = {}): Promise<Ack> {
    this.sent.push({ text, ...options });
    return new Promise(() => undefined); // the test drives `outgoing` itself
  }

  outgoing(ctx: OutgoingContext): void {
    this.emit('outgoing', ctx);
  }

  edit(): Promise<Ack> {
    return new Promise(() => undefined);
  }

  delete(): Promise<Ack> {
    return new Promise(() => undefined);
  }

  react(): Promise<Ack> {
    return new Promise(() => undefined);
  }

  unreact(): Promise<Ack> {
    return new Promise(() => undefined);
  }

  async markRead(seq = this.seq): Promise<void> {
    this.reads.push(seq);
    this.readSeq = Math.max(this.readSeq, seq);
  }

  typing(): void {}

  async leave(): Promise<void> {}
}
