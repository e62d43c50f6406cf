import { applyEntry, type ChatMessage, EntryKind, previewText } from '@kuykan/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fold, LiveMessages, requote } from '../src/live-messages.js';

const ME = 'somchai';
const USERS = ['somchai', 'mali', 'dao'];
const EMOJI = ['👍', '🎉'];

type Op =
  | { kind: 'send'; from: number; replyTo: number }
  | { kind: 'edit'; target: number; text: number }
  | { kind: 'delete'; target: number }
  | { kind: 'react'; target: number; from: number; emoji: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('send' as const), from: fc.nat(2), replyTo: fc.nat(5) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('edit' as const), target: fc.nat(5), text: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), target: fc.nat(5) }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('react' as const), target: fc.nat(5), from: fc.nat(2), emoji: fc.nat(1) }),
  },
);

/** A room log as a server commits it: entries with seqs 1, 2, 3…, refusing what the server refuses. */
function commit(ops: readonly Op[]): ChatMessage[] {
  const log: ChatMessage[] = [];
  const messages: ChatMessage[] = [];
  const state = (id: string) => foldUpTo(log, log.length).find((m) => m.messageId === id);
  const reacted = new Set<string>();
  for (const o of ops) {
    const seq = log.length + 1;
    const base = { seq, messageId: `e${seq}`, ts: 1000 + seq, text: '' };
    if (o.kind === 'send') {
      const quoted = messages[o.replyTo];
      const original = quoted && state(quoted.messageId);
      const message: ChatMessage = { ...base, from: USERS[o.from]!, text: `message ${seq}` };
      if (original && !original.deleted) {
        message.reply = { messageId: original.messageId, from: original.from, text: previewText(original.text) };
      }
      messages.push(message);
      log.push(message);
      continue;
    }
    const target = messages[o.target];
    if (!target || state(target.messageId)?.deleted) continue; // MESSAGE_NOT_FOUND, MESSAGE_DELETED
    if (o.kind === 'edit') {
      log.push({ ...base, from: target.from, kind: EntryKind.EDIT, target: target.messageId, text: `edit ${o.text}` });
    } else if (o.kind === 'delete') {
      log.push({ ...base, from: target.from, kind: EntryKind.DELETE, target: target.messageId });
    } else {
      const key = `${o.from}/${target.messageId}/${o.emoji}`;
      const on = !reacted.has(key);
      if (on) reacted.add(key);
      else reacted.delete(key);
      const kind = on ? EntryKind.REACT : EntryKind.UNREACT;
      log.push({ ...base, from: USERS[o.from]!, kind, target: target.messageId, emoji: EMOJI[o.emoji] });
    }
  }
  return log;
}

/** The folded records a `joined` or `page` built after entry `seq` carries [FOLD-1, REPLY-3]. */
function foldUpTo(log: readonly ChatMessage[], seq: number): ChatMessage[] {
  const upTo = log.filter((e) => e.seq <= seq);
  const records = upTo.filter((e) => e.kind === undefined).map((m) => structuredClone(m));
  for (const record of records) for (const entry of upTo) applyEntry(record, entry, ME);
  return records.map((record) => {
    const original = record.reply && records.find((r) => r.messageId === record.reply!.messageId);
    if (!original || !record.reply) return record;
    const reply = original.deleted
      ? { ...record.reply, text: '', deleted: true }
      : { ...record.reply, text: previewText(original.text) };
    return { ...record, reply };
  });
}

/** What a client holds, compared without the revision (which only orders changes). */
const view = (records: readonly ChatMessage[]) => records.map(({ revision: _revision, ...rest }) => rest);

describe('LiveMessages', () => {
  it('ends in the server state whatever order folded pages and live entries arrive in [FOLD-2]', () => {
    fc.assert(
      fc.property(
        fc.array(op, { minLength: 1, maxLength: 30 }),
        fc.array(fc.tuple(fc.nat(40), fc.nat(40)), { maxLength: 4 }),
        (ops, pages) => {
          const log = commit(ops);
          const live = new LiveMessages(1000);
          // Pages built after entry `built`, arriving after live entry `arrives`: older or newer than what was applied.
          const arrivals = pages.map(([built, arrives]) => ({ built: built % (log.length + 1), arrives }));
          for (const entry of log) {
            for (const page of arrivals)
              if (page.arrives % (log.length + 1) === entry.seq - 1) live.merge(foldUpTo(log, page.built));
            if (entry.kind === undefined) live.merge([entry]);
            else live.apply(entry, ME);
          }
          for (const page of arrivals)
            if (page.arrives % (log.length + 1) >= log.length) live.merge(foldUpTo(log, page.built));
          expect(view(live.list)).toEqual(view(foldUpTo(log, log.length)));
        },
      ),
      { numRuns: 500, seed: 20261207 },
    );
  });

  it('never changes a record it handed out', () => {
    const record: ChatMessage = {
      seq: 1,
      messageId: 'm1',
      ts: 1,
      from: 'mali',
      text: 'hi',
      reactions: [{ emoji: '👍', count: 1, names: ['dao'] }],
    };
    const frozen = structuredClone(record);
    const next = fold(
      record,
      { seq: 2, messageId: 'e2', ts: 2, from: ME, text: '', kind: 'react', target: 'm1', emoji: '👍' },
      ME,
    );
    expect(record).toEqual(frozen);
    expect(next?.reactions).toEqual([{ emoji: '👍', count: 2, names: ['dao', ME], me: true }]);
  });

  it('cuts a reply preview to whole graphemes, leaves other quotes alone, and keeps a deletion', () => {
    const reply: ChatMessage = {
      seq: 3,
      messageId: 'm3',
      ts: 3,
      from: 'dao',
      text: 'ok',
      reply: { messageId: 'm1', from: 'mali', text: 'hi' },
    };
    const long = `${'a'.repeat(99)}👍🏽 tail`;
    expect(requote(reply, { messageId: 'm1', text: long, deleted: false })?.reply?.text).toBe('a'.repeat(99));
    expect(requote(reply, { messageId: 'm2', text: long, deleted: false })).toBeUndefined();
    const gone = requote(reply, { messageId: 'm1', text: '', deleted: true })!;
    expect(gone.reply).toEqual({ messageId: 'm1', from: 'mali', text: '', deleted: true });
    expect(requote(gone, { messageId: 'm1', text: 'back?', deleted: false })).toBeUndefined();
  });

  it('keeps pages in seq order and lets the oldest go beyond its limit', () => {
    const live = new LiveMessages(3);
    const m = (seq: number): ChatMessage => ({ seq, messageId: `m${seq}`, ts: seq, from: 'mali', text: `${seq}` });
    live.merge([m(5), m(6)]);
    live.merge([m(3), m(4)]);
    expect(live.list.map((r) => r.seq)).toEqual([4, 5, 6]);
    live.merge([m(7)]);
    expect(live.list.map((r) => r.seq)).toEqual([5, 6, 7]);
    expect(live.get('m4')).toBeUndefined();
  });
});
