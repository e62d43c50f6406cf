/**
 * `RoomModel`: what a view draws of one joined room, kept from the room's
 * events — the messages in seq order (each once, keyed by messageId), the
 * sends still in flight, the read position with unread and mention counts,
 * members, typing users, the draft, and paging back through history with
 * the retention floor made visible [HIST-8].
 *
 * @module
 */

import type { ChatMessage } from '@kuykan/protocol';
import { Emitter } from '../emitter.js';
import type { Ack, MessageContext, OutgoingContext, PresenceContext, RoomEvents } from '../types.js';
import { MessageList } from './message-list.js';
import { isOwn, mentions } from './rules.js';
import type { MessageRecord, PendingMessage, RoomChangeKind, RoomModelEvents, RoomSource } from './types.js';

/** Options of `new RoomModel(room, options)`. */
export interface RoomModelOptions {
  /** This user's name, read for every message (so a model made before login works). [none: nothing is own] */
  me?: () => string | undefined;
  /** Messages kept: beyond it the oldest read ones are dropped as new ones arrive (loading older raises it). [1000] */
  maxMessages?: number;
  /** Messages per `loadOlder()` page; at most the server's `historyPageMax`. [50] */
  pageSize?: number;
  /** The draft to start with. [''] */
  draft?: string;
  /** Called with the draft each time it changes (to persist it). */
  onDraft?: (text: string) => void;
}

export class RoomModel extends Emitter<RoomModelEvents> {
  /** Normalized room name. */
  readonly name: string;
  /** The SDK room this model follows (for `typing()`, `members`…). */
  readonly room: RoomSource;

  readonly #list = new MessageList();
  #messages: readonly MessageRecord[] | undefined;
  readonly #pending = new Map<string, PendingMessage>();
  #pendingList: readonly PendingMessage[] | undefined;
  /** ClientIds of sends in flight (from their first `outgoing` event until sent or failed). */
  readonly #sent = new Set<string>();
  /** Of those, the ones whose message already arrived: later retries of them are not pending. */
  readonly #arrived = new Set<string>();
  #epoch: string;
  /** While the list is empty, the lowest seq a live message may add (lower ones are history). */
  #liveFrom: number;
  #seen = false;
  #hasOlder: boolean;
  #loadingOlder = false;
  /** Fetching what the room delivered before this model listened. */
  #catchingUp = false;
  #retentionFloor: number | undefined;
  /** Bumped by a reset or dispose, so an answer to an earlier history request is dropped. */
  #generation = 0;
  #limit: number;
  #draft: string;
  readonly #me: () => string | undefined;
  readonly #pageSize: number;
  readonly #maxMessages: number;
  readonly #onDraft: ((text: string) => void) | undefined;
  readonly #unsubscribe: (() => void)[] = [];

  /**
   * Follows `room` from now on. The messages of its latest `joined` count as
   * read; messages the room delivered before this model existed are fetched.
   */
  constructor(room: RoomSource, options: RoomModelOptions = {}) {
    super();
    this.room = room;
    this.name = room.name;
    this.#me = options.me ?? (() => undefined);
    this.#maxMessages = options.maxMessages ?? 1000;
    this.#limit = this.#maxMessages;
    this.#pageSize = options.pageSize ?? 50;
    this.#draft = options.draft ?? '';
    this.#onDraft = options.onDraft;
    this.#epoch = room.epoch;
    this.#list.replace(
      room.recent.map((m) => this.#record(m)),
      room.seq,
    );
    this.#liveFrom = room.seq + 1;
    this.#hasOlder = this.#olderExpected();
    this.#listen('message', (ctx) => this.#onMessage(ctx));
    this.#listen('resumed', ({ messages }) => this.emit('resumed', { messages: this.#known(messages) }));
    this.#listen('reset', ({ messages }) => this.#onReset(messages));
    this.#listen('presence', (ctx) => this.#onPresence(ctx));
    this.#listen('typing', () => this.#changed(['typing']));
    this.#listen('outgoing', (ctx) => this.#onOutgoing(ctx));
    const last = this.#list.lastSeq;
    // ws may hand over several frames at once, so the room can be ahead of the `joined` it was made from.
    if (last !== undefined && room.seq > last) void this.#catchUp(last, room.seq);
  }

  /** The messages in ascending seq, each once. A new array after every change, the same one otherwise. */
  get messages(): readonly MessageRecord[] {
    this.#messages ??= [...this.#list.records];
    return this.#messages;
  }

  /** Sends not confirmed yet, in the order they were made; failed ones stay until `retry` or `discard`. */
  get pending(): readonly PendingMessage[] {
    this.#pendingList ??= [...this.#pending.values()];
    return this.#pendingList;
  }

