import { encodeFrame, type Frame } from '@kuykan/protocol';
import { encode } from '@msgpack/msgpack';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { member, RawClient, startTestServer } from './helpers.js';

const TOTAL = Number(process.env.KUYKAN_FUZZ_FRAMES ?? 100_000);
const BATCH = 2_000;

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({ limits: { sendRate: 1_000_000, sendBurst: 1_000_000 } });
});
afterAll(() => server.close());

const validFrames: Frame[] = [
  { type: 'login', id: 1, name: 'fuzzer', key: 'k' },
  { type: 'join', id: 2, room: 'fuzz' },
  { type: 'send', id: 3, room: 'fuzz', clientId: 'c', text: 'สวัสดี 👋' },
  { type: 'history', id: 4, room: 'fuzz', before: 10, limit: 5 },
  { type: 'typing', id: 5, room: 'fuzz', active: true },
  { type: 'join', id: 6, room: 'fuzz', epoch: 'x', seq: 3 },
  { type: 'rooms', id: 7 },
  { type: 'leave', id: 8, room: 'fuzz' },
];
const encodedValid = validFrames.map((f) => encodeFrame(f));

/** Arbitrary bytes, structurally plausible maps, and mutated valid frames. */
const input = fc.oneof(
  fc.uint8Array({ maxLength: 64 }),
  fc
    .record(
      {
        t: fc.oneof(fc.integer({ min: -2, max: 40 }), fc.string()),
        i: fc.anything(),
        r: fc.anything(),
        x: fc.anything(),
      },
      { requiredKeys: [] },
    )
    .map((m) => encode(m)),
  fc
    .tuple(
      fc.constantFrom(...encodedValid),
      fc.nat(),
      fc.integer({ min: 0, max: 255 }),
      fc.constantFrom('flip', 'cut', 'insert'),
    )
    .map(([bytes, at, value, how]) => {
      const copy = Uint8Array.from(bytes);
      const i = at % copy.length;
      if (how === 'flip') copy[i] = value;
      if (how === 'cut') return copy.slice(0, i);
      if (how === 'insert') return Uint8Array.from([...copy.slice(0, i), value, ...copy.slice(i)]);
      return copy;
    }),
);

describe('fuzz', () => {
  it(`survives ${TOTAL} arbitrary and mutated frames; other connections stay unharmed`, async () => {
    const bystander = await member(server.url, 'bystander', 'fuzz');
    const random = fc.sample(input, { numRuns: TOTAL, seed: 42 });
    let sent = 0;
    let connections = 0;
    while (sent < TOTAL) {
      const fuzzer = await RawClient.open(server.url);
      await fuzzer.login(`fuzzer${connections++}`, 'k');
      await fuzzer.join('fuzz');
      // Several batches per connection: a fuzzed frame may legitimately end it (e.g. leave + rejoin is fine,
      // but an oversized or text frame is not generated here, so the connection must survive).
      for (let batch = 0; batch < 10 && sent < TOTAL; batch++) {
        const frames = random.slice(sent, sent + BATCH);
        for (const bytes of frames) fuzzer.ws.send(bytes);
        sent += frames.length;
        await fuzzer.barrier();
        fuzzer.frames.length = 0;
      }
      expect(fuzzer.closed).toBeUndefined();
      fuzzer.close();
      await bystander.barrier();
    }
    const probe = await bystander.request({ type: 'send', room: 'fuzz', clientId: 'after-fuzz', text: 'still here' });
    expect(probe.type).toBe('ack');
    const fresh = await member(server.url, 'fresh', 'fuzz');
    expect(fresh.of('joined')[0]!.members).toContain('bystander');
    console.info(`fuzz: ${sent} frames over ${connections} connections; server and bystander unharmed`);
    bystander.close();
    fresh.close();
  }, 120_000);
});
