import { ClientError, ErrorCode, ProtocolError } from '@kuykan/sdk';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { errorText } from '../src/error-text.js';
import { sizeOf } from '../src/format.js';
import { loadLang, setLang } from '../src/i18n.js';
import { mentionedNames, parseMessage } from '../src/markup.js';

// The Thai strings are a chunk of their own.
beforeAll(() => loadLang('th'));

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
