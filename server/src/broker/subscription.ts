/**
 * A room's subscription to its log: the ordered, gap-checked stream of
 * committed messages one loaded room delivers to its members.
 *
 * Messages reach a node twice and in any order (the reply to its own
 * append, and other nodes' appends through the cluster feed); the
 * subscription puts them in seq order, delivers each once [MSG-7, MSG-8],
 * and fills a gap that does not close by itself from the store. A message of
 * another epoch, or a gap the store trimmed away, means the log cannot be
 * continued: the owner is told to reset the room [RES-2].
 *
 * @module
 */

import { type ChatMessage, ErrorCode, ProtocolError } from '@kuykan/protocol';
import { Sequencer } from '../room/sequencer.js';
import type { RangeQuery, RoomState } from '../store/types.js';

/** How long a gap in a room's messages may last before it is filled from the store, ms. */
export const GAP_WAIT_MS = 100;

/** Messages read from the store per page while catching up. */
const CATCH_UP_PAGE = 1000;

/** What a subscription reports to the room that owns it; `S` tags a message with its sender. */
export interface LogHandler<S> {
  /** A message, in seq order, exactly once. */
  deliver(message: ChatMessage, sender: S | undefined): void;
  /** A gap lasted {@link GAP_WAIT_MS}: the owner catches up (see {@link LogSubscription.catchUp}). */
  gap(): void;
  /** The log cannot be continued (another epoch, or trimmed past a gap). */
  reset(): void;
}

/** The refusal a send or delivery gets when its room was reset or dropped. */
export function roomResetError(): ProtocolError {
  return new ProtocolError(ErrorCode.UNAVAILABLE, 'the room was reset, rejoin and send again');
}

/** Where a subscription reads what it missed (the broker's log). */
export interface LogSource {
  open(room: string): Promise<RoomState>;
  range(room: string, query: RangeQuery): Promise<ChatMessage[]>;
}

export class LogSubscription<S> {
  private readonly sequencer: Sequencer<{ message: ChatMessage; sender: S | undefined }>;
  private stopped = false;

  /** The epoch of the log this subscription follows. */
  readonly epoch: string;

  constructor(
    readonly room: string,
    from: RoomState,
    private readonly source: LogSource,
    private readonly handler: LogHandler<S>,
  ) {
    this.epoch = from.epoch;
    this.sequencer = new Sequencer({
      last: from.lastSeq,
      gapWaitMs: GAP_WAIT_MS,
      deliver: (_seq, { message, sender }) => handler.deliver(message, sender),
      onGap: () => handler.gap(),
    });
  }

  /** Last seq delivered. */
  get last(): number {
    return this.sequencer.last;
  }

  /**
   * Offers a committed message of log `epoch`; resolves once it was delivered.
   * A message of another epoch resets the room and is refused.
   */
  offer(epoch: string, message: ChatMessage, sender?: S): Promise<void> {
    if (epoch !== this.epoch) {
      this.handler.reset();
      return Promise.reject(roomResetError());
    }
    this.sequencer.offer(message.seq, { message, sender });
    return this.sequencer.delivered(message.seq);
  }

  /** Resolves once a seq was delivered. */
  delivered(seq: number): Promise<void> {
    return this.sequencer.delivered(seq);
  }

  /** Resolves when nothing is held back waiting for a gap. */
  settled(): Promise<void> {
    return this.sequencer.settled();
  }

  /**
   * Reads what was committed after the last delivered seq from the store and
   * delivers it. Resolves false when the room was reset instead (the log has
   * another epoch, or no longer holds the gap's first message).
   */
  async catchUp(): Promise<boolean> {
    const state = await this.source.open(this.room);
    if (this.stopped) return false;
    if (state.epoch !== this.epoch) {
      this.handler.reset();
      return false;
    }
    while (this.last < state.lastSeq && !this.stopped) {
      const after = this.last;
      const rows = await this.source.range(this.room, {
        afterSeq: after,
        beforeSeq: state.lastSeq + 1,
        limit: CATCH_UP_PAGE,
        newest: false,
      });
      if (rows[0]?.seq !== after + 1) {
        // Trimmed past the gap: members cannot get every message, so they rejoin [RES-2].
        this.handler.reset();
        return false;
      }
      for (const message of rows) this.sequencer.offer(message.seq, { message, sender: undefined });
    }
    return !this.stopped;
  }

  /** Fails pending deliveries and ignores further messages (the room is dropped). */
  stop(error: Error): void {
    this.stopped = true;
    this.sequencer.stop(error);
  }
}
