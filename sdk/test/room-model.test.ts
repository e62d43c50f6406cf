import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isOwn, mentions, type RoomChangeKind, RoomModel } from '../src/model/index.js';
import { FakeRoom } from './fake-room.js';

const ME = 'Somchai';
const AUTHORS = ['somchai', 'Mali', 'SOMCHAI', 'dao'];
const TEXTS = ['hi', '@somchai look', 'mail@somchai', '@SomChai!', '@somchai2', 'สวัสดี @Somchai'];

/** Lets pending promise continuations run (answers reach the model). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** The model's invariants, checked against a recount from its own list. */
function check(model: RoomModel): void {
  const seqs = model.messages.map((m) => m.seq);
  for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]!);
  expect(new Set(model.messages.map((m) => m.messageId)).size).toBe(seqs.length);
  const unread = model.messages.filter((m) => m.seq > model.readSeq && !m.own);
  expect(model.unread).toBe(unread.length);
  expect(model.mentions).toBe(unread.filter((m) => m.mentionsMe).length);
  for (const m of model.messages) {
    expect(m.own).toBe(isOwn(m, ME, new Set()));
    expect(m.mentionsMe).toBe(mentions(m.text, ME));
  }
  if (model.seen) expect(model.unread).toBe(0);
}

type Step =
  | { kind: 'live'; author: number; text: number }
  | { kind: 'offline'; author: number; text: number }
  | { kind: 'resume' }
  | { kind: 'duplicate'; pick: number }
  | { kind: 'reset'; newEpoch: boolean }
  | { kind: 'retain'; keep: number }
  | { kind: 'older' }
  | { kind: 'answer' }
  | { kind: 'read' }
  | { kind: 'seen'; seen: boolean };

const message = { author: fc.nat(AUTHORS.length - 1), text: fc.nat(TEXTS.length - 1) };
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('live' as const), ...message }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('offline' as const), ...message }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'resume' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reset' as const), newEpoch: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('retain' as const), keep: fc.integer({ min: 6, max: 12 }) }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'older' as const }) },
  { weight: 3, arbitrary: fc.constant({ kind: 'answer' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'read' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('seen' as const), seen: fc.boolean() }) },
);

/** Applies one step; `offline` commits without delivering (the next `resume` or `reset` covers it). */
function apply(room: FakeRoom, model: RoomModel, s: Step): void {
  switch (s.kind) {
    case 'live':
      room.deliverAll(); // anything committed offline arrives first: the SDK delivers in seq order
      room.commit(AUTHORS[s.author]!, TEXTS[s.text]!);
      room.deliverAll();
      break;
    case 'offline':
      room.commit(AUTHORS[s.author]!, TEXTS[s.text]!);
      break;
    case 'resume':
      room.resume();
      break;
    case 'duplicate': {
      const delivered = room.log.slice(0, room.seq);
      if (delivered.length > 0) room.redeliver(delivered[s.pick % delivered.length]!);
      break;
    }
    case 'reset':
      room.reset(s.newEpoch);
      break;
    case 'retain':
      // Retention keeps at least the newest few [HIST-7].
      room.retain(room.log.length - s.keep + 1);
      break;
    case 'older':
      model.loadOlder().catch(() => undefined);
      break;
    case 'answer':
      room.answer();
      break;
    case 'read':
      model.markRead();
      break;
    case 'seen':
      model.setSeen(s.seen);
      break;
  }
}

