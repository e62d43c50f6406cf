import { describe, expect, it } from 'vitest';
import { membersOf, roomOfMessage, scheduled, senderWorker, share, workerOf } from '../src/plan.js';

describe('load split (plan)', () => {
  it('gives every member of every room to exactly one worker', () => {
    for (const workers of [1, 2, 3]) {
      for (let room = 0; room < 7; room++) {
        const held = Array.from({ length: workers }, (_, w) => membersOf(room, 10, w, workers));
        expect(held.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, m) => m));
      }
    }
  });

  it('has each room sent to by the worker that holds its member 0', () => {
    for (let room = 0; room < 7; room++) {
      const sender = senderWorker(room, 2);
      expect(workerOf(room, 0, 2)).toBe(sender);
      expect(membersOf(room, 3, sender, 2)[0]).toBe(0);
    }
  });

  it('spreads senders and receivers of one room over both workers of two', () => {
    const senders = new Set(Array.from({ length: 4 }, (_, k) => senderWorker(roomOfMessage(k, 4), 2)));
    expect(senders).toEqual(new Set([0, 1]));
    expect(membersOf(0, 3, 0, 2).length).toBeGreaterThan(0);
    expect(membersOf(0, 3, 1, 2).length).toBeGreaterThan(0);
  });

  it('schedules every message due before the end of the window, and no more', () => {
    expect(scheduled(1000, 1500)).toBe(1500);
    expect(scheduled(3, 1000)).toBe(3);
    expect(scheduled(3, 1001)).toBe(4);
  });

  it('shares a total between workers without losing any', () => {
    for (const total of [0, 1, 5, 100]) {
      expect(share(total, 0, 3) + share(total, 1, 3) + share(total, 2, 3)).toBe(total);
    }
  });
});
