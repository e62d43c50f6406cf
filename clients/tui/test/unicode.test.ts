import { describe, expect, it } from 'vitest';
import { clusterWidth, decodeClusters, displayWidth, encodeClusters, setTmuxProfile } from '../src/unicode.js';

describe('display width', () => {
  it('measures Thai by code point: combining vowels and tone marks take no column', () => {
    setTmuxProfile(false);
    expect(displayWidth('สวัสดี')).toBe(4);
    expect(displayWidth('น้ำ')).toBe(2);
    expect(displayWidth('ครับ')).toBe(3);
  });

  it('measures emoji clusters as terminals draw them', () => {
    setTmuxProfile(false);
    expect(clusterWidth('👋')).toBe(2);
    expect(clusterWidth('👋🏽')).toBe(2);
    expect(clusterWidth('👨‍👩‍👧')).toBe(2);
    expect(clusterWidth('🇹🇭')).toBe(2);
    expect(displayWidth('中文')).toBe(4);
  });

  it('follows tmux 3.3 where it differs: skin tones add two columns, VS16 does not widen', () => {
    setTmuxProfile(true);
    expect(clusterWidth('👋🏽')).toBe(4);
    expect(clusterWidth('❤️')).toBe(1);
    expect(clusterWidth('👨‍👩‍👧')).toBe(2);
    setTmuxProfile(false);
  });
});

describe('cluster encoding for blessed', () => {
  it('turns each multi-code-point cluster into one private-use code point and back', () => {
    setTmuxProfile(false);
    const text = 'hi 👨‍👩‍👧 น้ำ 🇹🇭 👋';
    const encoded = encodeClusters(text);
    expect([...encoded].length).toBe([...new Intl.Segmenter().segment(text)].length);
    expect(decodeClusters(encoded)).toBe(text);
  });

  it('keeps a skin-tone modifier in its own cell under tmux', () => {
    setTmuxProfile(true);
    expect([...encodeClusters('👋🏽')].length).toBe(2);
    setTmuxProfile(false);
  });
});

describe('half-typed sequences', () => {
  it('never hands the terminal a dangling joiner or a lone surrogate', () => {
    setTmuxProfile(false);
    expect(decodeClusters(encodeClusters('👨\u200D'))).toBe('👨');
    expect(decodeClusters(encodeClusters('ok \uD83D'))).toBe('ok ');
  });
});
