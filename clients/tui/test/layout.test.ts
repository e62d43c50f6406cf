import { describe, expect, it } from 'vitest';
import { wrap } from '../src/layout.js';
import { displayWidth, setWidthModel } from '../src/width.js';

const plain = (line: string) => line.replace(/\{\/?[a-z0-9-]*\}/g, '');

describe('wrap', () => {
  it('breaks Thai at word boundaries, never inside a word', () => {
    setWidthModel('unicode');
    const lines = wrap([{ text: 'ข้อความเก่าญี่ปุ่นสวัสดีครับวันนี้อากาศดีมาก' }], { width: 12 }).map(plain);
    expect(lines).toEqual(['ข้อความเก่าญี่ปุ่น', 'สวัสดีครับวันนี้', 'อากาศดีมาก']);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(12);
  });

  it('keeps a skin-toned emoji whole and cuts an over-long run between clusters', () => {
    setWidthModel('unicode');
    const lines = wrap([{ text: '👍🏽'.repeat(7) }], { width: 5 }).map(plain);
    expect(lines).toEqual(['👍🏽👍🏽', '👍🏽👍🏽', '👍🏽👍🏽', '👍🏽']);
  });

  it('indents continuation lines and drops the space at a break', () => {
    setWidthModel('unicode');
    const lines = wrap([{ text: 'hh: ' }, { text: 'one two three four' }], { width: 12, indent: [{ text: '    ' }] });
    expect(lines.map(plain)).toEqual(['hh: one two', '    three', '    four']);
  });

  it('breaks text with spaces only at spaces, so addresses and links stay whole', () => {
    setWidthModel('unicode');
    const lines = wrap([{ text: 'connected to ws://127.0.0.1:43957 as somchai, ok' }], { width: 24 }).map(plain);
    expect(lines).toEqual(['connected to', 'ws://127.0.0.1:43957 as', 'somchai, ok']);
  });

  it('keeps styles per span and escapes tag syntax and escapes from the text', () => {
    setWidthModel('unicode');
    const [line] = wrap([{ text: 'a{b}', style: ['bold'] }, { text: ' \u001b[2Jc' }], { width: 40 });
    expect(line).toBe('{/}{bold}a{open}b{close}{/} �c');
  });
});
