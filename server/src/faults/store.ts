/**
 * TEST ONLY. Store faults, as a decorator over the history store chosen at
 * start-up (see faults.ts): the real store runs unchanged underneath.
 *
 * @module
 */

import type { ChatMessage } from '@kuykan/protocol';
import type { FaultName } from '../faults.js';
import { randomId } from '../ids.js';
import type { AppendResult, HistoryStore, NewMessage, RangeQuery } from '../store/types.js';

/** Wraps `store` when a store fault is on; returns it unchanged otherwise. */
export function faultyStore(store: HistoryStore, faults: ReadonlySet<FaultName>): HistoryStore {
  const ignoreIdempotency = faults.has('idempotency-ignored');
  const offByOne = faults.has('history-off-by-one');
  const skipResume = faults.has('resume-skip');
  if (!ignoreIdempotency && !offByOne && !skipResume) return store;
  return {
    get description() {
      return store.description;
    },
    available: () => store.available(),
    openRoom: (room) => store.openRoom(room),
    listRooms: () => store.listRooms(),
    close: () => store.close(),
    releaseRoom: (room) => store.releaseRoom?.(room),
    // idempotency-ignored (MSG-5): every send looks like a new user's, so a retry is a second message.
    append(message: NewMessage): Promise<AppendResult> {
      return store.append(ignoreIdempotency ? { ...message, userKey: `${message.userKey}#${randomId(4)}` } : message);
    },
    async range(room: string, query: RangeQuery): Promise<ChatMessage[]> {
      let shifted = query;
      // history-off-by-one (HIST-1): both bounds move inwards, skipping the message next to each.
      if (offByOne) {
        shifted = {
          ...query,
          afterSeq: query.afterSeq === undefined ? undefined : query.afterSeq + 1,
          beforeSeq: query.beforeSeq === undefined ? undefined : query.beforeSeq - 1,
        };
      }
      const rows = await store.range(room, shifted);
      // resume-skip (RES-1): a range read from a seq onwards loses its first message.
      return skipResume && query.afterSeq !== undefined && !query.newest ? rows.slice(1) : rows;
    },
  };
}
