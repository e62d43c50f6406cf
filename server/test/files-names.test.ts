/**
 * Display names and Content-Disposition: hostile names are shown, never
 * executed or used as paths; and the signer's tokens are bound to their kind.
 */

import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sanitizeName } from '../src/files/index.js';
import { contentDisposition } from '../src/files/names.js';
import { Signer } from '../src/files/tokens.js';

describe('sanitizeName', () => {
  it('keeps Thai, emoji and spaces as they are', () => {
    expect(sanitizeName('รูป ทะเล 🏖️.jpg')).toBe('รูป ทะเล 🏖️.jpg');
  });

  it('removes C1 controls and DEL, and replaces a lone surrogate', () => {
    expect(sanitizeName('a\u0085b\u007fc\uD800.txt')).toBe('abc\uFFFD.txt');
  });

  it('cuts long names at a grapheme boundary within 255 code points', () => {
    const family = '👨‍👩‍👧';
    const name = sanitizeName(family.repeat(100));
    expect([...name].length).toBeLessThanOrEqual(255);
    expect(name).toBe(family.repeat(Math.floor(255 / [...family].length)));
  });
});

describe('contentDisposition', () => {
  it('gives an ASCII fallback and the exact UTF-8 name', () => {
    expect(contentDisposition('inline', 'ทะเล "1".png')).toBe(
      `inline; filename="____ _1_.png"; filename*=UTF-8''%E0%B8%97%E0%B8%B0%E0%B9%80%E0%B8%A5%20%221%22.png`,
    );
  });

  it('cannot be broken out of by quotes, semicolons or newlines', () => {
    const header = contentDisposition('attachment', sanitizeName('x";\r\nSet-Cookie: a=b.png'));
    expect(header).not.toMatch(/[\r\n]/);
    expect(header).toBe(
      `attachment; filename="x_;Set-Cookie: a=b.png"; filename*=UTF-8''x%22%3BSet-Cookie%3A%20a%3Db.png`,
    );
  });
});

describe('Signer', () => {
  const signer = new Signer(randomBytes(32));
  const claims = { slot: 's', userKey: 'k', userName: 'n', room: 'r', name: 'f', size: 1, type: '', exp: 2000 };

  it('verifies its own slot token until it expires', () => {
    const token = signer.slotToken(claims);
    expect(signer.verifySlotToken(token, 1999)).toEqual(claims);
    expect(signer.verifySlotToken(token, 2000)).toBeUndefined();
  });

  it('refuses a URL signature as a slot token and the other way round', () => {
    const signature = signer.urlSignature('s', 'file', 2000);
    expect(signer.verifySlotToken(`e30.${signature}`, 0)).toBeUndefined();
    const token = signer.slotToken(claims);
    expect(signer.verifyUrl('s', 'file', 2000, token.split('.')[1]!, 0)).toBe(false);
  });
});
