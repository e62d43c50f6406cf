/**
 * A joined room: its members and typing users, its log (delivered exactly
 * once in seq order, kept as a live message model in v2), my read marker
 * (v2), and what this client sends to it — messages, edits, deletes,
 * reactions and files, idempotent across reconnects.
 *
 * @module
 */

import {
  type ChatMessage,
  type JoinedFrame,
  type MessageFrame,
  nameKey,
  type PresenceFrame,
  type UserTypingFrame,
} from '@kuykan/protocol';
import { Emitter } from './emitter.js';
import { ClientError, needsVersion2 } from './errors.js';
import { iterateMessages } from './message-iterator.js';
import { Outbox, type OutboxRequest } from './outbox.js';
import { ReadMarker } from './read-marker.js';
import type { RoomHost } from './room-host.js';
import { RoomLog } from './room-log.js';
import { RoomPeople } from './room-people.js';
import type {
  Ack,
  FileAck,
  FileData,
  HistoryPage,
  MessageContext,
  RoomEvents,
  SendFileOptions,
  SendOptions,
} from './types.js';

export type { RoomHost } from './room-host.js';

export class Room extends Emitter<RoomEvents> {
  /** Normalized room name. */
  readonly name: string;
  /** v2: in a direct room, the other member's name [DM-5]. */
  peer: string | undefined;
  /**
   * v2: the server's counts in the latest `joined` [READ-3]: messages of
   * others after my marker (`unread`), those mentioning me, up to `seq`.
   */
  joinCounts = { seq: 0, unread: 0, mentions: 0 };
  readonly #people = new RoomPeople(
    (ctx) => this.emit('presence', ctx),
    (ctx) => this.emit('typing', ctx),
  );
  readonly #log: RoomLog;
  readonly #marker: ReadMarker;
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
    this.#log = new RoomLog(this, host);
    this.#marker = new ReadMarker(
      (seq) => host.request({ type: 'read', room: this.name, seq }),
      () => host.isOpen(),
      (seq) => this.emit('read', { seq }),
    );
    this.#joined(joined, true);
    this.#people.joined(joined.members, joined.bots);
  }

  /** Epoch of the room's log this client follows. */
  get epoch(): string {
    return this.#log.epoch;
  }

  /** Last seq delivered to this client (in v2 the log's entries of every kind count). */
  get seq(): number {
    return this.#log.seq;
  }

  /** Messages sent with the latest `joined` (recent ones, or the latest after a reset). */
  get recent(): ChatMessage[] {
    return this.#log.recent;
  }

  /** The protocol version of the session (1 or 2). */
  get version(): number {
    return this.#host.version();
  }

  /** Present users, sorted, each once. */
  get members(): readonly string[] {
    return this.#people.members;
  }

  /** v2: the members that are bots, sorted [BOT-1]. */
  get bots(): readonly string[] {
    return this.#people.bots;
  }

  /** Users typing now. */
  get typingUsers(): readonly string[] {
    return this.#people.typing;
  }

  /** v2: my read marker: messages up to this seq are read (on every device) [READ-1]. */
  get readSeq(): number {
    return this.#marker.seq;
  }

  /**
   * The live message model: the newest messages (`maxMessages`), ascending
   * seq, each in its current state — edits, deletions, reactions and reply
   * previews applied as they arrive. A new array after every change.
   */
  get timeline(): readonly ChatMessage[] {
    return this.#log.live.list;
  }

  /** The current state of a message the room holds (see `timeline`). */
  message(messageId: string): ChatMessage | undefined {
    return this.#log.live.get(messageId);
  }

  /** Takes in a `joined`: the first, a reset, or a resume. */
  #joined(joined: JoinedFrame, reset: boolean): void {
    this.peer = joined.peer;
    this.joinCounts = { seq: joined.seq, unread: joined.unread ?? 0, mentions: joined.mentions ?? 0 };
    // A marker belongs to its epoch [READ-1].
    if (reset && this.#log.reset(joined)) this.#marker.restart(0);
    this.#marker.update(joined.readSeq ?? 0);
  }

  /** @internal a message frame (v2: an entry of any kind) for this room arrived. */
  handleMessage(frame: MessageFrame): void {
    this.#log.handle(frame);
  }

  /** v2: whether a message mentions me: my name in its `mentions`, or the other member's message in a direct room [MENTION-4]. */
  mentionsMe(message: ChatMessage): boolean {
    const me = this.#host.userName();
    if (me === undefined || nameKey(message.from) === nameKey(me)) return false;
    return this.peer !== undefined || !!message.mentions?.some((name) => nameKey(name) === nameKey(me));
  }

  /** @internal a message from `from` arrived: its typing indication ends [TYPE-5]. */
  spoke(from: string): void {
    this.#people.setTyping(from, false, 0);
  }

  /** @internal a presence frame for this room arrived. */
  handlePresence(frame: PresenceFrame): void {
    this.#people.presence(frame.name, frame.kind, frame.bot);
  }

  /** @internal a userTyping frame for this room arrived; indications expire after ttlMs [TYPE-3]. */
  handleTyping(frame: UserTypingFrame): void {
    this.#people.setTyping(frame.name, frame.active, frame.ttlMs);
  }

  /** @internal my read marker moved on another session [READ-2]. */
  handleReadMarker(seq: number): void {
    this.#marker.update(seq);
  }

  /** @internal rejoins on a new connection with (epoch, seq) and delivers the gap or resets [RES-1, RES-6]. */
  async rejoin(): Promise<void> {
    const log = this.#log;
    const joined = await log.pause(() =>
      this.#host.request({ type: 'join', room: this.name, epoch: log.epoch, seq: log.seq }),
    );
    // Members may have come and gone while we were away: the difference is reported as presence.
    this.#people.joined(joined.members, joined.bots);
    this.#joined(joined, !joined.recovered);
    if (joined.recovered) this.emit('resumed', { messages: log.resume(joined) });
    // Frames held back during the join came after `joined` on this connection (ws may hand them
    // over before the reply's continuation runs): they continue the log, so drain() delivers
    // those above `joined.seq` instead of dropping them.
    else this.emit('reset', { messages: log.recent });
    log.drain();
    this.outbox.flush();
    this.#marker.flush(true);
  }

  /**
   * Sends a message. Resolves with the server's ack once committed. While
   * disconnected the message is queued and sent after the rejoin with the
   * same clientId, so a retry never makes a second message [MSG-5].
   * `replyTo` and `files` need version 2; `mentions` are left out in version 1.
   */
  send(text: string, options: SendOptions = {}): Promise<Ack> {
    const { clientId, ...v2 } = options;
    if (v2.replyTo !== undefined || v2.files !== undefined) {
      const refused = this.#refuse(v2.replyTo === undefined ? 'files' : 'replyTo');
      if (refused) return refused;
    }
    this.typing(false);
    return this.#change({ type: 'send', text, ...v2 }, clientId);
  }

  /** v2: replaces the text (and mentions) of one of my messages [EDIT-1]. Idempotent across reconnects like `send`. */
  edit(messageId: string, text: string, options: { mentions?: string[] } = {}): Promise<Ack> {
    return this.#refuse('edit') ?? this.#change({ type: 'edit', target: messageId, text, ...options });
  }

  /** v2: deletes one of my messages [DEL-1]. */
  delete(messageId: string): Promise<Ack> {
    return this.#refuse('delete') ?? this.#change({ type: 'delete', target: messageId });
  }

  /** v2: reacts with one emoji [REACT-1]; an ack with seq 0 means I had already reacted with it [LOG-5]. */
  react(messageId: string, emoji: string): Promise<Ack> {
    return this.#refuse('react') ?? this.#change({ type: 'react', target: messageId, emoji, on: true });
  }

  /** v2: removes my reaction; an ack with seq 0 means there was none [LOG-5]. */
  unreact(messageId: string, emoji: string): Promise<Ack> {
    return this.#refuse('unreact') ?? this.#change({ type: 'react', target: messageId, emoji, on: false });
  }

  /**
   * v2: moves my read marker to `seq` [the last seq delivered]. Coalesced:
   * at most one `read` is in flight and none at or below the known marker;
   * resolves once the server has the marker there.
   */
  markRead(seq = this.seq): Promise<void> {
    return this.#refuse('markRead') ?? this.#marker.mark(seq);
  }

  /**
   * v2: uploads a file to the server (§17) and sends a message carrying it.
   * Takes bytes or a Blob/File, and in Node a readable stream with `size`;
   * reports progress and can be cancelled with `signal`. Upload refusals are
   * ProtocolErrors with the server's code (TOO_LARGE, QUOTA_EXCEEDED…).
   */
  async sendFile(data: FileData, options: SendFileOptions = {}): Promise<FileAck> {
    await this.#refuse('sendFile');
    if (!this.#host.capabilities().includes('files')) {
      throw new ClientError('UNSUPPORTED', 'the server does not accept files');
    }
    const { sendFile } = await this.#host.files();
    return sendFile(
      {
        name: this.name,
        url: this.#host.httpUrl(),
        upload: (request) => this.#host.request({ type: 'upload', room: this.name, ...request }),
        send: (text, sendOptions) => this.send(text, sendOptions),
      },
      data,
      options,
    );
  }

  #change(request: OutboxRequest, clientId?: string): Promise<Ack> {
    if (this.#left) return Promise.reject(new ClientError('CLOSED', `left room ${this.name}`));
    return this.outbox.send(request, clientId);
  }

  /** Refuses a v2 feature on a version 1 session, before anything is sent. */
  #refuse(what: string): Promise<never> | undefined {
    return this.version > 1 ? undefined : Promise.reject(needsVersion2(what));
  }

  /** A page of history before or after a seq, or the latest page; its messages also refresh the live model. */
  async history(query: { before?: number; after?: number; limit?: number } = {}): Promise<HistoryPage> {
    const page = await this.#host.request({ type: 'history', room: this.name, ...query });
    return { messages: this.#log.page(page.messages), more: page.more };
  }

  /** Live messages as an async iterator; ends when the room is left or the client closed. */
  messages(): AsyncIterableIterator<MessageContext['message']> {
    return iterateMessages(this, this.#stopIterators);
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
    this.#people.dispose();
    this.outbox.failAll(reason);
    this.#marker.fail(new ClientError('CLOSED', reason));
  }
}