  /** The record of a message, by messageId. */
  message(messageId: string): MessageRecord | undefined {
    return this.#list.get(messageId);
  }

  get members(): readonly string[] {
    return this.room.members;
  }

  get typing(): readonly string[] {
    return this.room.typingUsers;
  }

  /** Messages up to this seq are read. Moves forward with `markRead()` and while `seen`; 0 after a new epoch. */
  get readSeq(): number {
    return this.#list.readSeq;
  }

  /** Messages from others after `readSeq`. */
  get unread(): number {
    return this.#list.unread;
  }

  /** Of the unread messages, those that mention me. */
  get mentions(): number {
    return this.#list.mentions;
  }

  /** Whether older messages can be loaded with `loadOlder()`. */
  get hasOlder(): boolean {
    return this.#hasOlder;
  }

  /** Whether `loadOlder()` is under way. */
  get loadingOlder(): boolean {
    return this.#loadingOlder;
  }

  /**
   * Set when the server dropped the messages below this seq by retention
   * [HIST-8]: with `hasOlder` false, show "older messages were removed"
   * instead of "start of the room".
   */
  get retentionFloor(): number | undefined {
    return this.#retentionFloor;
  }

  /** Whether the user is looking at this room (active and visible): new messages are read as they arrive. */
  get seen(): boolean {
    return this.#seen;
  }

  /** Sets `seen`; becoming seen marks everything read. */
  setSeen(seen: boolean): void {
    this.#seen = seen;
    if (seen) this.markRead();
  }

