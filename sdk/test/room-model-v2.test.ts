import { type ChatMessage, EntryKind, isMessage, nameKey } from '@kuykan/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LiveMessages } from '../src/live-messages.js';
import { isOwn, RoomModel } from '../src/model/index.js';
import { FakeRoom } from './fake-room.js';

const ME = 'Somchai';
const AUTHORS = ['somchai', 'Mali', 'dao'];
const EMOJI = ['👍', '🎉'];

/** Lets pending promise continuations run (answers reach the model). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A room of version 2 whose log holds `before` messages, the last `recent` of them in `joined`. */
function v2Room(before = 0, recent = before, liveLimit = 1000): FakeRoom {
  const room = new FakeRoom();
  room.version = 2;
  room.live = new LiveMessages(liveLimit);
  for (let n = 0; n < before; n++) room.commit(AUTHORS[n % AUTHORS.length]!, `m${n}`);
  room.recent = room.log.slice(before - recent);
  room.seq = before;
  room.live.merge(room.recent);
  return room;
}

/** Unread messages of others after `readSeq`, not deleted, as the server counts them [READ-3]. */
function truth(room: FakeRoom, readSeq: number): { unread: number; mentions: number } {
  const unread = room.log
    .filter((m) => isMessage(m) && m.seq > readSeq && m.seq >= room.floor && nameKey(m.from) !== nameKey(ME))
    .map((m) => room.folded(m))
    .filter((m) => !m.deleted);
  return { unread: unread.length, mentions: unread.filter((m) => room.mentionsMe(m)).length };
}

/** The invariants at every step: sorted, unique, flags by the v2 rules, counts never below the held ones. */
function check(model: RoomModel): void {
  const seqs = model.messages.map((m) => m.seq);
  for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]!);
  expect(new Set(model.messages.map((m) => m.messageId)).size).toBe(seqs.length);
  const held = model.messages.filter((m) => m.seq > model.readSeq && !m.own && !m.deleted);
  for (const m of model.messages) {
    expect(m.own).toBe(isOwn(m, ME, new Set()));
    expect(m.mentionsMe).toBe(!m.own && !!m.mentions?.some((name) => nameKey(name) === nameKey(ME)));
  }
  // Unread messages below the list are counted from `joined`; once the read position reaches the list, none are.
  expect(model.unread).toBeGreaterThanOrEqual(held.length);
  expect(model.mentions).toBeGreaterThanOrEqual(held.filter((m) => m.mentionsMe).length);
  const oldest = seqs[0];
  if (oldest !== undefined && model.readSeq >= oldest - 1) {
    expect(model.unread).toBe(held.length);
    expect(model.mentions).toBe(held.filter((m) => m.mentionsMe).length);
  }
  if (model.seen) expect(model.unread).toBe(0);
}

type Step =
  | { kind: 'live'; author: number; mention: boolean }
  | { kind: 'offline'; author: number; mention: boolean }
  | { kind: 'change'; change: 'edit' | 'delete' | 'react'; pick: number; who: number; emoji: number; mention: boolean }
  | { kind: 'resume' }
  | { kind: 'reset'; newEpoch: boolean }
  | { kind: 'retain'; keep: number }
  | { kind: 'older' }
  | { kind: 'answer' }
  | { kind: 'read' }
  | { kind: 'readElsewhere'; back: number }
  | { kind: 'seen'; seen: boolean };

const message = { author: fc.nat(AUTHORS.length - 1), mention: fc.boolean() };
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('live' as const), ...message }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('offline' as const), ...message }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('change' as const),
      change: fc.constantFrom('edit' as const, 'delete' as const, 'react' as const),
      pick: fc.nat(),
      who: fc.nat(AUTHORS.length - 1),
      emoji: fc.nat(EMOJI.length - 1),
      mention: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'resume' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reset' as const), newEpoch: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('retain' as const), keep: fc.integer({ min: 6, max: 12 }) }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'older' as const }) },
  { weight: 3, arbitrary: fc.constant({ kind: 'answer' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'read' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('readElsewhere' as const), back: fc.nat(6) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('seen' as const), seen: fc.boolean() }) },
);

const mentionFields = (mention: boolean): Partial<ChatMessage> => (mention ? { mentions: ['somchai'] } : {});

/** Commits a change the server would accept: of a retained message not deleted; an edit or delete by its author. */
function change(room: FakeRoom, s: Extract<Step, { kind: 'change' }>): void {
  const candidates = room.log.filter((m) => isMessage(m) && m.seq >= room.floor && !room.folded(m).deleted);
  const target = candidates[s.pick % Math.max(1, candidates.length)];
  if (!target) return;
  if (s.change === 'react') {
    const from = AUTHORS[s.who]!;
    const emoji = EMOJI[s.emoji]!;
    const mine = room
      .folded(target)
      .reactions?.find((r) => r.emoji === emoji)
      ?.names.includes(from);
    room.change(from, mine ? EntryKind.UNREACT : EntryKind.REACT, target.messageId, { emoji });
  } else if (s.change === 'edit') {
    room.change(target.from, EntryKind.EDIT, target.messageId, {
      text: `edited ${s.pick}`,
      ...mentionFields(s.mention),
    });
  } else {
    room.change(target.from, EntryKind.DELETE, target.messageId);
  }
}

