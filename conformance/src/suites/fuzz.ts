/**
 * Fuzzing (WIRE-9, WIRE-14, SEC-5): random valid, mutated and noise frames
 * on a logged-in connection. The server must answer each with a reply or a
 * spec'd error (codes checked globally), or close with a spec'd code, and
 * keep serving other and new connections.
 *
 * @module
 */

import { decode } from '@msgpack/msgpack';
import fc from 'fast-check';
import { fuzzInput } from '../arbitraries.js';
import { expect } from '../failure.js';
import type { TestCase } from '../runner.js';
import { stillServing } from './helpers.js';

const section = 'fuzz';

/** The `i` of a raw input, if it decodes to a map with a numeric one. */
function requestIdOf(bytes: Uint8Array): number[] {
  try {
    const value = decode(bytes) as { i?: unknown } | null;
    return typeof value?.i === 'number' ? [value.i] : [];
  } catch {
    return [];
  }
}

export const fuzz: TestCase[] = [
  {
    id: 'fuzz/random-frames',
    section,
    covers: ['WIRE-14', 'SEC-5', 'WIRE-9'],
    title:
      'property: any sequence of frames or bytes (frames of both versions, on v2 and v1 sessions) gets spec replies and never affects other connections',
    async run(ctx) {
      const bystander = await ctx.user('bystander');
      const runs = ctx.settings.runs;
      await ctx.property(
        fc.tuple(fc.array(fuzzInput(), { minLength: 1, maxLength: 12 }), fc.boolean()),
        async ([inputs, v1]) => {
          // A v1 session gets v2 frames too: UNKNOWN_TYPE for their types, nothing of v2 back [VER-2, VER-3].
          const fuzzed = await ctx.user('fuzzed', { versions: v1 ? [1] : undefined });
          const bystanderNow = await ctx.user('peer');
          fuzzed.conn.avoidIds(inputs.flatMap((input) => requestIdOf(input.bytes)));
          for (const input of inputs) fuzzed.conn.sendRaw(input.bytes, input.note);
          if (fuzzed.conn.open) {
            await fuzzed.conn.barrier().catch((error: unknown) => {
              // A close with a spec'd code is allowed (e.g. rate abuse); anything else is not.
              if (fuzzed.conn.open) throw error;
            });
          }
          const errors = fuzzed.conn.log.filter((f) => f.type === 'error');
          const replies = fuzzed.conn.log.filter(
            (f) => f.type !== 'message' && f.type !== 'presence' && f.type !== 'userTyping',
          );
          expect(
            'WIRE-14',
            fuzzed.conn.undecodable.length === 0,
            `server sent undecodable frames: ${fuzzed.conn.undecodable[0]}`,
          );
          if (fuzzed.conn.open) {
            // every input got one reply, plus the barrier's pong
            expect(
              'WIRE-9',
              replies.length >= inputs.length,
              `${inputs.length} inputs got ${replies.length - 1} replies (${errors.length} errors)`,
            );
          }
          await stillServing('SEC-5', bystanderNow);
        },
        runs,
      );
      await stillServing('SEC-5', bystander);
    },
  },
];
