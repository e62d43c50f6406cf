import type { ChatMessage } from '@kuykan/sdk';
import { describe, expect, it } from 'vitest';
import { MAX_ITEMS, RoomView } from '../src/room-view.js';

let ts = Date.UTC(2026, 10, 25, 4, 0);
function message(seq: number, from = 'nok', extra: Partial<ChatMessage> = {}): ChatMessage {
  return { seq, messageId: `m${seq}`, ts: ts++, from, text: `text ${seq}`, ...extra };
}
const texts = (view: RoomView) => view.items.map((i) => (i.kind === 'message' ? i.message.text : `[${i.text}]`));

describe('RoomView', () => {
  it('knows there is no older history when the first page starts at seq 1', () => {
    const view = new RoomView('lobby');
    view.reset([message(1), message(2)], 'me');
    expect(view.hasOlder).toBe(false);
    view.reset([message(5), message(6)], 'me');
    expect(view.hasOlder).toBe(true);
    expect(view.oldestSeq).toBe(5);
  });

  it('finds the first unread message of others after the read marker, skipping mine and deleted ones', () => {
    const view = new RoomView('lobby');
    view.reset([message(1), message(2, 'me'), message(3, 'dao', { deleted: true }), message(4), message(5)], 'me');
    expect(view.firstUnread(1)).toBe('m4');
    expect(view.firstUnread(0)).toBe('m1');
    expect(view.firstUnread(5)).toBeUndefined();
  });

  it('knows my newest confirmed message that is not deleted (the one ↑ edits)', () => {
    const view = new RoomView('lobby');
    view.reset([message(1, 'me'), message(2, 'me', { deleted: true }), message(3)], 'me');
    expect(view.lastOwn?.messageId).toBe('m1');
    view.setOutgoing('c1', 'still sending', 'sending', 'me');
    expect(view.lastOwn?.messageId).toBe('m1');
    expect(view.has('m3')).toBe(true);
    expect(view.has('m9')).toBe(false);
  });

  it('marks messages by this user as own, ignoring case', () => {
    const view = new RoomView('lobby');
    view.reset([message(1, 'Nok'), message(2, 'somchai')], 'nok');
    expect(view.items.map((i) => i.kind === 'message' && i.own)).toEqual([true, false]);
  });

  it('shows an outgoing message with its status and replaces it with the confirmed copy', () => {
    const view = new RoomView('lobby');
    view.reset([message(1)], 'me');
    view.setOutgoing('c1', 'hello', 'queued', 'me');
    view.setOutgoing('c1', 'hello', 'sending', 'me');
    expect(view.items).toHaveLength(2);
    expect(view.items[1]).toMatchObject({ own: true, status: 'sending', message: { seq: 0, text: 'hello' } });
    view.addMessage(message(2, 'me', { text: 'hello', clientId: 'c1' }), true);
    view.setOutgoing('c1', 'hello', 'sent', 'me');
    expect(texts(view)).toEqual(['text 1', 'hello']);
    expect(view.items[1]).toMatchObject({ message: { seq: 2 }, own: true });
    expect((view.items[1] as { status?: string }).status).toBeUndefined();
  });

  it('keeps pending messages after confirmed ones from others', () => {
    const view = new RoomView('lobby');
    view.reset([], 'me');
    view.setOutgoing('c1', 'mine', 'sending', 'me');
    view.addMessage(message(1, 'nok', { text: 'theirs' }), false);
    expect(texts(view)).toEqual(['theirs', 'mine']);
  });

  it('marks a failed message in place so it can be retried', () => {
    const view = new RoomView('lobby');
    view.setOutgoing('c1', 'oops', 'sending', 'me');
    const before = view.items;
    view.setOutgoing('c1', 'oops', 'failed', 'me');
    expect(view.items).not.toBe(before); // a new array, so Lit re-renders
    expect(view.items).toHaveLength(1);
    expect(view.items[0]).toMatchObject({ status: 'failed', message: { clientId: 'c1' } });
  });

  it('caps the items it keeps and remembers that older ones exist', () => {
    const view = new RoomView('lobby');
    view.reset([message(1)], 'me');
    for (let seq = 2; seq <= MAX_ITEMS + 50; seq++) view.addMessage(message(seq), false);
    view.addNotice('someone joined');
    expect(view.items).toHaveLength(MAX_ITEMS);
    expect(view.hasOlder).toBe(true);
    expect(view.items.at(-1)).toMatchObject({ kind: 'notice', text: 'someone joined' });
  });

  it('prepends older history without duplicating what is shown', () => {
    const view = new RoomView('lobby');
    view.reset([message(4), message(5)], 'me');
    view.prepend([message(2), message(3), message(4)], true, 'me');
    expect(view.items.map((i) => i.kind === 'message' && i.message.seq)).toEqual([2, 3, 4, 5]);
    expect(view.hasOlder).toBe(true);
    view.prepend([message(1)], false, 'me');
    expect(view.oldestSeq).toBe(1);
    expect(view.hasOlder).toBe(false);
  });

  it('gives every item a unique key', () => {
    const view = new RoomView('lobby');
    view.reset([message(1)], 'me');
    view.addNotice('a');
    view.addNotice('a');
    view.setOutgoing('c9', 'x', 'sending', 'me');
    const keys = view.items.map((i) => i.key);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
