/**
 * A scripted room for model tests: a server log with a retention floor,
 * events emitted the way `Room` emits them, and history requests that stay
 * pending until the test answers them (so answers can interleave with live
 * messages and resets).
 */
import type { ChatMessage } from '@kuykan/protocol';
import { Emitter } from '../src/emitter.js';
import type { RoomSource } from '../src/model/types.js';
import type { Ack, HistoryPage, OutgoingContext, RoomEvents } from '../src/types.js';

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
  recent: ChatMessage[] = [];
  members: string[] = [];
  typingUsers: string[] = [];
  /** The server's log of this epoch; `log[n].seq === n + 1`. */
  log: ChatMessage[] = [];
  /** Lowest retained seq [HIST-6]. */
  floor = 1;
  readonly requests: Request[] = [];
  sent: { text: string; clientId?: string }[] = [];
  private epochs = 1;
  private ids = 0;

  constructor(readonly name = 'fake') {
    super();
  }

  /** Commits a message to the log without delivering it. */
  commit(from: string, text: string, clientId?: string): ChatMessage {
    const message: ChatMessage = {
      seq: this.log.length + 1,
      messageId: `${this.epoch}-m${++this.ids}`,
      ts: 1_700_000_000_000 + this.ids,
      from,
      text,
      ...(clientId === undefined ? {} : { clientId }),
    };
    this.log.push(message);
    return message;
  }

  /** Delivers the next committed messages, in order, as live `message` events. */
  deliverAll(): ChatMessage[] {
    const gap = this.log.slice(this.seq);
    for (const message of gap) this.redeliver(message);
    return gap;
  }

  /** Emits `message` for a message (again, when it was delivered before). */
  redeliver(message: ChatMessage): void {
    this.seq = Math.max(this.seq, message.seq);
    this.emit('message', { message: { ...message, room: this.name }, own: false, mentionsMe: false });
  }

  /** A reconnect that recovered the gap: its messages one by one, then `resumed`. */
  resume(): void {
    const gap = this.deliverAll();
    this.emit('resumed', { messages: gap });
  }

  /** A reconnect that could not recover [RES-6]: a new epoch (a fresh log) or the same one with a gap too long. */
  reset(newEpoch: boolean): void {
    if (newEpoch) {
      this.epoch = `e${++this.epochs}`;
      this.log = [];
      this.floor = 1;
    }
    this.recent = this.log.slice(Math.max(this.floor - 1, this.log.length - JOIN_RECENT));
    this.seq = this.log.length;
    this.emit('reset', { messages: this.recent });
  }

  /** Drops messages below `floor` from the log (retention only moves up). */
  retain(floor: number): void {
    this.floor = Math.max(this.floor, Math.min(floor, this.log.length + 1));
  }

  history(query: Request['query']): Promise<HistoryPage> {
    return new Promise((resolve) => this.requests.push({ query, log: this.log, floor: this.floor, resolve }));
  }

  /** Answers the oldest pending history request as a server would [HIST-1..3, HIST-8]; false if none. */
  answer(): boolean {
    const request = this.requests.shift();
    if (!request) return false;
    const { before, after, limit = 100 } = request.query;
    const retained = request.log.filter((m) => m.seq >= request.floor);
    const candidates =
      after !== undefined
        ? retained.filter((m) => m.seq > after)
        : retained.filter((m) => m.seq < (before ?? Infinity));
    const messages = after !== undefined ? candidates.slice(0, limit) : candidates.slice(-limit);
    request.resolve({ messages, more: candidates.length > messages.length });
    return true;
  }

  send(text: string, options: { clientId?: string } = {}): Promise<Ack> {
    this.sent.push({ text, ...options });
    return new Promise(() => undefined); // the test drives `outgoing` itself
  }

  outgoing(ctx: OutgoingContext): void {
    this.emit('outgoing', ctx);
  }

  typing(): void {}

  async leave(): Promise<void> {}
}