  /** Marks messages up to `seq` read (never moves back). [the newest message] */
  markRead(seq = this.#list.lastSeq ?? 0): void {
    if (this.#list.markRead(seq)) this.#changed(['unread']);
  }

  /** What was typed but not sent. */
  get draft(): string {
    return this.#draft;
  }

  setDraft(text: string): void {
    if (text === this.#draft) return;
    this.#draft = text;
    this.#onDraft?.(text);
    this.#changed(['draft']);
  }

  /**
   * Loads the page before the oldest message; resolves with how many were
   * added (0 when there is nothing older or a load is under way). Rejects
   * with the request's error.
   */
  async loadOlder(): Promise<number> {
    if (this.#loadingOlder || !this.#hasOlder) return 0;
    const generation = this.#generation;
    const before = this.#list.oldestSeq ?? this.room.seq + 1;
    this.#loadingOlder = true;
    this.#changed(['older']);
    let page: Awaited<ReturnType<RoomSource['history']>>;
    try {
      page = await this.room.history({ before, limit: this.#pageSize });
    } catch (error) {
      if (generation === this.#generation) {
        this.#loadingOlder = false;
        this.#changed(['older']);
      }
      throw error;
    }
    if (generation !== this.#generation) return 0; // reset meanwhile: the page belongs to the old view
    this.#loadingOlder = false;
    const changes = this.#merge(page.messages);
    this.#limit = Math.max(this.#limit, this.#list.size);
    if (!page.more) {
      this.#hasOlder = false;
      // Seqs have no gaps [MSG-6]: no more messages below one above 1 means retention dropped them.
      const oldest = this.#list.oldestSeq ?? before;
      if (oldest > 1) this.#retentionFloor = oldest;
    }
    this.#changed([...changes, 'older']);
    return page.messages.length;
  }

  /** Sends a message; it shows in `pending` until the server confirms it (see `Room.send`). */
  send(text: string, options: { clientId?: string } = {}): Promise<Ack> {
    return this.room.send(text, options);
  }

  /** Sends a failed message again with its clientId; undefined when `clientId` is not a failed send. */
  retry(clientId: string): Promise<Ack> | undefined {
    const failed = this.#pending.get(clientId);
    if (failed?.status !== 'failed') return undefined;
    return this.room.send(failed.text, { clientId });
  }

  /** Forgets a failed send (e.g. its text went back to the composer). */
  discard(clientId: string): void {
    if (this.#pending.get(clientId)?.status !== 'failed') return;
    this.#pending.delete(clientId);
    this.#changed(['pending']);
  }

  /** Stops following the room (it stays joined); later answers to requests are ignored. */
  dispose(): void {
    this.#generation++;
    for (const stop of this.#unsubscribe.splice(0)) stop();
  }

  #listen<E extends keyof RoomEvents>(event: E, listener: RoomEvents[E]): void {
    this.room.on(event, listener);
    this.#unsubscribe.push(() => this.room.off(event, listener));
  }

  #record(message: ChatMessage): MessageRecord {
    // Spread, so fields a newer protocol adds stay on the record; `room` is the event's, not the message's.
    const { room: _room, ...fields } = message as ChatMessage & { room?: string };
    const me = this.#me();
    return { ...fields, own: isOwn(message, me, this.#sent), mentionsMe: mentions(message.text, me) };
  }

  /** The records of messages already in the list. */
  #known(messages: readonly ChatMessage[]): MessageRecord[] {
    return messages.flatMap((m) => this.#list.get(m.messageId) ?? []);
  }

  /** Adds messages; a confirmed send leaves `pending`. Returns what changed. */
  #merge(messages: readonly ChatMessage[]): RoomChangeKind[] {
    const added = this.#list.merge(messages.map((m) => this.#record(m)));
    if (added.length === 0) return [];
    this.#messages = undefined;
    const changes: RoomChangeKind[] = ['messages', 'unread'];
    for (const { clientId } of added) {
      if (clientId === undefined || !this.#sent.has(clientId)) continue;
      this.#arrived.add(clientId);
      if (this.#pending.delete(clientId)) changes.push('pending');
    }
    return changes;
  }

  #onMessage({ message }: MessageContext): void {
    // Below the oldest shown it would open a hole in the list; paging back brings it in its place.
    if (message.seq < (this.#list.oldestSeq ?? this.#liveFrom)) return;
    const changes = this.#merge([message]);
    if (changes.length === 0) return; // delivered before (a page or the reset had it)
    if (this.#seen) this.#list.markRead(message.seq);
    // Not while a page is on its way: it fits the list as it was asked for, and trimming would open a hole.
    if (!this.#loadingOlder && !this.#catchingUp && this.#list.trim(this.#limit) > 0) {
      this.#hasOlder = true;
      changes.push('older');
    }
    const record = this.#list.get(message.messageId)!;
    this.emit('message', { message: record, unread: !record.own && record.seq > this.#list.readSeq });
    this.#changed(changes);
  }

  /** RES-6: the gap is lost; discard the list and redraw from the latest messages. */
  #onReset(messages: readonly ChatMessage[]): void {
    const epochChanged = this.room.epoch !== this.#epoch;
    this.#epoch = this.room.epoch;
    this.#generation++;
    this.#loadingOlder = false;
    this.#catchingUp = false;
    this.#limit = this.#maxMessages;
    // A new epoch is a new log: its seqs say nothing about what was read in the old one.
    if (epochChanged) this.#retentionFloor = undefined;
    this.#list.replace(
      messages.map((m) => this.#record(m)),
      epochChanged ? 0 : this.#list.readSeq,
    );
    if (this.#seen) this.#list.markRead(this.#list.lastSeq ?? 0);
    this.#liveFrom = this.room.seq + 1;
    this.#messages = undefined;
    this.#hasOlder = this.#olderExpected();
    this.emit('reset', { messages: this.messages, epochChanged });
    this.#changed(['messages', 'unread', 'older']);
  }

  #onPresence(ctx: PresenceContext): void {
    this.emit('presence', ctx);
    this.#changed(['members']);
  }

  #onOutgoing({ clientId, text, status, error }: OutgoingContext): void {
    if (status === 'sent' || status === 'failed') {
      this.#sent.delete(clientId);
      const arrived = this.#arrived.delete(clientId);
      if (status === 'sent' || arrived) {
        if (this.#pending.delete(clientId)) this.#changed(['pending']);
        return;
      }
    } else {
      this.#sent.add(clientId);
      if (this.#arrived.has(clientId)) return; // a retry of a message that already arrived
    }
    const ts = this.#pending.get(clientId)?.ts ?? Date.now();
    this.#pending.set(clientId, { clientId, text, status, ts, ...(error === undefined ? {} : { error }) });
    this.#changed(['pending']);
  }

  /** Fetches the messages after `from` up to `to` (delivered before this model listened). */
  async #catchUp(from: number, to: number): Promise<void> {
    const generation = this.#generation;
    this.#catchingUp = true;
    try {
      let after = from;
      while (after < to) {
        const page = await this.room.history({ after, limit: Math.min(this.#pageSize, to - after) });
        if (generation !== this.#generation || page.messages.length === 0) return;
        this.#changed(this.#merge(page.messages));
        after = page.messages.at(-1)!.seq;
      }
    } catch (error) {
      this.emit('error', { error });
    } finally {
      if (generation === this.#generation) this.#catchingUp = false;
    }
  }

  /** Whether older messages may exist: the oldest shown is above 1 and above a known floor. */
  #olderExpected(): boolean {
    const oldest = this.#list.oldestSeq;
    if (oldest === undefined) return this.room.seq > 0;
    return oldest > 1 && (this.#retentionFloor === undefined || oldest > this.#retentionFloor);
  }

  #changed(changes: readonly RoomChangeKind[]): void {
    if (changes.length === 0) return;
    if (changes.includes('messages')) this.#messages = undefined;
    if (changes.includes('pending')) this.#pendingList = undefined;
    this.emit('changed', { changes: [...new Set(changes)] });
  }
}
