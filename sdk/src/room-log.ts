/**
 * A room's log as this client follows it: every entry delivered exactly once
 * and in seq order [MSG-7], gaps filled, resumes and resets taken in
 * [RES-1, RES-6], and the live message model kept from all of it (v2:
 * change entries become `edit`, `delete` and `reaction` events).
 *
 * @module
 */

import { type ChatMessage, EntryKind, type JoinedFrame, type MessageFrame, nameKey } from '@kuykan/protocol';
import type { Emitter } from './emitter.js';
import { LiveMessages } from './live-messages.js';
import type { RoomHost } from './room-host.js';
import type { RoomEvents } from './types.js';

/** The room, as its log sees it. @internal */
export interface LogOwner extends Pick<Emitter<RoomEvents>, 'emit'> {
  readonly name: string;
  /** Whether a message mentions me. */
  mentionsMe(message: ChatMessage): boolean;
  /** A message from `from` arrived (its typing indication ends). */
  spoke(from: string): void;
  /** Resumes on the same connection (a gap history could not fill). */
  rejoin(): Promise<void>;
}

/** @internal */
export class RoomLog {
  /** Epoch of the log this client follows. */
  epoch = '';
  /** Last seq delivered. */
  seq = 0;
  /** Messages of the latest `joined` that reset the log. */
  recent: ChatMessage[] = [];
  readonly live: LiveMessages;
  #syncing = false;
  #buffered: MessageFrame[] = [];

  readonly #owner: LogOwner;
  readonly #host: RoomHost;

  constructor(owner: LogOwner, host: RoomHost) {
    this.#owner = owner;
    this.#host = host;
    this.live = new LiveMessages(host.maxMessages);
  }

  /** Starts over from a `joined` that does not continue the log [RES-6]; returns whether the epoch changed. */
  reset(joined: JoinedFrame): boolean {
    const changed = joined.epoch !== this.epoch;
    this.epoch = joined.epoch;
    this.seq = joined.seq;
    this.recent = this.page(joined.messages, true);
    return changed;
  }

  /** Delivers a recovered gap [RES-1, LOG-4]; returns its messages (not the other entries). */
  resume(joined: JoinedFrame): ChatMessage[] {
    return joined.messages.flatMap((entry) => this.#deliver(entry) ?? []);
  }

  /** Messages of a page or `joined`, attachment URLs made absolute, taken into the live model. */
  page(messages: readonly ChatMessage[], reset = false): ChatMessage[] {
    const records = messages.map((m) => this.#absolute(m));
    if (reset) this.live.clear();
    this.live.merge(records);
    return records;
  }

  /** Holds live frames back while `join` (a resume) is under way; deliver them with `drain()`. */
  async pause<T>(join: () => Promise<T>): Promise<T> {
    this.#syncing = true;
    try {
      return await join();
    } finally {
      this.#syncing = false;
    }
  }

  /** A `message` frame (v2: an entry of any kind) arrived. */
  handle(frame: MessageFrame): void {
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

  /** Delivers the frames held back, in seq order. */
  drain(): void {
    this.#syncing = false;
    const buffered = this.#buffered.sort((a, b) => a.seq - b.seq);
    this.#buffered = [];
    for (const frame of buffered) this.handle(frame);
  }

  /** Delivers the next entry; returns the record of a message (undefined for other entries). */
  #deliver(entry: ChatMessage): ChatMessage | undefined {
    // Version 1 sessions of a v2 server see seqs skip over other entries [MSG-6, VER-4].
    if (entry.seq <= this.seq) return undefined;
    this.seq = entry.seq;
    const { type: _type, room: _room, ...fields } = entry as MessageFrame;
    const me = this.#host.userName();
    const own = me !== undefined && nameKey(entry.from) === nameKey(me);
    const owner = this.#owner;
    if (entry.kind === undefined) {
      const delivered = this.page([fields])[0]!;
      // The held state wins when it is newer (a page already had this message's later changes).
      const message = this.live.get(delivered.messageId) ?? delivered;
      owner.spoke(message.from);
      owner.emit('message', { message: { ...message, room: owner.name }, own, mentionsMe: owner.mentionsMe(message) });
      return message;
    }
    const change = { entry: fields, ...this.live.apply(fields, me), own };
    if (entry.kind === EntryKind.EDIT) owner.emit('edit', change);
    else if (entry.kind === EntryKind.DELETE) owner.emit('delete', change);
    else
      owner.emit('reaction', { ...change, emoji: entry.emoji!, on: entry.kind === EntryKind.REACT, from: entry.from });
    return undefined;
  }

  /** Attachment URLs as the server sends them are references: resolved against its HTTP origin [ATT-7]. */
  #absolute(message: ChatMessage): ChatMessage {
    if (!message.attachments) return message;
    const resolve = (url: string) => new URL(url, this.#host.httpUrl()).href;
    const attachments = message.attachments.map((a) => ({
      ...a,
      url: resolve(a.url),
      ...(a.thumbUrl === undefined ? {} : { thumbUrl: resolve(a.thumbUrl) }),
    }));
    return { ...message, attachments };
  }

  /**
   * A live frame skipped seqs [MSG-7]. Version 2 delivers every entry, so a
   * skip is a loss: resume with a second join on this connection [ROOM-7,
   * RES-1]. In version 1, history fills the gap; on a v2 server the seqs of
   * other entries are skipped [VER-4], which a page reaching the frame's seq
   * shows. A page that cannot reach it resumes as well.
   */
  async #fillGap(frame: MessageFrame): Promise<void> {
    this.#syncing = true;
    this.#buffered.push(frame);
    try {
      if (this.#host.version() > 1) throw new Error(`entries after seq ${this.seq} were not delivered`);
      for (let reached = false; !reached; ) {
        const page = await this.#host.request({
          type: 'history',
          room: this.#owner.name,
          after: this.seq,
          limit: Math.min(this.#host.historyPageMax(), frame.seq - this.seq),
        });
        for (const message of page.messages) if (message.seq < frame.seq) this.#deliver(message);
        reached = page.messages.some((m) => m.seq >= frame.seq);
        if (!reached && !page.more) throw new Error(`history has no message ${frame.seq} after ${this.seq}`);
      }
    } catch (error) {
      this.#host.reportError(error);
      this.#syncing = false;
      this.#buffered = [];
      this.#owner.rejoin().catch((failure: unknown) => this.#host.reportError(failure));
      return;
    }
    this.drain();
  }
}
