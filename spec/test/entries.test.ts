import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyEntry,
  type ChatMessage,
  ErrorCode,
  isDirectRoom,
  previewText,
  REPLY_PREVIEW_LENGTH,
  validateMentions,
  validateReaction,
} from '../src/index.js';

describe('validateReaction [REACT-1]', () => {
  it.each([
    ['a plain emoji', '👍'],
    ['a skin tone', '👍🏽'],
    ['a ZWJ sequence', '🧑‍💻'],
    ['a flag', '🇹🇭'],
    ['a keycap', '1️⃣'],
    ['a fully qualified heart', '❤️'],
    ['an emoji of Unicode 15', '🫷'],
  ])('accepts %s', (_what, emoji) => {
    expect(validateReaction(emoji)).toEqual({ ok: true, value: emoji });
  });

  it.each([
    ['the empty string', ''],
    ['two emoji', '👍👍'],
    ['a text-style heart without U+FE0F', '❤'],
    ['a letter', 'a'],
    ['a Thai letter with a tone mark', 'ก่'],
    ['an emoji with text after it', '👍 '],
    ['a lone regional indicator', '🇹'],
  ])('refuses %s', (_what, emoji) => {
    expect(validateReaction(emoji)).toMatchObject({ ok: false, code: ErrorCode.REACTION_INVALID });
  });
});

describe('previewText [REPLY-2]', () => {
  it('keeps a short text whole', () => {
    expect(previewText('สวัสดี 👋')).toBe('สวัสดี 👋');
  });

  it('cuts a long Thai text at a grapheme cluster boundary within the limit', () => {
    // Each น้ำ is three code points in one cluster: a cut inside it would split the vowel from its tone mark.
    const text = 'น้ำ'.repeat(40);
    const preview = previewText(text);
    expect([...preview].length).toBeLessThanOrEqual(REPLY_PREVIEW_LENGTH);
    expect(preview).toBe('น้ำ'.repeat(33));
  });

  it('never splits an emoji sequence', () => {
    const text = `${'a'.repeat(98)}👨‍👩‍👧`;
    expect(previewText(text)).toBe('a'.repeat(98));
  });
});

describe('validateMentions [MENTION-1]', () => {
  it('normalizes names and keeps each name once by name key', () => {
    expect(validateMentions(['  Nok ', 'nok', 'สมชาย'])).toEqual({ ok: true, value: ['Nok', 'สมชาย'] });
  });

  it('refuses more names than allowed', () => {
    expect(validateMentions(['a', 'b', 'c'], 2)).toMatchObject({ ok: false, code: ErrorCode.MENTIONS_INVALID });
  });

  it('refuses a name the name rules refuse', () => {
    expect(validateMentions(['ok', 'bad\u0000name'])).toMatchObject({ ok: false, code: ErrorCode.MENTIONS_INVALID });
  });
});

describe('isDirectRoom [DM-3]', () => {
  it('recognises names beginning with @', () => {
    expect(isDirectRoom('@3q7nbx0c5k2m8r4tvw6y')).toBe(true);
    expect(isDirectRoom('lobby')).toBe(false);
  });
});

/** A change entry for message seq 1, as a server would commit it. */
type Change =
  | { kind: 'edit'; text: string }
  | { kind: 'delete' }
  | { kind: 'react' | 'unreact'; emoji: string; from: string };

const USERS = ['Nok', 'Ann', 'สมชาย', 'Lek'];
const EMOJI = ['👍', '❤️', '🧑‍💻'];
const change: fc.Arbitrary<Change> = fc.oneof(
  { weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 8 }).map((text) => ({ kind: 'edit' as const, text })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'delete' as const }) },
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        fc.constantFrom('react' as const, 'unreact' as const),
        fc.constantFrom(...EMOJI),
        fc.constantFrom(...USERS),
      )
      .map(([kind, emoji, from]) => ({ kind, emoji, from })),
  },
);

const original = (): ChatMessage => ({ seq: 1, messageId: 'e.1', ts: 1, from: 'Nok', text: 'hello' });

