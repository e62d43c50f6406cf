import { describe, expect, it } from 'vitest';
import { expandShortcodes, suggest } from '../src/emoji.js';

describe('emoji shortcodes', () => {
  it('expands known shortcodes and aliases, and leaves unknown ones as typed', async () => {
    expect(await expandShortcodes('yay :tada: :no_such_code: :+1: :thumbsup:')).toBe('yay 🎉 :no_such_code: 👍 👍');
  });

  it('does not load the emoji data for text without a shortcode', async () => {
    expect(await expandShortcodes('สวัสดี 12:30 น.')).toBe('สวัสดี 12:30 น.');
  });

  it('suggests shortcodes that start with the prefix first, then ones containing it', async () => {
    const found = await suggest('tad');
    expect(found[0]).toEqual({ code: 'tada', native: '🎉' });
    const heart = await suggest('heart', 20);
    expect(heart[0]!.code.startsWith('heart')).toBe(true);
    expect(heart.length).toBeLessThanOrEqual(20);
  });

  it('returns at most the requested number of suggestions', async () => {
    expect(await suggest('a', 3)).toHaveLength(3);
  });
});
