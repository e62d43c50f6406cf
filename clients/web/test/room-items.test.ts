import { ErrorCode, ProtocolError } from '@kuykan/sdk';
import type { MessageRecord, PendingMessage, RoomModel } from '@kuykan/sdk/model';
import { describe, expect, it } from 'vitest';
import { type Item, lastOwn, RoomItems, roomTitle } from '../src/room-items.js';

const ts = Date.UTC(2026, 11, 7, 5, 0);
function record(seq: number, from = 'nok'): MessageRecord {
  return { seq, messageId: `m${seq}`, ts: ts + seq, from, text: `text ${seq}`, own: from === 'me', mentionsMe: false };
}

/** The parts of a RoomModel the items read: its messages, sends, and the events that make notices. */
class FakeRoom {
  readonly name = 'lobby';
  peer: string | undefined;
  messages: readonly MessageRecord[] = [];
  pending: readonly PendingMessage[] = [];
  readonly listeners = new Map<string, (ctx: unknown) => void>();
  on(event: string, listener: (ctx: unknown) => void): void {
    this.listeners.set(event, listener);
  }
  emit(event: string, ctx: unknown = {}): void {
    this.listeners.get(event)?.(ctx);
  }
  get model(): RoomModel {
    return this as unknown as RoomModel;
  }
}

const shown = (items: Item[]) =>
  items.map((i) => (i.kind === 'notice' ? `[${i.text}]` : `${i.message.text}${i.status ? ` (${i.status})` : ''}`));

describe('RoomItems', () => {
  it('puts each notice after the message that was newest when it happened, and my sends on their way last', () => {
    const room = new FakeRoom();
    const items = new RoomItems();
    items.notice(room.model, 'before anything');
    room.messages = [record(1)];
    items.notice(room.model, 'after one');
    room.messages = [record(1), record(2), record(3, 'me')];
    room.pending = [{ clientId: 'c1', text: 'on its way', status: 'sending', ts }];
    expect(shown(items.of(room.model, 'me'))).toEqual([
      '[before anything]',
      'text 1',
      '[after one]',
      'text 2',
      'text 3',
      'on its way (sending)',
    ]);
    // Paging back brings older messages in above the notices, where they belong.
    room.messages = [record(0.5), ...room.messages];
    expect(shown(items.of(room.model, 'me')).slice(0, 2)).toEqual(['[before anything]', 'text 0.5']);
  });

  it('draws a send on its way as my message without a seq, and a failed one with why and whether Retry can work', () => {
    const room = new FakeRoom();
    room.pending = [
      {
        clientId: 'c1',
        text: 'slow down',
        status: 'failed',
        ts,
        error: new ProtocolError(ErrorCode.RATE_LIMITED, 'x'),
      },
      { clientId: 'c2', text: 'bad', status: 'failed', ts, error: new ProtocolError(ErrorCode.TEXT_INVALID, 'x') },
    ];
    const [limited, refused] = new RoomItems().of(room.model, 'me');
    expect(limited).toMatchObject({ key: 'pending-c1', own: true, message: { seq: 0, from: 'me', clientId: 'c1' } });
    expect(limited).toMatchObject({ status: 'failed', failure: { retry: true } });
    expect(refused).toMatchObject({ status: 'failed', failure: { retry: false } });
    expect(limited?.kind === 'message' && limited.failure?.reason).toBeTruthy();
  });

  it('returns the same array until the messages, the sends or the notices change, so the list re-renders only then', () => {
    const room = new FakeRoom();
    const items = new RoomItems();
    room.messages = [record(1)];
    const first = items.of(room.model, 'me');
    expect(items.of(room.model, 'me')).toBe(first);
    room.messages = [record(1), record(2)];
    const second = items.of(room.model, 'me');
    expect(second).not.toBe(first);
    items.notice(room.model, 'nok left');
    expect(items.of(room.model, 'me')).not.toBe(second);
  });

  it('writes notices for joins and leaves, reconnects, and a reset that redraws the room', () => {
    const room = new FakeRoom();
    const items = new RoomItems();
    items.follow(room.model);
    room.emit('presence', { name: 'dao', kind: 'join' });
    room.emit('resumed');
    expect(items.of(room.model, 'me')).toMatchObject([
      { kind: 'notice', text: 'dao joined', name: 'dao' },
      { kind: 'notice', text: 'Reconnected.' },
    ]);
    room.emit('reset');
    expect(shown(items.of(room.model, 'me'))).toEqual([
      '[Some messages could not be recovered after reconnecting; showing the latest.]',
    ]);
  });

  it('knows my newest confirmed message that is not deleted (the one ↑ edits)', () => {
    const room = new FakeRoom();
    room.messages = [record(1, 'me'), { ...record(2, 'me'), deleted: true }, record(3)];
    room.pending = [{ clientId: 'c1', text: 'still sending', status: 'sending', ts }];
    expect(lastOwn(room.model)?.messageId).toBe('m1');
    room.messages = [record(3)];
    expect(lastOwn(room.model)).toBeUndefined();
  });

  it('titles a direct room by its peer', () => {
    expect(roomTitle({ name: 'lobby', peer: undefined })).toBe('# lobby');
    expect(roomTitle({ name: '@x7f3', peer: 'Tom' })).toBe('@Tom');
  });
});
