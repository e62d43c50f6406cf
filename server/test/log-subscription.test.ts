/**
 * A room's subscription to its log, on its own: catch-up from the broker's
 * log, and what it reports when the log cannot be continued.
 */

import type { ChatMessage } from '@kuykan/protocol';
import { describe, expect, it } from 'vitest';
import { type LogSource, LogSubscription } from '../src/broker/subscription.js';
import { MemoryStore } from '../src/store/memory.js';
import type { RoomState } from '../src/store/types.js';

async function logOf(count: number) {
  const store = new MemoryStore();
  for (let n = 1; n <= count; n++) {
    await store.append({ room: 'r', from: 'ann', userKey: 'k-ann', clientId: `c${n}`, text: `t${n}` });
  }
  return store;
}

function recorder() {
  const seqs: number[] = [];
  let resets = 0;
  return {
    seqs,
    resets: () => resets,
    handler: {
      deliver: (message: ChatMessage) => seqs.push(message.seq),
      gap: () => {},
      reset: () => {
        resets += 1;
      },
    },
  };
}

describe('LogSubscription', () => {
  it('delivers what was committed after its position when it catches up', async () => {
    const store = await logOf(3);
    const { epoch } = await store.openRoom('r');
    const { seqs, handler, resets } = recorder();
    const source: LogSource = { open: (room) => store.openRoom(room), range: (room, q) => store.range(room, q) };
    const subscription = new LogSubscription('r', { epoch, lastSeq: 1 }, source, handler);
    expect(await subscription.catchUp()).toBe(true);
    expect(seqs).toEqual([2, 3]);
    expect(resets()).toBe(0);
  });

  it('reports a reset when the log no longer holds the first message of the gap', async () => {
    const store = await logOf(3);
    const { epoch } = await store.openRoom('r');
    const { seqs, handler, resets } = recorder();
    // A trimmed log: only seq 3 is left.
    const source: LogSource = {
      open: (room) => store.openRoom(room),
      range: async (room, q) => (await store.range(room, q)).filter((m) => m.seq > 2),
    };
    const subscription = new LogSubscription('r', { epoch, lastSeq: 0 }, source, handler);
    expect(await subscription.catchUp()).toBe(false);
    expect(seqs).toEqual([]);
    expect(resets()).toBe(1);
  });

  it('ends a catch-up quietly when it is stopped meanwhile', async () => {
    const store = await logOf(3);
    const { epoch } = await store.openRoom('r');
    const { seqs, handler, resets } = recorder();
    let subscription: LogSubscription<never> | undefined;
    let reads = 0;
    const source: LogSource = {
      open: (room): Promise<RoomState> => store.openRoom(room),
      range: (room, q) => {
        reads += 1;
        subscription!.stop(new Error('dropped'));
        return store.range(room, q);
      },
    };
    subscription = new LogSubscription('r', { epoch, lastSeq: 0 }, source, handler);
    expect(await subscription.catchUp()).toBe(false);
    expect(reads).toBe(1);
    expect(seqs).toEqual([]);
    expect(resets()).toBe(0);
  });
});
