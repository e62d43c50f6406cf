/**
 * The sequencer that puts events from several nodes back in order: Redis
 * pub/sub and the reply to a node's own append reach a room in any order,
 * late, early or twice.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Sequencer } from '../src/room/sequencer.js';

function recorder(last = 0, gapWaitMs = 10_000) {
  const delivered: number[] = [];
  const gaps: Array<[number, number]> = [];
  const sequencer = new Sequencer<string>({
    last,
    gapWaitMs,
    deliver: (n, event) => {
      expect(event).toBe(`e${n}`);
      delivered.push(n);
    },
    onGap: (lastDelivered, next) => gaps.push([lastDelivered, next]),
  });
  return { sequencer, delivered, gaps };
}

describe('Sequencer', () => {
  it('delivers any arrival order of 1..n, with repeats, as 1..n exactly once', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }).chain((n) =>
          fc.tuple(
            fc.constant(n),
            fc.shuffledSubarray(
              Array.from({ length: 2 * n }, (_, i) => (i % n) + 1),
              { minLength: 2 * n },
            ),
          ),
        ),
        ([n, arrivals]) => {
          const { sequencer, delivered } = recorder();
          for (const k of arrivals) sequencer.offer(k, `e${k}`);
          expect(delivered).toEqual(Array.from({ length: n }, (_, i) => i + 1));
          expect(sequencer.idle).toBe(true);
        },
      ),
    );
  });

  it('holds seq n+2 until n+1 arrives, and drops what was delivered before it started', () => {
    const { sequencer, delivered } = recorder(5);
    sequencer.offer(4, 'e4');
    sequencer.offer(7, 'e7');
    expect(delivered).toEqual([]);
    expect(sequencer.idle).toBe(false);
    sequencer.offer(6, 'e6');
    expect(delivered).toEqual([6, 7]);
    expect(sequencer.last).toBe(7);
  });

  it('resolves delivered(n) only once n went out, and settled() once nothing is held', async () => {
    const { sequencer } = recorder();
    const order: string[] = [];
    const third = sequencer.delivered(3).then(() => order.push('3'));
    sequencer.offer(3, 'e3');
    const settled = sequencer.settled().then(() => order.push('settled'));
    sequencer.offer(2, 'e2');
    await Promise.resolve();
    expect(order).toEqual([]);
    sequencer.offer(1, 'e1');
    await Promise.all([third, settled]);
    expect(order.sort()).toEqual(['3', 'settled']);
    await expect(sequencer.delivered(2)).resolves.toBeUndefined();
  });

  it('reports a gap that outlives the wait, with the last delivered and the first held number', async () => {
    const { sequencer, gaps, delivered } = recorder(0, 20);
    sequencer.offer(1, 'e1');
    sequencer.offer(4, 'e4');
    await new Promise((r) => setTimeout(r, 60));
    expect(gaps[0]).toEqual([1, 4]);
    // The owner fetched 2 and 3 elsewhere.
    sequencer.offer(3, 'e3');
    sequencer.offer(2, 'e2');
    expect(delivered).toEqual([1, 2, 3, 4]);
  });

  it('skips to a snapshot without delivering what it covers, then goes on from there', () => {
    const { sequencer, delivered } = recorder();
    sequencer.offer(2, 'e2');
    sequencer.offer(5, 'e5');
    sequencer.skipTo(4);
    expect(delivered).toEqual([5]);
    sequencer.offer(3, 'e3');
    expect(delivered).toEqual([5]);
  });

  it('fails waiters and ignores events once stopped', async () => {
    const { sequencer, delivered } = recorder();
    const waiting = sequencer.delivered(2);
    sequencer.stop(new Error('room dropped'));
    await expect(waiting).rejects.toThrow('room dropped');
    sequencer.offer(1, 'e1');
    expect(delivered).toEqual([]);
    await expect(sequencer.delivered(1)).rejects.toThrow('room dropped');
  });
});
