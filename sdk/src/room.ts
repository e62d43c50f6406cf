/**
 * A joined room: its members, typing users, the messages delivered so far
 * (exactly once, in seq order, with gaps filled from history), and the
 * outbox of messages this client sends to it.
 *
 * @module
 */

import {
  type ChatMessage,
  type JoinedFrame,
  type MessageFrame,
  nameKey,
  PresenceKind,
  type ReplyMap,
  type RequestFrame,
  type UserTypingFrame,
} from '@kuykan/protocol';
import type { Request } from './connection.js';
import { Emitter } from './emitter.js';
import { Outbox } from './outbox.js';
import type { Ack, HistoryPage, MessageContext, RoomEvents } from './types.js';

/** What a room needs from its client. @internal */
export interface RoomHost {
  request<T extends RequestFrame['type']>(frame: Request<T>): Promise<ReplyMap[T]>;
  isOpen(): boolean;
  userName(): string | undefined;
  typingTtlMs(): number;
  historyPageMax(): number;
  queueLimitReached(): boolean;
  reportError(error: unknown): void;
  forget(room: Room): void;
}

export class Room extends Emitter<RoomEvents> {
  /** Normalized room name. */
  readonly name: string;
  /** Epoch of the room's log this client follows. */
  epoch = '';
  /** Last seq delivered to this client. */
  seq = 0;
  /** Messages sent with the latest `joined` (recent ones, or the latest after a reset). */
  recent: ChatMessage[] = [];
  readonly #memberSet = new Set<string>();
  readonly #typers = new Map<string, ReturnType<typeof setTimeout>>();
  #syncing = false;
  #buffered: MessageFrame[] = [];
  #lastTypingSent = 0;
  #left = false;
  /** @internal */
  readonly outbox: Outbox;

  readonly #host: RoomHost;

  /** @internal created by `KuykanClient.join` */
  constructor(joined: JoinedFrame, host: RoomHost) {
    super();
    this.#host = host;
    this.name = joined.room;
    this.outbox = new Outbox(this.name, host, (ctx) => this.emit('outgoing', ctx));
    this.epoch = joined.epoch;
    this.seq = joined.seq;
    this.recent = joined.messages;
    for (const name of joined.members) this.#memberSet.add(name);
  }

  /** Present users, sorted, each once. */
  get members(): readonly string[] {
    return [...this.#memberSet].sort();
  }

  /** Users typing now. */
  get typingUsers(): readonly string[] {
    return [...this.#typers.keys()].sort();
  }

  /** @internal a message frame for this room arrived. */
  handleMessage(frame: MessageFrame): void {
    if (this.#syncing) {
      this.#buffered.push(frame);
      return;
    }
    if (frame.seq <= this.seq) return; // already delivered
    if (frame.seq > this.seq + 1) {
      void this.#fillGap(frame);
      return;
    }
    this.#deliver(frame);
  }

  #deliver(message: ChatMessage): void {
    if (message.seq !== this.seq + 1) return;
    this.seq = message.seq;
    const name = this.#host.userName();
    const own = name !== undefined && nameKey(message.from) === nameKey(name);
    const { type: _type, room: _room, ...fields } = message as MessageFrame;
    const ctx: MessageContext = { message: { ...fields, room: this.name }, own };
    if (this.#typers.has(message.from)) this.#setTyper(message.from, false, 0);
    this.emit('message', ctx);
  }

  /** A live message skipped seqs: fetch the gap from history before going on [MSG-7]. */
  async #fillGap(frame: MessageFrame): Promise<void> {
    this.#syncing = true;
    this.#buffered.push(frame);
    try {
      while (this.seq < frame.seq - 1) {
        const page = await this.#host.request({
          type: 'history',
          room: this.name,
          after: this.seq,
          limit: Math.min(this.#host.historyPageMax(), frame.seq - 1 - this.seq),
        });
        if (page.messages.length === 0) throw new Error(`history has no messages after ${this.seq}`);
        for (const message of page.messages) this.#deliver(message);
      }
    } catch (error) {
      this.#host.reportError(error);
      this.#syncing = false;
      this.#buffered = [];
      // Resume on the same connection: a second join with (epoch, seq) is allowed [ROOM-7, RES-1].
      this.rejoin().catch((failure: unknown) => this.#host.reportError(failure));
      return;
    }
    this.#drain();
  }

  #drain(): void {
    this.#syncing = false;
    const buffered = this.#buffered.sort((a, b) => a.seq - b.seq);
    this.#buffered = [];
    for (const frame of buffered) this.handleMessage(frame);
  }

