/**
 * A room model's history requests and what they taught it: whether older
 * messages exist, where retention cut the log [HIST-8], and whether a page is
 * on its way. A restart (reset, dispose) makes every answer still on its way
 * stale, so a page of an old view never lands in a new one.
 *
 * @module
 */

import type { ChatMessage } from '@kuykan/protocol';
import type { RoomSource } from './types.js';

/** @internal */
export class HistoryPages {
  /** Older messages may exist on the server. */
  hasOlder = false;
  /** A page before the oldest message is on its way. */
  loading = false;
  /** The server dropped the messages below this seq (learnt from a last page starting above 1). */
  retentionFloor: number | undefined;
  #catchingUp = false;
  #generation = 0;

  constructor(
    private readonly room: RoomSource,
    private readonly pageSize: number,
  ) {}

  /** A request is on its way: its page fits the list as it was, so the list must not be trimmed. */
  get busy(): boolean {
    return this.loading || this.#catchingUp;
  }

  /** The list was (re)filled, its oldest message now `oldest`; answers on their way become stale. A new log forgets the floor. */
  restart(oldest: number | undefined, newLog: boolean): void {
    this.stop();
    this.loading = false;
    this.#catchingUp = false;
    if (newLog) this.retentionFloor = undefined;
    this.hasOlder =
      oldest === undefined
        ? this.room.seq > 0
        : oldest > 1 && (this.retentionFloor === undefined || oldest > this.retentionFloor);
  }

  /** Makes every answer on its way stale. */
  stop(): void {
    this.#generation++;
  }

  /**
   * Asks for the page before `oldest` (the latest page when the list is empty).
   * Undefined when there is nothing older or a page is on its way; the promise
   * resolves with undefined when the answer went stale.
   */
  older(oldest: number | undefined): Promise<readonly ChatMessage[] | undefined> | undefined {
    if (this.loading || !this.hasOlder) return undefined;
    this.loading = true;
    return this.#older(oldest ?? this.room.seq + 1, this.#generation);
  }

  async #older(before: number, generation: number): Promise<readonly ChatMessage[] | undefined> {
    let page: Awaited<ReturnType<RoomSource['history']>>;
    try {
      page = await this.room.history({ before, limit: this.pageSize });
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
    if (generation !== this.#generation) return undefined;
    if (!page.more) {
      this.hasOlder = false;
      // Seqs have no gaps [MSG-6]: nothing below an oldest seq above 1 means retention dropped it.
      const oldest = page.messages[0]?.seq ?? before;
      if (oldest > 1) this.retentionFloor = oldest;
    }
    return page.messages;
  }

  /** Fetches the messages after `from` up to `to` in pages, handing each to `add`, until done or stale. */
  async catchUp(from: number, to: number, add: (messages: readonly ChatMessage[]) => void): Promise<void> {
    const generation = this.#generation;
    this.#catchingUp = true;
    try {
      for (let after = from; after < to; ) {
        const page = await this.room.history({ after, limit: Math.min(this.pageSize, to - after) });
        if (generation !== this.#generation || page.messages.length === 0) return;
        add(page.messages);
        after = page.messages.at(-1)!.seq;
      }
    } finally {
      if (generation === this.#generation) this.#catchingUp = false;
    }
  }
}
