import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame, FRAMES, type FrameTypeName } from '../src/index.js';
import { frameOf } from './arbitraries.js';

describe('codec round trip', () => {
  it.each(Object.keys(FRAMES) as FrameTypeName[])('decode(encode(x)) equals x for every %s frame', (type) => {
    fc.assert(
      fc.property(frameOf(type), (frame) => {
        expect(decodeFrame(encodeFrame(frame))).toEqual(frame);
      }),
      { numRuns: 1000, seed: 1 },
    );
  });

  it('ignores unknown fields, also inside records [WIRE-8]', async () => {
    const { encode } = await import('@msgpack/msgpack');
    const bytes = encode({
      t: 21,
      i: 1,
      r: 'lobby',
      mo: false,
      future: [1, 2],
      ms: [{ s: 1, m: 'e.1', ts: 5, f: 'a', x: 'hi', zz: true }],
    });
    expect(decodeFrame(bytes)).toEqual({
      type: 'page',
      id: 1,
      room: 'lobby',
      more: false,
      messages: [{ seq: 1, messageId: 'e.1', ts: 5, from: 'a', text: 'hi' }],
    });
  });

  it('treats nil optional fields as absent [WIRE-11]', async () => {
    const { encode } = await import('@msgpack/msgpack');
    expect(decodeFrame(encode({ t: 3, i: 1, r: 'lobby', e: null, s: null }))).toEqual({
      type: 'join',
      id: 1,
      room: 'lobby',
    });
  });

  it('refuses to encode a frame that breaks its schema', () => {
    expect(() => encodeFrame({ type: 'ping', id: -1 })).toThrow(/id/);
    expect(() => encodeFrame({ type: 'send', id: 1, room: 'r', clientId: 'c' } as never)).toThrow(/text: required/);
  });
});
