import type { ChatMessage } from '@kuykan/sdk';
import { ClientError, ErrorCode, ProtocolError } from '@kuykan/sdk';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { errorText } from '../src/error-text.js';
import { sizeOf } from '../src/format.js';
import { loadLang, setLang } from '../src/i18n.js';
import { mentionedNames, parseMessage } from '../src/markup.js';
import { RoomView } from '../src/room-view.js';

// The Thai strings are a chunk of their own.
beforeAll(() => loadLang('th'));

const ts = Date.UTC(2026, 11, 7, 5, 0);
function message(seq: number, extra: Partial<ChatMessage> = {}): ChatMessage {
  return { seq, messageId: `m${seq}`, ts: ts + seq, from: 'nok', text: `text ${seq}`, ...extra };
}

describe('RoomView.replace', () => {
  it('swaps in the newer records of messages shown and leaves the others (and the array) alone', () => {
    const view = new RoomView('lobby');
    view.reset([message(1), message(2), message(3)], 'me');
    const before = view.items;
    const edited = { ...message(2), text: 'text 2, edited', editedTs: ts + 9 };
    const reply = { ...message(3), reply: { messageId: 'm2', from: 'nok', text: 'text 2, edited' } };
    expect(view.replace([edited, reply, undefined])).toBe(true);
    expect(view.items).not.toBe(before);
    expect(view.items[0]).toBe(before[0]);
    expect(view.items.map((i) => i.kind === 'message' && i.message.text)).toEqual([
      'text 1',
      'text 2, edited',
      'text 3',
    ]);
    const unchanged = view.items;
    expect(view.replace([message(7), undefined])).toBe(false);
    expect(view.items).toBe(unchanged);
  });

  it('never replaces a message still being sent', () => {
    const view = new RoomView('lobby');
    view.setOutgoing('c1', 'on its way', 'sending', 'me');
    expect(view.replace([{ ...message(0), messageId: 'pending-c1', text: 'changed' }])).toBe(false);
    expect(view.items.map((i) => i.kind === 'message' && i.message.text)).toEqual(['on its way']);
  });

  it('titles a direct room by its peer and counts up to the newest confirmed seq', () => {
    const view = new RoomView('@x7f3');
    view.reset([message(4), message(5)], 'me');
    view.setOutgoing('c2', 'pending', 'queued', 'me');
    expect(view.lastSeq).toBe(5);
    expect(view.title).toBe('# @x7f3');
    view.peer = 'Tom';
    expect(view.title).toBe('@Tom');
  });
});

describe('mentionedNames', () => {
  it('lists each member a text mentions once, outside code', () => {
    const blocks = parseMessage('@Tom and **@มาลี**, again @Tom; `@Nok` is code', {
      names: ['Tom', 'มาลี', 'Nok'],
      me: 'Nok',
    });
    expect(mentionedNames(blocks)).toEqual(['Tom', 'มาลี']);
  });
});

describe('version 2 refusals and sizes', () => {
  afterEach(() => setLang('en'));

  it('words edit, reaction and file refusals from their code, in both languages', () => {
    expect(errorText(new ProtocolError(ErrorCode.EDIT_EXPIRED, 'edit window passed'))).toBe(
      'The time to edit this message has passed.',
    );
    expect(errorText(new ProtocolError(ErrorCode.QUOTA_EXCEEDED, 'quota'))).toMatch(/^Your storage is full/);
    expect(errorText(new ProtocolError(ErrorCode.TOO_LARGE, 'too big'), { maxUploadBytes: 25 * 1024 * 1024 })).toBe(
      'The file is too large (at most 25 MB).',
    );
    expect(errorText(new ClientError('ABORTED', 'cancelled'))).toBe('Cancelled.');
    setLang('th');
    expect(errorText(new ProtocolError(ErrorCode.NOT_AUTHOR, 'not yours'))).toBe('เฉพาะผู้เขียนเท่านั้นที่เปลี่ยนข้อความนี้ได้');
    expect(errorText(new ProtocolError(ErrorCode.UPLOAD_INVALID, 'bad'))).toMatch(/^เซิร์ฟเวอร์ไม่รับไฟล์นี้/);
  });

  it('gives file sizes in bytes, KB and MB of 1024', () => {
    expect(sizeOf(13)).toBe('13 B');
    expect(sizeOf(1536)).toBe('1.5 KB');
    expect(sizeOf(200_000)).toBe('195 KB');
    expect(sizeOf(5 * 1024 * 1024)).toBe('5 MB');
  });
});
