/**
 * The sends of one room that the server has not confirmed: what the view
 * shows below the messages (queued, sending, failed), and the clientIds in
 * flight that make an arriving message mine.
 *
 * @module
 */

import type { OutgoingContext } from '../types.js';
import type { PendingMessage } from './types.js';

/** @internal */
export class PendingSends {
  readonly #pending = new Map<string, PendingMessage>();
  #list: readonly PendingMessage[] | undefined;
  /** ClientIds of sends in flight (from their first `outgoing` event until sent or failed). */
  readonly #inFlight = new Set<string>();
  /** Of those, the ones whose message already arrived: a retry of them is not pending again. */
  readonly #arrived = new Set<string>();

  /** In the order they were made; a new array after each change. */
  get list(): readonly PendingMessage[] {
    this.#list ??= [...this.#pending.values()];
    return this.#list;
  }

  /** ClientIds this client is sending (an arriving message with one of them is mine). */
  get inFlight(): ReadonlySet<string> {
    return this.#inFlight;
  }

  get(clientId: string): PendingMessage | undefined {
    return this.#pending.get(clientId);
  }

  /** Applies a room's `outgoing` event; returns whether the list changed. */
  update({ clientId, text, status, error, type }: OutgoingContext): boolean {
    // Edits, deletes and reactions show as changes of their message, not as messages on their way.
    if (type !== undefined && type !== 'send') return false;
    if (status === 'sent' || status === 'failed') {
      this.#inFlight.delete(clientId);
      if (status === 'sent' || this.#arrived.delete(clientId)) return this.#delete(clientId);
    } else {
      this.#inFlight.add(clientId);
      if (this.#arrived.has(clientId)) return false; // a retry of a message that already arrived
    }
    const ts = this.#pending.get(clientId)?.ts ?? Date.now();
    this.#pending.set(clientId, { clientId, text, status, ts, ...(error === undefined ? {} : { error }) });
    this.#list = undefined;
    return true;
  }

  /** A message with this clientId arrived: it is no longer pending. Returns whether the list changed. */
  arrived(clientId: string): boolean {
    if (!this.#inFlight.has(clientId)) return false;
    this.#arrived.add(clientId);
    return this.#delete(clientId);
  }

  /** Forgets a failed send; returns whether it was one. */
  discard(clientId: string): boolean {
    return this.#pending.get(clientId)?.status === 'failed' && this.#delete(clientId);
  }

  #delete(clientId: string): boolean {
    if (!this.#pending.delete(clientId)) return false;
    this.#list = undefined;
    return true;
  }
}