function apply(room: FakeRoom, model: RoomModel, s: Step): void {
  switch (s.kind) {
    case 'live':
      room.deliverAll(); // what was committed offline arrives first: the SDK delivers in seq order
      room.commit(AUTHORS[s.author]!, s.mention ? '@somchai look' : 'hi', undefined, mentionFields(s.mention));
      room.deliverAll();
      break;
    case 'offline':
      room.commit(AUTHORS[s.author]!, 'while away', undefined, mentionFields(s.mention));
      break;
    case 'change':
      change(room, s);
      if (s.pick % 2 === 0) room.deliverAll(); // live, or left for the next resume
      break;
    case 'resume':
      room.resume();
      break;
    case 'reset':
      room.reset(s.newEpoch);
      break;
    case 'retain':
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
    case 'readElsewhere':
      room.readElsewhere(Math.max(0, room.seq - s.back));
      break;
    case 'seen':
      model.setSeen(s.seen);
      break;
  }
}

describe('RoomModel (version 2)', () => {
  it('keeps records, read position and counts consistent with the log over any interleaving of entries and markers', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 60 }),
        fc.nat(12),
        fc.boolean(),
        async (steps, before, small) => {
          // A room whose live model keeps fewer messages than the app model: older records are folded by the model.
          const room = v2Room(before, Math.min(before, 3), small ? 4 : 1000);
          room.readSeq = Math.floor(before / 2);
          room.reset(false); // the first `joined`, with its counts
          const model = new RoomModel(room, { me: () => ME, maxMessages: 8, pageSize: 4 });
          check(model);
          for (const s of steps) {
            apply(room, model, s);
            await settle();
            check(model);
          }
          // Quiescence: everything delivered and answered, paged back to the start.
          room.deliverAll();
          while (room.answer()) await settle();
          while (model.hasOlder) {
            const loading = model.loadOlder();
            room.answer();
            await loading;
          }
          check(model);
          // Every message is in its current state [FOLD-1], with no hole between the oldest and the newest.
          const retained = room.log.filter((m) => isMessage(m) && m.seq >= (model.messages[0]?.seq ?? 1));
          const shown = model.messages.map(({ own: _o, mentionsMe: _m, revision: _r, ...record }) => record);
          const server = retained.map((m) => {
            const { revision: _r, ...record } = room.folded(m);
            return record;
          });
          expect(shown).toEqual(server);
          // …and the counts are the server's [READ-3]: nothing counted twice across resumes.
          expect({ unread: model.unread, mentions: model.mentions }).toEqual(truth(room, model.readSeq));
          model.dispose();
        },
      ),
      { numRuns: 300, seed: 20261207 },
    );
  });

  it('starts from the marker and counts of joined, and follows a marker moved on another device [READ-2]', () => {
    const room = v2Room(10, 3);
    room.log[1]!.mentions = ['somchai'];
    room.readSeq = 1;
    room.reset(false);
    const model = new RoomModel(room, { me: () => ME });
    expect([model.readSeq, model.unread, model.mentions]).toEqual([1, 6, 1]); // 9 after seq 1, 3 mine
    expect(model.messages.map((m) => m.seq)).toEqual([8, 9, 10]);
    room.readElsewhere(8);
    expect([model.readSeq, model.unread, model.mentions]).toEqual([8, 1, 0]);
    expect(room.reads).toEqual([]);
  });

  it('tells the server as messages are read while the room is seen', () => {
    const room = v2Room(2);
    const model = new RoomModel(room, { me: () => ME });
    model.setSeen(true);
    room.commit('mali', 'now');
    room.deliverAll();
    expect(room.reads).toEqual([2, 3]);
    expect(model.unread).toBe(0);
  });

  it('updates a record and the previews quoting it when an edit or delete arrives [REPLY-3]', () => {
    const room = v2Room();
    const model = new RoomModel(room, { me: () => ME });
    const original = room.commit('mali', 'lunch?');
    const quote = { messageId: original.messageId, from: 'mali', text: 'lunch?' };
    room.commit('dao', 'yes', undefined, { reply: quote });
    room.deliverAll();
    const before = model.messages;
    room.change('mali', EntryKind.EDIT, original.messageId, { text: 'dinner?' });
    room.deliverAll();
    expect(model.messages.map((m) => [m.text, m.reply?.text])).toEqual([
      ['dinner?', undefined],
      ['yes', 'dinner?'],
    ]);
    expect(before[0]!.text).toBe('lunch?');
    room.change('mali', EntryKind.DELETE, original.messageId);
    room.deliverAll();
    expect(model.messages[0]).toMatchObject({ deleted: true, text: '' });
    expect(model.messages[1]!.reply).toMatchObject({ deleted: true, text: '' });
    expect(model.unread).toBe(1); // the deleted message no longer counts
  });
});