  /** @internal a presence frame for this room arrived. */
  handlePresence(name: string, kind: PresenceKind): void {
    if (kind === PresenceKind.JOIN) this.#memberSet.add(name);
    else {
      this.#memberSet.delete(name);
      if (this.#typers.has(name)) this.#setTyper(name, false, 0);
    }
    this.emit('presence', { name, kind, members: this.members });
  }

  /** @internal a userTyping frame for this room arrived; indications expire after ttlMs [TYPE-3]. */
  handleTyping(frame: UserTypingFrame): void {
    this.#setTyper(frame.name, frame.active, frame.ttlMs);
  }

  #setTyper(name: string, active: boolean, ttlMs: number): void {
    clearTimeout(this.#typers.get(name));
    if (active) {
      const timer = setTimeout(() => this.#setTyper(name, false, 0), ttlMs);
      (timer as { unref?: () => void }).unref?.();
      this.#typers.set(name, timer);
    } else if (!this.#typers.delete(name)) {
      return;
    }
    this.emit('typing', { name, active, typing: this.typingUsers });
  }

  /** @internal rejoins on a new connection with (epoch, seq) and delivers the gap or resets [RES-1, RES-6]. */
  async rejoin(): Promise<void> {
    this.#syncing = true;
    let joined: JoinedFrame;
    try {
      joined = await this.#host.request({ type: 'join', room: this.name, epoch: this.epoch, seq: this.seq });
    } finally {
      this.#syncing = false;
    }
    this.#syncMembers(joined.members);
    if (joined.recovered) {
      for (const message of joined.messages) this.#deliver(message);
      this.emit('resumed', { messages: joined.messages });
    } else {
      this.epoch = joined.epoch;
      this.seq = joined.seq;
      this.recent = joined.messages;
      // Frames buffered during the join came after `joined` on this connection (ws may hand
      // them over before the reply's continuation runs): they continue the new log, so
      // drain() delivers those above `joined.seq` instead of dropping them.
      this.emit('reset', { messages: joined.messages });
    }
    this.#drain();
    this.outbox.flush();
  }

  /** Members may have come and gone while we were away: report the difference as presence. */
  #syncMembers(members: string[]): void {
    const now = new Set(members);
    for (const name of this.members) if (!now.has(name)) this.handlePresence(name, PresenceKind.LEAVE);
    for (const name of members) if (!this.#memberSet.has(name)) this.handlePresence(name, PresenceKind.JOIN);
  }

  /**
   * Sends a message. Resolves with the server's ack once committed. While
   * disconnected the message is queued and sent after the rejoin with the
   * same clientId, so a retry never makes a second message [MSG-5].
   */
  send(text: string, options: { clientId?: string } = {}): Promise<Ack> {
    if (this.#left) return Promise.reject(new Error(`left room ${this.name}`));
    this.typing(false);
    return this.outbox.send(text, options.clientId);
  }

  /** A page of history before or after a seq, or the latest page. */
  async history(query: { before?: number; after?: number; limit?: number } = {}): Promise<HistoryPage> {
    const page = await this.#host.request({ type: 'history', room: this.name, ...query });
    return { messages: page.messages, more: page.more };
  }

  /** Live messages as an async iterator; ends when the room is left or the client closed. */
  messages(): AsyncIterableIterator<MessageContext['message']> {
    const queue: MessageContext['message'][] = [];
    let wake: (() => void) | undefined;
    let done = false;
    const onMessage = (ctx: MessageContext) => {
      queue.push(ctx.message);
      wake?.();
    };
    const stop = () => {
      done = true;
      this.off('message', onMessage);
      wake?.();
    };
    this.on('message', onMessage);
    this.#stopIterators.add(stop);
    const iterator: AsyncIterableIterator<MessageContext['message']> = {
      [Symbol.asyncIterator]: () => iterator,
      next: async () => {
        while (queue.length === 0 && !done) await new Promise<void>((resolve) => (wake = resolve));
        const value = queue.shift();
        return value ? { value, done: false } : { value: undefined, done: true };
      },
      return: async () => {
        stop();
        this.#stopIterators.delete(stop);
        return { value: undefined, done: true };
      },
    };
    return iterator;
  }

  readonly #stopIterators = new Set<() => void>();

  /** Tells the room this user is typing (throttled per TYPE-4) or stopped. Fire and forget. */
  typing(active = true): void {
    if (!this.#host.isOpen() || this.#left) return;
    const now = Date.now();
    if (active && now - this.#lastTypingSent < this.#host.typingTtlMs() / 2) return;
    if (!active && this.#lastTypingSent === 0) return;
    this.#lastTypingSent = active ? now : 0;
    this.#host.request({ type: 'typing', room: this.name, active }).catch((error) => this.#host.reportError(error));
  }

  /** Leaves the room; queued sends fail. */
  async leave(): Promise<void> {
    if (this.#left) return;
    this.dispose('left the room');
    if (this.#host.isOpen()) await this.#host.request({ type: 'leave', room: this.name });
  }

  /** @internal ends iterators, typing timers and the outbox. */
  dispose(reason: string): void {
    this.#left = true;
    this.#host.forget(this);
    for (const stop of this.#stopIterators) stop();
    this.#stopIterators.clear();
    for (const timer of this.#typers.values()) clearTimeout(timer);
    this.#typers.clear();
    this.outbox.failAll(reason);
  }
}
