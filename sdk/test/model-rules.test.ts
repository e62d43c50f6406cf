import { describe, expect, it } from 'vitest';
import { isOwn, mentions } from '../src/model/index.js';

describe('isOwn', () => {
  it('compares the sender and my name by nameKey', () => {
    expect(isOwn({ from: 'Somchai' }, 'somchai', new Set())).toBe(true);
    expect(isOwn({ from: ' SOMCHAI' }, 'somchai', new Set())).toBe(true);
    expect(isOwn({ from: 'somchai2' }, 'somchai', new Set())).toBe(false);
    expect(isOwn({ from: 'somchai' }, undefined, new Set())).toBe(false);
  });

  it('counts a message carrying a clientId I sent as mine whatever its sender name', () => {
    expect(isOwn({ from: 'Token Name', clientId: 'c1' }, 'login-name', new Set(['c1']))).toBe(true);
    expect(isOwn({ from: 'Token Name', clientId: 'c2' }, 'login-name', new Set(['c1']))).toBe(false);
  });
});

describe('mentions', () => {
  it('finds @name as a whole word, ignoring case', () => {
    expect(mentions('@somchai hi', 'Somchai')).toBe(true);
    expect(mentions('hi @SOMCHAI!', 'somchai')).toBe(true);
    expect(mentions('(@somchai)', 'somchai')).toBe(true);
    expect(mentions('ถาม @สมชาย ครับ', 'สมชาย')).toBe(true);
    expect(mentions('@Som Chai, look', 'som chai')).toBe(true);
  });

  it('ignores longer names, addresses, a bare @ and no name', () => {
    expect(mentions('@somchai2 hi', 'somchai')).toBe(false);
    expect(mentions('@somchai_x', 'somchai')).toBe(false);
    expect(mentions('mail@somchai', 'somchai')).toBe(false);
    expect(mentions('somchai', 'somchai')).toBe(false);
    expect(mentions('@', '')).toBe(false);
    expect(mentions('@somchai', undefined)).toBe(false);
    // A Thai letter after the name continues the word.
    expect(mentions('@สมชาย', 'สมชา')).toBe(false);
  });

  it('finds a later mention after an earlier near miss', () => {
    expect(mentions('@somchaiya and @somchai', 'somchai')).toBe(true);
    expect(mentions('👋@somchai', 'somchai')).toBe(true);
  });
});
