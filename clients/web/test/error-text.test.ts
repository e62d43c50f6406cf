import { ClientError, ErrorCode, ProtocolError } from '@kuykan/sdk';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { canRetry, errorText } from '../src/error-text.js';
import { loadLang, setLang } from '../src/i18n.js';

// The Thai strings are a chunk of their own.
beforeAll(() => loadLang('th'));

describe('errorText', () => {
  afterEach(() => setLang('en'));

  it('words protocol refusals from their code, in the UI language, not with the server text', () => {
    const taken = new ProtocolError(ErrorCode.NAME_TAKEN, 'name "nok" is in use');
    expect(errorText(taken)).toBe('That name is in use. Try another.');
    setLang('th');
    expect(errorText(taken)).toBe('ชื่อนี้มีคนใช้อยู่ ลองชื่ออื่น');
    expect(errorText(new ProtocolError(ErrorCode.TEXT_INVALID, 'message is longer than 4000 characters'))).toMatch(
      /^เซิร์ฟเวอร์ไม่รับข้อความนี้/,
    );
  });

  it("fills in the server's limits and falls back to the server text for an unknown code", () => {
    expect(errorText(new ProtocolError(ErrorCode.NAME_INVALID, 'x'), { maxNameLength: 20 })).toContain('1 to 20');
    expect(errorText(new ProtocolError(999 as ErrorCode, 'a new kind of refusal'))).toBe(
      'The server refused: a new kind of refusal',
    );
    expect(errorText(new ClientError('TIMEOUT', 'request timed out'))).toBe('The server did not answer in time.');
  });
});

describe('canRetry', () => {
  it('offers a retry only where sending the same text again can succeed', () => {
    expect(canRetry(new ProtocolError(ErrorCode.TEXT_INVALID, 'too long'))).toBe(false);
    expect(canRetry(new ProtocolError(ErrorCode.NOT_IN_ROOM, 'left'))).toBe(false);
    expect(canRetry(new ProtocolError(ErrorCode.RATE_LIMITED, 'slow down'))).toBe(true);
    expect(canRetry(new ProtocolError(ErrorCode.UNAVAILABLE, 'store down'))).toBe(true);
    expect(canRetry(new ClientError('TIMEOUT', 'no answer'))).toBe(true);
    expect(canRetry(new ClientError('TERMINAL', 'closed for good'))).toBe(false);
  });
});