/**
 * The log a server commits for these requests: a reaction that changes
 * nothing commits nothing [LOG-5], and nothing changes a deleted message
 * [DEL-3].
 */
function commit(changes: Change[]): ChatMessage[] {
  const reacted = new Set<string>();
  let deleted = false;
  const log: ChatMessage[] = [];
  for (const c of changes) {
    if (deleted) continue;
    const seq = log.length + 2;
    const base = { seq, messageId: `e.${seq}`, ts: seq, target: 'e.1', text: '' };
    if (c.kind === 'edit') log.push({ ...base, from: 'Nok', kind: 'edit', text: c.text });
    else if (c.kind === 'delete') {
      deleted = true;
      log.push({ ...base, from: 'Nok', kind: 'delete' });
    } else {
      const key = `${c.from}\u0000${c.emoji}`;
      if (reacted.has(key) === (c.kind === 'react')) continue;
      if (c.kind === 'react') reacted.add(key);
      else reacted.delete(key);
      log.push({ ...base, from: c.from, kind: c.kind, emoji: c.emoji });
    }
  }
  return log;
}

/** What a record looks like after folding, without the display sample of names. */
function visible(record: ChatMessage) {
  return {
    text: record.text,
    deleted: record.deleted,
    editedTs: record.editedTs,
    revision: record.revision,
    reactions: record.reactions?.map(({ emoji, count, me }) => ({ emoji, count, me })),
  };
}

describe('applyEntry [FOLD-2, FOLD-3]', () => {
  it('folds a snapshot plus any overlapping, repeated delivery of the entries into the same state', () => {
    fc.assert(
      fc.property(
        fc.array(change, { maxLength: 30 }),
        fc.nat(),
        fc.array(fc.nat(), { maxLength: 10 }),
        (changes, cut, repeats) => {
          const log = commit(changes);
          const expected = original();
          for (const entry of log) applyEntry(expected, entry, 'Ann');
          // A folded record served at some point of the log (a page or joined), then every entry
          // (a resume gap overlapping the snapshot), some of them delivered twice.
          const at = log.length === 0 ? 0 : cut % (log.length + 1);
          const snapshot = original();
          for (const entry of log.slice(0, at)) applyEntry(snapshot, entry, 'Ann');
          const deliveries = [...log];
          for (const r of repeats) if (log.length > 0) deliveries.push(log[r % log.length]!);
          deliveries.sort((a, b) => a.seq - b.seq);
          for (const entry of deliveries) applyEntry(snapshot, entry, 'Ann');
          expect(visible(snapshot)).toEqual(visible(expected));
          for (const reaction of snapshot.reactions ?? []) {
            expect(reaction.names.length).toBeLessThanOrEqual(Math.min(3, reaction.count));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('ignores an entry for another message or one already folded in', () => {
    const record: ChatMessage = { ...original(), revision: 5 };
    expect(
      applyEntry(record, { seq: 4, messageId: 'e.4', ts: 4, from: 'Nok', text: 'x', kind: 'edit', target: 'e.1' }),
    ).toBe(false);
    expect(
      applyEntry(record, { seq: 6, messageId: 'e.6', ts: 6, from: 'Nok', text: 'x', kind: 'edit', target: 'e.2' }),
    ).toBe(false);
    expect(record.text).toBe('hello');
  });

  it('marks my own reaction and clears it when I remove it', () => {
    const record = original();
    applyEntry(
      record,
      { seq: 2, messageId: 'e.2', ts: 2, from: 'Ann', text: '', kind: 'react', target: 'e.1', emoji: '👍' },
      'ann',
    );
    expect(record.reactions).toEqual([{ emoji: '👍', count: 1, names: ['Ann'], me: true }]);
    applyEntry(
      record,
      { seq: 3, messageId: 'e.3', ts: 3, from: 'Ann', text: '', kind: 'unreact', target: 'e.1', emoji: '👍' },
      'ann',
    );
    expect(record.reactions).toBeUndefined();
  });
});
