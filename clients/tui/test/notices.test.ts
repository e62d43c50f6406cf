import { describe, expect, it } from 'vitest';
import { type Notice, RoomNotices, weave } from '../src/notices.js';

const notice = (after: number, text: string): Notice => ({ after, ts: 0, text, error: false });
const shape = (woven: ReturnType<typeof weave>) =>
  woven.map((e) => (e.kind === 'message' ? (e.message as { seq: number }).seq : e.notice.text));

describe('weave', () => {
  it('puts each notice after the newest message it was made after, in the order made', () => {
    const messages = [{ seq: 3 }, { seq: 4 }, { seq: 7 }];
    const notices = [notice(4, 'b'), notice(0, 'first'), notice(4, 'c'), notice(9, 'last'), notice(5, 'd')];
    expect(shape(weave(messages, notices))).toEqual(['first', 3, 4, 'b', 'c', 'd', 7, 'last']);
  });

  it('keeps notices where they were when older messages are put above them', () => {
    const notices = [notice(10, 'joined')];
    expect(shape(weave([{ seq: 10 }, { seq: 11 }], notices))).toEqual([10, 'joined', 11]);
    expect(shape(weave([{ seq: 8 }, { seq: 9 }, { seq: 10 }, { seq: 11 }], notices))).toEqual([8, 9, 10, 'joined', 11]);
  });
});

describe('RoomNotices', () => {
  it('forgets a room on /clear and remembers up to which seq its messages are hidden', () => {
    const notices = new RoomNotices();
    notices.add('lobby', notice(1, 'x'));
    notices.add('news', notice(1, 'y'));
    notices.clearThrough('lobby', 12);
    expect(notices.of('lobby')).toEqual([]);
    expect(notices.clearedThrough('lobby')).toBe(12);
    expect(notices.of('news')).toHaveLength(1);
    expect(notices.clearedThrough('news')).toBe(0);
  });

  it('keeps the newest 500 notices of a room', () => {
    const notices = new RoomNotices();
    for (let i = 0; i < 510; i++) notices.add('lobby', notice(i, `n${i}`));
    expect(notices.of('lobby')).toHaveLength(500);
    expect(notices.of('lobby')[0]!.text).toBe('n10');
  });
});
