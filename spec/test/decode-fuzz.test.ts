import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFrame, ErrorCode, encodeFrame, ProtocolError } from '../src/index.js';
import { anyFrame } from './arbitraries.js';
import { STRICT_CLASSES, strictMutation } from './strict-mutations.js';

const ALLOWED = new Set<number>([ErrorCode.BAD_FRAME, ErrorCode.UNKNOWN_TYPE, ErrorCode.TOO_LARGE]);

function onlyFrameOrProtocolError(bytes: Uint8Array): void {
  try {
    const frame = decodeFrame(bytes);
    expect(typeof frame.type).toBe('string');
  } catch (error) {
    if (!(error instanceof ProtocolError) || !ALLOWED.has(error.code)) throw error;
  }
}

describe('decode fuzz [WIRE-14]', () => {
  it('returns a frame or throws a ProtocolError for arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), onlyFrameOrProtocolError), { numRuns: 30_000, seed: 7 });
  });

  it('returns a frame or throws a ProtocolError for mutated valid frames', () => {
    const mutated = fc
      .tuple(
        anyFrame,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        fc.nat(),
      )
      .map(([frame, flips, cut]) => {
        const bytes = Uint8Array.from(encodeFrame(frame));
        for (const [at, value] of flips) bytes[at % bytes.length] = value;
        return cut % 4 === 0 ? bytes.slice(0, cut % bytes.length) : bytes;
      });
    fc.assert(fc.property(mutated, onlyFrameOrProtocolError), { numRuns: 25_000, seed: 8 });
  });

  it('still round-trips a normal frame after all that', () => {
    const frame = { type: 'send', id: 1, room: 'lobby', clientId: 'c', text: 'ยังทำงานอยู่ ✅' } as const;
    expect(decodeFrame(encodeFrame(frame))).toEqual(frame);
  });
});

describe('decode fuzz: strictness classes [WIRE-12, WIRE-13, WIRE-15..18]', () => {
  it('refuses every frame of every strictness class with BAD_FRAME', () => {
    const tried = new Map<string, number>();
    fc.assert(
      fc.property(strictMutation(anyFrame), ({ kind, bytes }) => {
        tried.set(kind, (tried.get(kind) ?? 0) + 1);
        let caught: unknown;
        try {
          decodeFrame(bytes);
        } catch (error) {
          caught = error;
        }
        expect(caught, kind).toBeInstanceOf(ProtocolError);
        expect((caught as ProtocolError).code, kind).toBe(ErrorCode.BAD_FRAME);
      }),
      { numRuns: 20_000, seed: 9 },
    );
    expect([...tried.keys()].sort()).toEqual([...STRICT_CLASSES].sort());
    console.info(`strict decode fuzz: ${[...tried].map(([k, n]) => `${k} ${n}`).join(', ')}`);
  });
});
