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
import type { Ack, ChangeContext, MessageContext, PresenceContext, RoomEvents, SendOptions } from '../types.js';
import { HistoryPages } from './history-pages.js';
import { MessageList } from './message-list.js';
import { PendingSends } from './pending-sends.js';
import { ReadPosition } from './read-position.js';
import { Records } from './records.js';
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
  readonly #pending = new PendingSends();
  readonly #records: Records;
  readonly #reads: ReadPosition;
  #epoch: string;
  /** While the list is empty, the lowest seq a live message may add (lower ones are history). */
  #liveFrom: number;
  #seen = false;
  readonly #pages: HistoryPages;
  /** Messages kept before read ones are trimmed: `maxMessages`, raised by pages loaded back. */
  #limit: number;
  #draft: string;
  readonly #options: RoomModelOptions;
  readonly #unsubscribe: (() => void)[] = [];

  /**
   * Follows `room` from now on. Version 2: the read position and the counts
   * are the server's [READ-3]. Version 1: the messages of its latest `joined`
   * count as read. Messages the room delivered before this model existed are fetched.
   */
  constructor(room: RoomSource, options: RoomModelOptions = {}) {
    super();
    this.room = room;
    this.name = room.name;
    this.#options = options;
    this.#records = new Records(room, () => options.me?.(), this.#pending.inFlight);
    this.#reads = new ReadPosition(room, this.#list, (error) => this.emit('error', { error }));
    this.#limit = options.maxMessages ?? 1000;
    this.#draft = options.draft ?? '';
    this.#pages = new HistoryPages(room, options.pageSize ?? 50);
    this.#epoch = room.epoch;
    this.#list.replace(
      room.recent.map((m) => this.#record(m)),
      this.#reads.initial,
    );
    this.#reads.sync();
    this.#liveFrom = room.seq + 1;
    this.#pages.restart(this.#list.oldestSeq, false);
    this.#listen('message', (ctx) => this.#onMessage(ctx));
    this.#listen('resumed', ({ messages }) => {
      this.#reads.sync();
      this.emit('resumed', { messages: this.#known(messages) });
      this.#changed(['unread']);
    });
    this.#listen('reset', ({ messages }) => this.#onReset(messages));
    this.#listen('presence', (ctx) => this.#onPresence(ctx));
    this.#listen('typing', () => this.#changed(['typing']));
    this.#listen('outgoing', (ctx) => this.#pending.update(ctx) && this.#changed(['pending']));
    for (const event of ['edit', 'delete', 'reaction'] as const) {
      this.#listen(event, (ctx: ChangeContext) => this.#onChange(ctx));
    }
    this.#listen('read', ({ seq }) => this.#list.markRead(seq) && this.#changed(['unread']));
    const last = this.#list.lastSeq;
    // ws may hand over several frames at once, so the room can be ahead of the `joined` it was made from.
    if (last !== undefined && room.seq > last) {
      this.#pages
        .catchUp(last, room.seq, (messages) => this.#changed(this.#merge(messages)))
        .catch((error: unknown) => this.emit('error', { error }));
    }
  }

  /** The messages in ascending seq, each once. A new array after every change, the same one otherwise. */
  get messages(): readonly MessageRecord[] {
    this.#messages ??= [...this.#list.records];
    return this.#messages;
  }

  /** Sends not confirmed yet, in the order they were made; failed ones stay until `retry` or `discard`. */
  get pending(): readonly PendingMessage[] {
    return this.#pending.list;
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

  /** v2: the members that are bots [BOT-2: show them as bots]. */
  get bots(): readonly string[] {
    return this.room.bots;
  }

  /** v2: in a direct room, the other member's name (show it instead of the room's name). */
  get peer(): string | undefined {
    return this.room.peer;
  }

  /**
   * Messages up to this seq are read. Moves forward with `markRead()` and
   * while `seen`; in v2 it is also the server's marker, shared by all my
   * sessions [READ-2]; 0 after a new epoch.
   */
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
    return this.#pages.hasOlder;
  }

  /** Whether `loadOlder()` is under way. */
  get loadingOlder(): boolean {
    return this.#pages.loading;
  }

  /**
   * Set when the server dropped the messages below this seq by retention
   * [HIST-8]: with `hasOlder` false, show "older messages were removed"
   * instead of "start of the room".
   */
  get retentionFloor(): number | undefined {
    return this.#pages.retentionFloor;
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

  /**
   * Marks messages up to `seq` read (never moves back); in v2 the server's
   * marker follows (the room coalesces the requests). [the newest entry]
   */
  markRead(seq?: number): void {
    if (this.#reads.read(seq)) this.#changed(['unread']);
  }

  /** What was typed but not sent. */
  get draft(): string {
    return this.#draft;
  }

  setDraft(text: string): void {
    if (text === this.#draft) return;
    this.#draft = text;
    this.#options.onDraft?.(text);
    this.#changed(['draft']);
  }

  /**
   * Loads the page before the oldest message; resolves with how many were
   * added (0 when there is nothing older or a load is under way). Rejects
   * with the request's error.
   */
  async loadOlder(): Promise<number> {
    const loading = this.#pages.older(this.#list.oldestSeq);
    if (!loading) return 0;
    this.#changed(['older']);
    let messages: readonly ChatMessage[] | undefined;
    try {
      messages = await loading;
    } catch (error) {
      this.#changed(['older']);
      throw error;
    }
    if (!messages) return 0; // reset meanwhile: the page belongs to the old view
    const changes = this.#merge(messages);
    // The start of the room, or the retention floor [HIST-8]: no unread message is older.
    if (!this.#pages.hasOlder) this.#list.forgetHidden(true);
    this.#limit = Math.max(this.#limit, this.#list.size);
    this.#changed([...changes, 'older']);
    return messages.length;
  }

  /** Sends a message; it shows in `pending` until the server confirms it (see `Room.send`: v2 `replyTo`, `mentions`). */
  send(text: string, options: SendOptions = {}): Promise<Ack> {
    return this.room.send(text, options);
  }

  /** v2: edits one of my messages; the record changes when the edit arrives (see `Room.edit`). */
  edit(messageId: string, text: string, options: { mentions?: string[] } = {}): Promise<Ack> {
    return this.room.edit(messageId, text, options);
  }

  /** v2: deletes one of my messages (see `Room.delete`). */
  delete(messageId: string): Promise<Ack> {
    return this.room.delete(messageId);
  }

  /** v2: adds my reaction, or removes it when I already reacted with `emoji` (a toggle for a view's button). */
  toggleReaction(messageId: string, emoji: string): Promise<Ack> {
    const mine = this.#list.get(messageId)?.reactions?.some((r) => r.emoji === emoji && r.me);
    return mine ? this.room.unreact(messageId, emoji) : this.room.react(messageId, emoji);
  }

  /** Sends a failed message again with its clientId; undefined when `clientId` is not a failed send. */
  retry(clientId: string): Promise<Ack> | undefined {
    const failed = this.#pending.get(clientId);
    if (failed?.status !== 'failed') return undefined;
    return this.room.send(failed.text, { clientId });
  }

  /** Forgets a failed send (e.g. its text went back to the composer). */
  discard(clientId: string): void {
    if (this.#pending.discard(clientId)) this.#changed(['pending']);
  }

  /** Stops following the room (it stays joined); later answers to requests are ignored. */
  dispose(): void {
    this.#pages.stop();
    for (const stop of this.#unsubscribe.splice(0)) stop();
  }

  #listen<E extends keyof RoomEvents>(event: E, listener: RoomEvents[E]): void {
    this.room.on(event, listener);
    this.#unsubscribe.push(() => this.room.off(event, listener));
  }

  #record(message: ChatMessage): MessageRecord {
    return this.#records.make(message);
  }

  /** v2: an edit, delete or reaction replaced records. */
  #onChange({ entry }: ChangeContext): void {
    if (this.#list.update(this.#records.changed(this.#list.records, entry))) this.#changed(['messages', 'unread']);
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
    for (const { clientId } of added)
      if (clientId !== undefined && this.#pending.arrived(clientId)) changes.push('pending');
    return changes;
  }

  #onMessage({ message }: MessageContext): void {
    // Below the oldest shown it would open a hole in the list; paging back brings it in its place.
    if (message.seq < (this.#list.oldestSeq ?? this.#liveFrom)) return;
    const changes = this.#merge([message]);
    if (changes.length === 0) return; // delivered before (a page or the reset had it)
    if (this.#seen) this.#reads.read(message.seq);
    // Not while a page is on its way: it fits the list as it was asked for, and trimming would open a hole.
    if (!this.#pages.busy && this.#list.trim(this.#limit) > 0) {
      this.#pages.hasOlder = true;
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
    this.#limit = this.#options.maxMessages ?? 1000;
    // A new epoch is a new log: its seqs say nothing about what was read in the old one.
    this.#list.replace(
      messages.map((m) => this.#record(m)),
      epochChanged ? 0 : this.#list.readSeq,
    );
    this.#reads.sync();
    if (this.#seen) this.#reads.read();
    this.#liveFrom = this.room.seq + 1;
    this.#messages = undefined;
    this.#pages.restart(this.#list.oldestSeq, epochChanged);
    this.emit('reset', { messages: this.messages, epochChanged });
    this.#changed(['messages', 'unread', 'older']);
  }

  #onPresence(ctx: PresenceContext): void {
    this.emit('presence', ctx);
    this.#changed(this.room.version > 1 ? ['members', 'bots'] : ['members']);
  }

  #changed(changes: readonly RoomChangeKind[]): void {
    if (changes.length === 0) return;
    if (changes.includes('messages')) this.#messages = undefined;
    this.emit('changed', { changes: [...new Set(changes)] });
  }
}
