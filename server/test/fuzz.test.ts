import { ErrorCode, encodeFrame, type Frame } from '@kuykan/protocol';
import { encode } from '@msgpack/msgpack';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRICT_CLASSES, strictMutation } from '../../spec/test/strict-mutations.js';
import type { RunningServer } from '../src/index.js';
import { member, RawClient, startTestServer } from './helpers.js';

const TOTAL = Number(process.env.KUYKAN_FUZZ_FRAMES ?? 100_000);
const BATCH = 2_000;

let server: RunningServer;
beforeAll(async () => {
  const fast = 1_000_000;
  server = await startTestServer({
    limits: {
      sendRate: fast,
      sendBurst: fast,
      joinRate: fast,
      joinBurst: fast,
      historyRate: fast,
      historyBurst: fast,
      roomsRate: fast,
      roomsBurst: fast,
    },
  });
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

/** Valid frames made malformed in one strict-decoding way each (floats, bad UTF-8, depth, duplicate keys…). */
const strict = strictMutation(fc.constantFrom(...validFrames));

/** Arbitrary bytes, structurally plausible maps, mutated valid frames and strictness classes. */
const input = fc.oneof(
  strict.map((m) => m.bytes),
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

  it('answers every frame of every strictness class with BAD_FRAME and never with its normal reply', async () => {
    const client = await RawClient.open(server.url);
    await client.login('strict', 'k');
    await client.join('fuzz');
    const samples = fc.sample(strict, { numRuns: 3_000, seed: 43 });
    client.frames.length = 0;
    for (const { bytes } of samples) client.ws.send(bytes);
    // An id no sample uses, so no error reply is mistaken for the barrier's pong.
    client.send({ type: 'ping', id: 999_999 });
    await client.waitFor((f) => f.type === 'pong' && f.id === 999_999);
    const answers = client.frames.filter((f) => f.type !== 'message' && f.type !== 'presence' && f.type !== 'pong');
    expect(answers.length).toBe(samples.length);
    expect(answers.filter((f) => !(f.type === 'error' && f.code === ErrorCode.BAD_FRAME))).toEqual([]);
    expect(new Set(samples.map((s) => s.kind))).toEqual(new Set(STRICT_CLASSES));
    console.info(
      `fuzz: ${samples.length} strictness-class frames over ${STRICT_CLASSES.length} classes, all BAD_FRAME`,
    );
    client.close();
  }, 60_000);
});
