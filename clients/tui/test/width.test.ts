import { describe, expect, it } from 'vitest';
import { decodeClusters, encodeClusters } from '../src/blessed-patch.js';
import { emojiNewerThan } from '../src/terminal.js';
import {
  cellsOf,
  clusterWidth,
  displayable,
  displayForm,
  displayWidth,
  setEmojiNames,
  setWidthModel,
  truncate,
} from '../src/width.js';

const names: Record<string, string> = { '🫷': 'leftwards_pushing_hand', '🏴󠁧󠁢󠁳󠁣󠁴󠁿': 'scotland' };
const useUnicode = () => setWidthModel('unicode');
const useTmux = () => {
  setWidthModel('tmux', emojiNewerThan(14));
  setEmojiNames((c) => names[c]);
};

describe('width in the unicode model', () => {
  it('adds up Thai by code point: marks take no column, SARA AM takes one', () => {
    useUnicode();
    expect(displayWidth('สวัสดี')).toBe(4);
    expect(displayWidth('น้ำ')).toBe(2);
    expect(displayWidth('ญี่ปุ่น')).toBe(3);
    expect(displayWidth('中文')).toBe(4);
  });

  it('draws every RGI emoji sequence in one 2-column cell, the newest included', () => {
    useUnicode();
    for (const emoji of ['👋', '👋🏽', '👨‍👩‍👧‍👦', '🇹🇭', '❤️', '#️⃣', '🏳️‍🌈', '🫷', '🫩', '🧑🏿‍🤝‍🧑🏿']) {
      expect(cellsOf(emoji), emoji).toEqual([{ text: emoji, width: 2 }]);
    }
    expect(clusterWidth('❤')).toBe(1);
  });
});

describe('width in the tmux model', () => {
  it('matches what tmux 3.3 was measured to draw', () => {
    useTmux();
    const measured: Array<[string, number]> = [
      ['👋🏽', 4],
      ['✌🏽', 3],
      ['❤️', 1],
      ['#️⃣', 1],
      ['🏳️‍🌈', 1],
      ['👨‍👩‍👧', 2],
      ['🇹🇭', 2],
      ['🧑🏿‍🤝‍🧑🏿', 6],
      ['👩🏽‍💻', 4],
      ['น้ำ', 2],
      ['ญี่ปุ่น', 3],
    ];
    for (const [text, columns] of measured) expect(displayWidth(text), text).toBe(columns);
    useUnicode();
  });

  it('shows what tmux cannot by a readable fallback', () => {
    useTmux();
    // Unicode 15 emoji have no width in tmux's table; a 25-byte family does not fit its 21-byte cell.
    expect(displayable('🫷')).toBe(false);
    expect(displayForm('🫷')).toBe(':leftwards_pushing_hand:');
    expect(displayForm('👨‍👩‍👧‍👦')).toBe('👨👩👧👦');
    expect(displayForm('🏴󠁧󠁢󠁳󠁣󠁴󠁿')).toBe(':scotland:');
    expect(displayForm('🫠')).toBe('🫠');
    expect(displayWidth('a🫷b')).toBe(2 + ':leftwards_pushing_hand:'.length);
    useUnicode();
  });
});

describe('zero-width clusters', () => {
  it('draws a lone mark on a dotted circle and drops invisible format characters', () => {
    useUnicode();
    expect(displayForm('\u0301')).toBe('\u25CC\u0301');
    expect(displayForm('\u200B')).toBe('');
  });
});

describe('truncate', () => {
  it('cuts between clusters and marks the cut', () => {
    useUnicode();
    expect(truncate('ab👍🏽cd', 4)).toBe('ab…');
    expect(truncate('ab👍🏽cd', 5)).toBe('ab👍🏽…');
    expect(truncate('short', 10)).toBe('short');
  });
});

describe('cell encoding for blessed', () => {
  it('turns each multi-code-point cell into one private-use code point and back', () => {
    useUnicode();
    const text = 'hi 👨‍👩‍👧 น้ำ 🇹🇭 👋';
    const encoded = encodeClusters(text);
    expect([...encoded].length).toBe(11);
    expect(decodeClusters(encoded)).toBe(text);
  });

  it('gives tmux one cell per cell it makes, and the fallback for what it cannot show', () => {
    useTmux();
    expect([...encodeClusters('👋🏽')].length).toBe(2);
    expect(decodeClusters(encodeClusters('👨‍👩‍👧‍👦'))).toBe('👨👩👧👦');
    useUnicode();
  });

  it('never hands the terminal a dangling joiner or a lone surrogate', () => {
    useUnicode();
    expect(decodeClusters(encodeClusters('👨\u200D'))).toBe('👨');
    expect(decodeClusters(encodeClusters('ok \uD83D'))).toBe('ok ');
  });
});
