/**
 * The contract of a version 2 store's log, run against each store (memory
 * and SQLite in store-entries.test.ts, Redis in redis-v2-store.test.ts):
 * every store applies the rules of store/fold.ts the same way, checks an
 * entry against its target atomically with its commit, and reads the same
 * records back.
 */

import { applyEntry, type ChatMessage, EntryKind, ErrorCode, type ProtocolError } from '@kuykan/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { LEGACY_IDENTITY } from '../src/identity.js';
import type { ChatStore, EntryChange, EntryRules, NewMessage } from '../src/store/types.js';

/** The rules the contract's stores are opened with. */
export const CONTRACT_RULES: EntryRules = { editWindowMs: 0, maxReactions: 2 };

let n = 0;
function entry(who: string, text: string, extra: Partial<NewMessage> = {}): NewMessage {
  n += 1;
  return { room: 'r', from: who, userKey: who, identity: `id-${who}`, clientId: `c${n}`, text, ...extra };
}
const change = (who: string, c: EntryChange, text = '') => entry(who, text, { change: c });

async function refusal(promise: Promise<unknown>): Promise<number | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as ProtocolError).code;
  }
}

/** Registers the contract for stores made by `open` (with {@link CONTRACT_RULES}); each is closed after its test. */
export function storeContract(stores: Array<[string, () => ChatStore | Promise<ChatStore>]>): void {
  const opened: ChatStore[] = [];
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });
  describe.each(stores)('%s store entries', (_kind, open) => {
    const store = async () => {
      const s = await open();
      opened.push(s);
      return s;
    };

    it('numbers entries of every kind in one seq sequence and folds them into the message', async () => {
      const s = await store();
      const m = (await s.append(entry('ann', 'helo', { mentions: ['bob'] }))).message;
      const e = (await s.append(change('ann', { kind: EntryKind.EDIT, target: m.messageId }, 'hello'))).message;
      const r = (await s.append(change('bob', { kind: EntryKind.REACT, target: m.messageId, emoji: '👍' }))).message;
      expect([m.seq, e.seq, r.seq]).toEqual([1, 2, 3]);
      expect(e).toMatchObject({ kind: 'edit', target: m.messageId, text: 'hello' });
      expect(e.mentions).toBeUndefined();
      const [record] = await s.range('r', { limit: 10, newest: false, records: 'messages', viewer: 'id-bob' });
      expect(record).toEqual({
        seq: 1,
        messageId: m.messageId,
        ts: m.ts,
        from: 'ann',
        text: 'hello',
        clientId: m.clientId,
        editedTs: e.ts,
        revision: 3,
        reactions: [{ emoji: '👍', count: 1, names: ['bob'], me: true }],
      });
      // Folding the entries onto the message as a client does gives the same record [FOLD-2].
      const folded: ChatMessage = { ...m };
      for (const later of [e, r]) applyEntry(folded, later, 'bob');
      expect(folded).toEqual(record);
    });

    it('reads entries, message records, or the messages a v1 session sees', async () => {
      const s = await store();
      const a = (await s.append(entry('ann', 'a'))).message;
      await s.append(entry('ann', 'b'));
      await s.append(change('ann', { kind: EntryKind.DELETE, target: a.messageId }));
      await s.append(entry('ann', 'c'));
      const seqs = async (records: 'entries' | 'messages' | 'visible', newest = false, limit = 10) =>
        (await s.range('r', { limit, newest, records })).map((x) => x.seq);
      expect(await seqs('entries')).toEqual([1, 2, 3, 4]);
      expect(await seqs('messages')).toEqual([1, 2, 4]);
      expect(await seqs('visible')).toEqual([2, 4]);
      expect(await seqs('visible', true, 1)).toEqual([4]);
      expect(await seqs('messages', true, 2)).toEqual([2, 4]);
    });

    it('checks each entry against the state the entries committed before it left, within one tick', async () => {
      const s = await store();
      const m = (await s.append(entry('ann', 'x'))).message;
      const target = m.messageId;
      // All in one tick: the SQLite store commits them in one transaction.
      const results = await Promise.allSettled([
        s.append(change('ann', { kind: EntryKind.DELETE, target })),
        s.append(change('ann', { kind: EntryKind.EDIT, target }, 'y')),
        s.append(change('bob', { kind: EntryKind.REACT, target, emoji: '👍' })),
        s.append(entry('bob', 'reply', { replyTo: target })),
        s.append(entry('bob', 'after')),
      ]);
      expect(
        results.map((r) => (r.status === 'fulfilled' ? r.value.message.seq : (r.reason as ProtocolError).code)),
      ).toEqual([2, ErrorCode.MESSAGE_DELETED, ErrorCode.MESSAGE_DELETED, ErrorCode.MESSAGE_DELETED, 3]);
      expect((await s.openRoom('r')).lastSeq).toBe(3);
    });

    it('refuses with the codes of §5.4 and commits nothing', async () => {
      const s = await store();
      const m = (await s.append(entry('ann', 'x'))).message;
      const target = m.messageId;
      const edit = (who: string, t: string) => s.append(change(who, { kind: EntryKind.EDIT, target: t }, 'y'));
      expect(await refusal(edit('bob', target))).toBe(ErrorCode.NOT_AUTHOR);
      expect(await refusal(edit('ann', `${target}0`))).toBe(ErrorCode.MESSAGE_NOT_FOUND);
      expect(await refusal(s.append(entry('ann', 'r', { replyTo: 'x.1' })))).toBe(ErrorCode.MESSAGE_NOT_FOUND);
      const react = (emoji: string, who = 'bob') => s.append(change(who, { kind: EntryKind.REACT, target, emoji }));
      await react('1️⃣');
      await react('2️⃣');
      expect(await refusal(react('3️⃣'))).toBe(ErrorCode.TOO_MANY_REACTIONS);
      expect((await react('2️⃣', 'cat')).message.seq).toBe(4);
      expect(await s.append(change('cat', { kind: EntryKind.UNREACT, target, emoji: '1️⃣' }))).toMatchObject({
        unchanged: true,
        message: { seq: 0, messageId: target },
      });
      expect((await s.openRoom('r')).lastSeq).toBe(4);
    });

    it('answers a repeated clientId with the original entry before any check [LOG-3]', async () => {
      const s = await store();
      const m = (await s.append(entry('ann', 'x'))).message;
      const del = change('ann', { kind: EntryKind.DELETE, target: m.messageId });
      const first = await s.append(del);
      const again = await s.append({ ...del, change: { kind: EntryKind.EDIT, target: 'nothing' } });
      expect(again).toMatchObject({ duplicate: true, message: { seq: first.message.seq } });
    });

    it('never lets the legacy author of a v1 message, nor an entry without identity, edit it', async () => {
      const s = await store();
      const m = (await s.append({ ...entry('old', 'from v1'), identity: undefined })).message;
      const as = (identity?: string) =>
        s.append({ ...change('old', { kind: EntryKind.EDIT, target: m.messageId }, 'z'), identity });
      expect(await refusal(as(undefined))).toBe(ErrorCode.NOT_AUTHOR);
      expect(await refusal(as(LEGACY_IDENTITY))).toBe(ErrorCode.NOT_AUTHOR);
    });

    it('builds reply previews from the original as it is now [REPLY-2, REPLY-3]', async () => {
      const s = await store();
      const long = `${'ก่'.repeat(60)}end`;
      const m = (await s.append(entry('ann', long))).message;
      const reply = (await s.append(entry('bob', 'yes', { replyTo: m.messageId }))).message;
      expect(reply.reply).toEqual({ messageId: m.messageId, from: 'ann', text: 'ก่'.repeat(50) });
      await s.append(change('ann', { kind: EntryKind.EDIT, target: m.messageId }, 'short'));
      const preview = async () =>
        (await s.range('r', { limit: 10, newest: false, records: 'messages' })).find((x) => x.seq === reply.seq)!.reply;
      expect(await preview()).toEqual({ messageId: m.messageId, from: 'ann', text: 'short' });
      await s.append(change('ann', { kind: EntryKind.DELETE, target: m.messageId }));
      expect(await preview()).toEqual({ messageId: m.messageId, from: 'ann', text: '', deleted: true });
    });

    it('counts unread messages and mentions after a read marker [READ-3]', async () => {
      const s = await store();
      const { epoch } = await s.openRoom('r');
      await s.append(entry('ann', 'one', { mentions: ['Bob'] }));
      await s.append(entry('bob', 'mine'));
      const gone = (await s.append(entry('ann', 'two', { mentions: ['bob'] }))).message;
      await s.append(entry('ann', 'three', { mentions: ['BOB', 'cat'] }));
      await s.append(change('ann', { kind: EntryKind.DELETE, target: gone.messageId }));
      const count = (afterSeq: number, direct = false) =>
        s.unread('r', { identity: 'id-bob', nameKey: 'bob', afterSeq, upToSeq: 5, direct });
      expect(await count(0)).toEqual({ unread: 2, mentions: 2 });
      expect(await count(1)).toEqual({ unread: 1, mentions: 1 });
      expect(await count(0, true)).toEqual({ unread: 2, mentions: 2 });
      expect(await s.moveReadMarker('id-bob', 'r', epoch, 0)).toBe(false);
      expect(await s.moveReadMarker('id-bob', 'r', epoch, 3)).toBe(true);
      expect(await s.moveReadMarker('id-bob', 'r', epoch, 2)).toBe(false);
      expect(await s.readMarker('id-bob', 'r', epoch)).toBe(3);
      expect(await s.readMarker('id-bob', 'r', 'another-epoch')).toBe(0);
    });

    it('keeps direct rooms with their members and last names', async () => {
      const s = await store();
      const a = { identity: 'id-a', name: 'Ann' };
      const b = { identity: 'id-b', name: 'Bob' };
      await s.openDirectRoom({ room: '@x', members: [a, b] });
      await s.openDirectRoom({ room: '@x', members: [{ ...b, name: 'Bobby' }, a] });
      const names = (await s.directRoom('@x'))!.members.map((m) => [m.identity, m.name]).sort();
      expect(names).toEqual([
        ['id-a', 'Ann'],
        ['id-b', 'Bobby'],
      ]);
      expect((await s.directRoomsOf('id-b')).map((d) => d.room)).toEqual(['@x']);
      expect(await s.directRoomsOf('id-c')).toEqual([]);
      await s.openDirectRoom({ room: '@y', members: [a, { identity: 'id-c', name: 'Cat' }] });
      expect((await s.directRoomsOf('id-a')).map((d) => d.room)).toEqual(['@y', '@x']);
      await s.openDirectRoom({ room: '@x', members: [a, b] });
      expect((await s.directRoomsOf('id-a')).map((d) => d.room)).toEqual(['@x', '@y']);
      expect(await s.directRoom('@z')).toBeUndefined();
    });
  });
}