describe('RoomModel', () => {
  it('keeps the list sorted by seq without duplicates and its counts equal to a recount, over any interleaving', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 60 }),
        fc.nat(4),
        fc.nat(4),
        async (steps, before, early) => {
          // The room delivered `early` messages after its `joined` and before the model listened.
          const room = new FakeRoom();
          for (let n = 0; n < before + early; n++) room.commit(AUTHORS[n % AUTHORS.length]!, TEXTS[n % TEXTS.length]!);
          room.recent = room.log.slice(0, before);
          room.seq = before + early;
          const model = new RoomModel(room, { me: () => ME, maxMessages: 8, pageSize: 4 });
          check(model);
          for (const s of steps) {
            apply(room, model, s);
            await settle();
            check(model);
          }
          // Quiescence: everything delivered and every request answered, then page back to the start.
          room.deliverAll();
          while (room.answer()) await settle();
          while (model.hasOlder) {
            const loading = model.loadOlder();
            room.answer();
            await loading;
          }
          check(model);
          const seqs = model.messages.map((m) => m.seq);
          // No silent hole: the list is contiguous up to the last delivered seq…
          expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, n) => (seqs[0] ?? 0) + n));
          expect(seqs.at(-1) ?? 0).toBe(room.seq);
          // …and starts at 1 or at a floor that retention explains [HIST-8].
          const first = seqs[0];
          if (first === undefined || first === 1) expect(model.retentionFloor).toBeUndefined();
          else {
            expect(model.retentionFloor).toBe(first);
            expect(first).toBeLessThanOrEqual(room.floor);
          }
          model.dispose();
        },
      ),
      { numRuns: 300, seed: 20261210 },
    );
  });

  it('counts a resumed gap once even when its messages also came in a page', async () => {
    const room = new FakeRoom();
    const model = new RoomModel(room, { me: () => ME });
    room.commit('mali', 'one');
    room.commit('mali', '@somchai two');
    const loading = model.loadOlder(); // nothing loaded yet: asks for the latest before seq 1
    room.resume();
    room.answer();
    await loading;
    room.redeliver(room.log[1]!);
    expect(model.messages.map((m) => m.seq)).toEqual([1, 2]);
    expect([model.unread, model.mentions]).toEqual([2, 1]);
  });

  it('marks messages read as they arrive while seen, and counts them while not', () => {
    const room = new FakeRoom();
    const model = new RoomModel(room, { me: () => ME });
    const arrivals: boolean[] = [];
    model.on('message', ({ unread }) => arrivals.push(unread));
    room.commit('mali', 'while away');
    room.commit(ME, 'my own');
    room.deliverAll();
    expect(model.unread).toBe(1);
    model.setSeen(true);
    expect([model.unread, model.readSeq]).toEqual([0, 2]);
    room.commit('mali', 'while looking');
    room.deliverAll();
    expect([model.unread, model.readSeq]).toEqual([0, 3]);
    expect(arrivals).toEqual([true, false, false]);
  });

  it('redraws from the reset messages, counting a new epoch from zero [RES-6]', () => {
    const room = new FakeRoom();
    room.commit('mali', 'old');
    room.deliverAll();
    const model = new RoomModel(room, { me: () => ME });
    const resets: boolean[] = [];
    model.on('reset', ({ epochChanged }) => resets.push(epochChanged));
    room.reset(true);
    expect(model.messages).toEqual([]);
    room.commit('mali', 'new log');
    room.deliverAll();
    expect(model.messages.map((m) => [m.seq, m.text])).toEqual([[1, 'new log']]);
    expect(model.unread).toBe(1);
    room.commit('dao', 'missed');
    room.commit('dao', 'latest');
    room.reset(false);
    expect(model.messages.map((m) => m.text)).toEqual(['new log', 'missed', 'latest']);
    expect(model.unread).toBe(3);
    expect(resets).toEqual([true, false]);
  });

  it('drops a page that answers a request made before a reset', async () => {
    const room = new FakeRoom();
    for (const text of ['a', 'b', 'c']) room.commit('mali', text);
    room.seq = 3;
    room.recent = room.log.slice(2);
    const model = new RoomModel(room, { me: () => ME });
    const loading = model.loadOlder();
    room.reset(true);
    room.answer();
    expect(await loading).toBe(0);
    expect(model.messages).toEqual([]);
    expect(model.loadingOlder).toBe(false);
  });

  it('tells the start of the room from messages dropped by retention [HIST-8]', async () => {
    const room = new FakeRoom();
    for (let n = 1; n <= 10; n++) room.commit('mali', `m${n}`);
    room.retain(5);
    room.seq = 10;
    room.recent = room.log.slice(7);
    const model = new RoomModel(room, { me: () => ME, pageSize: 2 });
    const older = [];
    while (model.hasOlder) {
      const loading = model.loadOlder();
      room.answer();
      older.push(await loading);
    }
    expect(older).toEqual([2, 1]);
    expect(model.messages[0]!.seq).toBe(5);
    expect(model.retentionFloor).toBe(5);

    const fresh = new FakeRoom();
    fresh.commit('mali', 'first');
    fresh.commit('mali', 'second');
    fresh.seq = 2;
    fresh.recent = fresh.log.slice(1);
    const start = new RoomModel(fresh, { me: () => ME });
    const loading = start.loadOlder();
    fresh.answer();
    await loading;
    expect([start.hasOlder, start.retentionFloor]).toEqual([false, undefined]);
  });

  it('keeps at most maxMessages, dropping only read ones, and lets them be paged back', async () => {
    const room = new FakeRoom();
    const model = new RoomModel(room, { me: () => ME, maxMessages: 3 });
    for (let n = 1; n <= 5; n++) room.commit('mali', `m${n}`);
    room.deliverAll();
    expect(model.messages.length).toBe(5); // all unread: none dropped
    model.markRead();
    room.commit('mali', 'm6');
    room.deliverAll();
    expect(model.messages.map((m) => m.text)).toEqual(['m4', 'm5', 'm6']);
    expect(model.hasOlder).toBe(true);
  });

  it('shows sends in flight until their message arrives, keeps failures until retried or discarded', () => {
    const room = new FakeRoom();
    const model = new RoomModel(room, { me: () => 'token-name' });
    const changes: RoomChangeKind[][] = [];
    model.on('changed', (ctx) => changes.push([...ctx.changes]));
    room.outgoing({ clientId: 'c1', text: 'hello', status: 'queued' });
    room.outgoing({ clientId: 'c1', text: 'hello', status: 'sending' });
    expect(model.pending.map((p) => [p.clientId, p.status])).toEqual([['c1', 'sending']]);
    // The server names the sender differently (a token's name): the clientId makes it mine.
    room.commit('Token Display', 'hello', 'c1');
    room.deliverAll();
    expect(model.pending).toEqual([]);
    expect(model.messages[0]!.own).toBe(true);
    room.outgoing({ clientId: 'c1', text: 'hello', status: 'sending' }); // a retry after a lost ack
    expect(model.pending).toEqual([]);
    room.outgoing({ clientId: 'c1', text: 'hello', status: 'sent', seq: 1 });

    const refused = new Error('refused');
    room.outgoing({ clientId: 'c2', text: 'bad', status: 'queued' });
    room.outgoing({ clientId: 'c2', text: 'bad', status: 'failed', error: refused });
    expect(model.pending).toMatchObject([{ clientId: 'c2', status: 'failed', error: refused }]);
    void model.retry('c2');
    expect(room.sent).toEqual([{ text: 'bad', clientId: 'c2' }]);
    model.discard('c2');
    expect(model.pending).toEqual([]);
    expect(changes.every((c) => c.includes('pending') || c.includes('messages'))).toBe(true);
  });

  it('fetches the messages the room delivered before the model listened', async () => {
    const room = new FakeRoom();
    for (let n = 1; n <= 4; n++) room.commit('mali', `m${n}`);
    room.recent = room.log.slice(0, 2);
    room.seq = 4;
    const model = new RoomModel(room, { me: () => ME });
    expect(room.requests[0]!.query).toMatchObject({ after: 2 });
    room.answer();
    await settle();
    expect(model.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(model.unread).toBe(0);
  });

  it('keeps the draft and reports each change once', () => {
    const saved: string[] = [];
    const model = new RoomModel(new FakeRoom(), { draft: 'half', onDraft: (text) => saved.push(text) });
    expect(model.draft).toBe('half');
    model.setDraft('half a');
    model.setDraft('half a');
    expect(saved).toEqual(['half a']);
  });
});
