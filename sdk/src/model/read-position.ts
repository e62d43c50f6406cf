/**
 * A room model's read position: moved by the user (and in v2 sent to the
 * server, whose marker all my sessions share [READ-2]), and in v2 taken from
 * the server with its counts at every `joined` [READ-3].
 *
 * @module
 */

import { ClientError } from '../errors.js';
import type { MessageList } from './message-list.js';
import type { RoomSource } from './types.js';

/** @internal */
export class ReadPosition {
  readonly #room: RoomSource;
  readonly #list: MessageList;
  readonly #onError: (error: unknown) => void;

  constructor(room: RoomSource, list: MessageList, onError: (error: unknown) => void) {
    this.#room = room;
    this.#list = list;
    this.#onError = onError;
  }

  get #v2(): boolean {
    return this.#room.version > 1;
  }

  /** Where a model starts reading: v2 the server's marker, v1 after the messages of `joined`. */
  get initial(): number {
    return this.#v2 ? this.#room.readSeq : this.#room.seq;
  }

  /** Moves the read position to `seq` [the newest entry] and in v2 the server's marker; returns whether it moved. */
  read(seq = this.#v2 ? this.#room.seq : (this.#list.lastSeq ?? 0)): boolean {
    if (!this.#list.markRead(seq)) return false;
    if (this.#v2) {
      this.#room.markRead(seq).catch((error: unknown) => {
        // Left or closed: nothing to tell. Anything else (READ_INVALID) is worth knowing.
        if (!(error instanceof ClientError && error.code === 'CLOSED')) this.#onError(error);
      });
    }
    return true;
  }

  /** v2: takes in the marker and counts of the latest `joined`, which cover unread messages older than the list. */
  sync(): void {
    if (!this.#v2) return;
    const { unread, mentions, seq } = this.#room.joinCounts;
    this.#list.markRead(this.#room.readSeq);
    this.#list.serverCounts(unread, mentions, seq);
  }
}
