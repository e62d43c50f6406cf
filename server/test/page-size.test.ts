import { type ChatMessage, encodeFrame, MAX_SERVER_FRAME_BYTES, type PageFrame } from '@kuykan/protocol';
import { describe, expect, it } from 'vitest';
import { fitPage } from '../src/handlers/messages.js';

const big = (seq: number): ChatMessage => ({ seq, messageId: `m${seq}`, ts: seq, from: 'a', text: 'x'.repeat(60_000) });
const page = (count: number): PageFrame => ({
  type: 'page',
  id: 1,
  room: 'lobby',
  messages: Array.from({ length: count }, (_, n) => big(n + 1)),
  more: false,
});

describe('fitPage', () => {
  it('keeps a page that fits as it is', () => {
    const small = page(10);
    expect(fitPage(small, false)).toBe(small);
  });

  it('shrinks a page over 4 MiB to the newest messages with more, going back [WIRE-6]', () => {
    const fitted = fitPage(page(100), false);
    expect(encodeFrame(fitted).byteLength).toBeLessThanOrEqual(MAX_SERVER_FRAME_BYTES);
    expect(fitted.more).toBe(true);
    expect(fitted.messages.at(-1)!.seq).toBe(100);
    expect(fitted.messages.map((m) => m.seq)).toEqual(
      fitted.messages.map((_, n) => 100 - fitted.messages.length + 1 + n),
    );
  });

  it('shrinks a page over 4 MiB to the oldest messages with more, going forward [WIRE-6]', () => {
    const fitted = fitPage(page(100), true);
    expect(encodeFrame(fitted).byteLength).toBeLessThanOrEqual(MAX_SERVER_FRAME_BYTES);
    expect(fitted.more).toBe(true);
    expect(fitted.messages[0]!.seq).toBe(1);
  });
});
