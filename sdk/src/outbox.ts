/**
 * Requests on their way to one room that carry a clientId — messages, and in
 * v2 edits, deletes and reactions: queued while disconnected, re-sent after
 * a rejoin or a timeout with the same clientId (the server makes that
 * idempotent [MSG-5, LOG-3]), retried after `retryAfterMs` when rate limited.
 *
 * @module
 */

import {
  type DeleteFrame,
  type EditFrame,
  ErrorCode,
  ProtocolError,
  type ReactFrame,
  type SendFrame,
} from '@kuykan/protocol';
import { ClientError } from './errors.js';
import type { RoomHost } from './room.js';
import type { Ack, OutgoingContext, OutgoingStatus } from './types.js';

/** Times a message is re-sent after timeouts before it fails. */
const MAX_TIMEOUTS = 3;

/** A request the outbox sends: its frame without the id, room and clientId it fills in. @internal */
export type OutboxRequest = DistributiveOmit<
  SendFrame | EditFrame | DeleteFrame | ReactFrame,
  'id' | 'room' | 'clientId'
>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

interface Entry {
  clientId: string;
  request: OutboxRequest;
  status: OutgoingStatus;
  timeouts: number;
  promise: Promise<Ack>;
  resolve(ack: Ack): void;
  reject(error: unknown): void;
}

/** A random client message id (not a secret; only unique per user). */
export function randomClientId(): string {
  const bytes = new Uint8Array(9);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(36).padStart(2, '0')).join('');
}

export class Outbox {
  readonly #entries = new Map<string, Entry>();

  readonly #room: string;
  readonly #host: RoomHost;
  readonly #report: (ctx: OutgoingContext) => void;

  constructor(room: string, host: RoomHost, report: (ctx: OutgoingContext) => void) {
    this.#room = room;
    this.#host = host;
    this.#report = report;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Bytes of text not yet acknowledged. */
  get bytes(): number {
    let n = 0;
    for (const entry of this.#entries.values()) n += new TextEncoder().encode(text(entry)).byteLength;
    return n;
  }

  /** Sends `request` with `clientId`; a clientId already on its way returns that request's promise. */
  send(request: OutboxRequest, clientId = randomClientId()): Promise<Ack> {
    const existing = this.#entries.get(clientId);
    if (existing) return existing.promise;
    if (this.#host.queueLimitReached()) {
      return Promise.reject(new ClientError('QUEUE_FULL', 'too many messages waiting to be sent'));
    }
    let resolve!: Entry['resolve'];
    let reject!: Entry['reject'];
    const promise = new Promise<Ack>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const entry: Entry = { clientId, request, status: 'queued', timeouts: 0, promise, resolve, reject };
    this.#entries.set(clientId, entry);
    this.#setStatus(entry, 'queued');
    if (this.#host.isOpen()) this.#transmit(entry);
    return promise;
  }

  /** Sends everything queued, in the order it was queued (after a rejoin). */
  flush(): void {
    for (const entry of this.#entries.values()) if (entry.status === 'queued') this.#transmit(entry);
  }

  #transmit(entry: Entry): void {
    this.#setStatus(entry, 'sending');
    this.#host.request({ ...entry.request, room: this.#room, clientId: entry.clientId }).then(
      (ack) => {
        this.#entries.delete(entry.clientId);
        this.#setStatus(entry, 'sent', { seq: ack.seq });
        entry.resolve({ messageId: ack.messageId, seq: ack.seq, ts: ack.ts, clientId: entry.clientId });
      },
      (error: unknown) => this.#onFailure(entry, error),
    );
  }

  #onFailure(entry: Entry, error: unknown): void {
    if (!this.#entries.has(entry.clientId)) return;
    if (error instanceof ProtocolError && error.code === ErrorCode.RATE_LIMITED) {
      this.#setStatus(entry, 'queued');
      setTimeout(
        () => entry.status === 'queued' && this.#host.isOpen() && this.#transmit(entry),
        error.retryAfterMs ?? 1000,
      );
      return;
    }
    if (error instanceof ClientError && error.code === 'CLOSED') {
      this.#setStatus(entry, 'queued'); // re-sent by flush() after the rejoin
      return;
    }
    if (error instanceof ClientError && error.code === 'TIMEOUT' && ++entry.timeouts < MAX_TIMEOUTS) {
      this.#setStatus(entry, 'queued');
      if (this.#host.isOpen()) this.#transmit(entry);
      return;
    }
    this.#fail(entry, error);
  }

  #fail(entry: Entry, error: unknown): void {
    this.#entries.delete(entry.clientId);
    this.#setStatus(entry, 'failed', { error });
    entry.reject(error);
  }

  /** Fails every entry (room left, client closed). */
  failAll(reason: string, code: 'CLOSED' | 'TERMINAL' = 'CLOSED'): void {
    for (const entry of [...this.#entries.values()]) this.#fail(entry, new ClientError(code, reason));
  }

  #setStatus(entry: Entry, status: OutgoingStatus, extra: Partial<OutgoingContext> = {}): void {
    entry.status = status;
    this.#report({ clientId: entry.clientId, text: text(entry), type: entry.request.type, status, ...extra });
  }
}

/** The text a request carries ('' for deletes and reactions). */
const text = (entry: Entry): string => ('text' in entry.request ? entry.request.text : '');
