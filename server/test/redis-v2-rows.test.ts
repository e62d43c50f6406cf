/**
 * The JSON templates of the Redis store (store/redis-rows.ts): the seq, ts
 * and messageId the commit script fills in land exactly where they were
 * placed, whatever the user's text holds.
 */

import { describe, expect, it } from 'vitest';
import { MESSAGE_ID, render, SEQ, TS, template } from '../src/store/redis-rows.js';

describe('redis row templates', () => {
  it('fill in the seq, ts and messageId and nothing else, whatever the text holds', () => {
    const texts = ['plain', '\u0000Ks', '"\u0000Kt', '\u0001\u0002\u0003', 'Kxs "K', '\\u0000Ks', 'ก่ 😀'];
    for (const text of texts) {
      const record = { seq: SEQ, messageId: MESSAGE_ID, ts: TS, text, mentions: [text], nested: { at: SEQ } };
      const filled = template(record);
      expect(render(filled, 42, 1_800_000_000_123, 'ep')).toEqual({
        seq: 42,
        messageId: 'ep.42',
        ts: 1_800_000_000_123,
        text,
        mentions: [text],
        nested: { at: 42 },
      });
    }
  });
});
