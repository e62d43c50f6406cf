/**
 * The server's heartbeat [PING-5] pings every connection once per interval,
 * a slice at a time, so that 20,000 connections never cost one long pause;
 * a connection silent for a whole interval is closed with 4006, one whose
 * requests the server still holds is not.
 */

import { CloseCode } from '@kuykan/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Heartbeat } from '../src/heartbeat.js';
import type { Session } from '../src/session.js';

const INTERVAL = 1000;

function fakeSession() {
  const session = {
    alive: true,
    busy: false,
    pings: 0,
    closed: undefined as number | undefined,
    ws: {
      ping: () => {
        session.pings++;
      },
      terminate: () => {},
    },
    close: (code: number) => {
      session.closed = code;
    },
  };
  return session;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('heartbeat', () => {
  it('pings each connection once per interval, never all of them at once', () => {
    vi.useFakeTimers();
    const heartbeat = new Heartbeat(INTERVAL);
    const sessions = Array.from({ length: 200 }, fakeSession);
    for (const s of sessions) heartbeat.add(s as unknown as Session);
    let most = 0;
    for (let step = 0; step < 20; step++) {
      const before = sessions.reduce((n, s) => n + s.pings, 0);
      vi.advanceTimersByTime(INTERVAL / 20);
      most = Math.max(most, sessions.reduce((n, s) => n + s.pings, 0) - before);
      for (const s of sessions) s.alive = true; // they answer
    }
    expect(sessions.map((s) => s.pings)).toEqual(sessions.map(() => 1));
    expect(most).toBeLessThanOrEqual(10);
    heartbeat.stop();
  });

  it('closes a connection silent for a whole interval with 4006, but not one the server is still busy with', () => {
    vi.useFakeTimers();
    const heartbeat = new Heartbeat(INTERVAL);
    const [silent, busy, answering, gone] = Array.from({ length: 4 }, fakeSession);
    for (const s of [silent, busy, answering, gone]) heartbeat.add(s as unknown as Session);
    heartbeat.delete(gone as unknown as Session);
    busy!.busy = true;
    vi.advanceTimersByTime(INTERVAL);
    answering!.alive = true;
    vi.advanceTimersByTime(INTERVAL);
    expect(silent!.closed).toBe(CloseCode.HEARTBEAT_TIMEOUT);
    expect(busy!.closed).toBeUndefined();
    expect(answering!.closed).toBeUndefined();
    expect(gone!.pings).toBe(0);
    heartbeat.stop();
  });
});
