import { describe, expect, it } from 'vitest';
import { CONTINUED, wrap } from '../src/layout.js';
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

describe('wrap of a word longer than the line', () => {
  const link = 'https://files.kuykan.example/f/0123456789abcdef/%E0%B8%A3%E0%B8%B9%E0%B8%9B.png?sig=zzzzzzzzzz';

  it('cuts a long link between clusters, marks each continuation with ↪, and loses nothing', () => {
    setWidthModel('unicode');
    const lines = wrap([{ text: 'see ' }, { text: link, style: ['underline'] }], {
      width: 30,
      indent: [{ text: '  ' }],
    }).map(plain);
    expect(lines[0]).toMatch(/^see https:/);
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines.slice(0, -1)) expect(displayWidth(line)).toBe(30);
    for (const line of lines.slice(1)) expect(line.startsWith(`  ${CONTINUED}`), line).toBe(true);
    expect([lines[0]!.slice(4), ...lines.slice(1).map((l) => l.slice(3))].join('')).toBe(link);
  });

  it('never splits a cluster of a long run without breaks', () => {
    setWidthModel('unicode');
    const word = 'e\u0301'.repeat(25);
    const lines = wrap([{ text: word }], { width: 10 }).map(plain);
    expect(lines).toEqual([
      'e\u0301'.repeat(10),
      `${CONTINUED}${'e\u0301'.repeat(9)}`,
      `${CONTINUED}${'e\u0301'.repeat(6)}`,
    ]);
  });
});
