import { describe, expect, it } from 'vitest';
import { createEmojiIndex, expandShortcodes } from '../src/index.js';
import { loadEmojiIndex, loadEmojiSources } from '../src/node.js';

const en = loadEmojiIndex('en');
const th = loadEmojiIndex('th');

describe('byShortcode', () => {
  it('finds the GitHub and the emojibase names of one emoji', () => {
    expect(en.byShortcode('thumbsup')?.emoji).toBe('👍');
    expect(en.byShortcode('+1')?.emoji).toBe('👍');
    expect(en.byShortcode(':THUMBSUP:')?.emoji).toBe('👍');
    expect(en.byShortcode('thumbs_up')).toBeUndefined();
  });

  it('gives a clashing name to GitHub’s emoji', () => {
    expect(en.byShortcode('cat')?.emoji).toBe('🐱');
    expect(en.byShortcode('point_up')?.emoji).toBe('☝️');
  });

  it('finds skin-tone variants by their emojibase names', () => {
    expect(en.byShortcode('thumbsup_tone3')?.emoji).toBe('👍🏽');
  });

  it('knows sequences and the newest emoji', () => {
    expect(en.byShortcode('family_man_woman_girl_boy')?.emoji).toBe('👨‍👩‍👧‍👦');
    expect(en.byShortcode('rainbow_flag')?.emoji).toBe('🏳️‍🌈');
    expect(en.byShortcode('leftwards_pushing_hand')?.emoji).toBe('🫷');
    expect(en.byShortcode('thailand')?.emoji).toBe('🇹🇭');
  });

  it('works the same under a Thai index', () => {
    expect(th.byShortcode('thumbsup')?.emoji).toBe('👍');
    expect(th.byShortcode('thumbsup')?.label).toBe('ชูนิ้วโป้งขึ้น');
  });
});

describe('byEmoji', () => {
  it('finds an emoji with or without its variation selector', () => {
    expect(en.byEmoji('❤️')?.label).toBe('red heart');
    expect(en.byEmoji('❤')?.label).toBe('red heart');
    expect(en.byEmoji('👍️')?.hexcode).toBe('1F44D');
  });
});

describe('complete', () => {
  it('offers shortcodes starting with the prefix, shortest first, then containing it', () => {
    const codes = en.complete('thumbs', 3).map((m) => m.shortcode);
    expect(codes).toEqual(['thumbsup', 'thumbsdown']);
    const tada = en.complete(':tad');
    expect(tada[0]).toMatchObject({ shortcode: 'tada', emoji: { emoji: '🎉' } });
    expect(en.complete('umbsu').map((m) => m.shortcode)).toContain('thumbsup');
  });

  it('offers each emoji once and respects the limit', () => {
    const matches = en.complete('s', 20);
    expect(matches).toHaveLength(20);
    expect(new Set(matches.map((m) => m.emoji.hexcode)).size).toBe(20);
    expect(en.complete('')).toEqual([]);
  });
});

describe('search', () => {
  it('finds emoji by Thai words in a Thai index', () => {
    expect(th.search('แมว', 5).map((e) => e.emoji)).toContain('🐱');
  });

  it('finds emoji by English words in a Thai index too', () => {
    expect(th.search('cat', 3).map((e) => e.emoji)).toContain('🐱');
  });

  it('ranks an exact keyword above a substring', () => {
    expect(en.search('cat', 2).map((e) => e.emoji)).toEqual(['🐈', '🐱']);
    expect(en.search('thumbs up', 1)[0]?.emoji).toBe('👍');
  });

  it('returns base emoji only', () => {
    expect(en.search('thumbs').every((e) => e.tone === undefined)).toBe(true);
    expect(en.search('  ')).toEqual([]);
  });
});

describe('groups', () => {
  it('lists the nine picker categories with localised names and no components', () => {
    expect(en.groups.map((g) => g.key)).toEqual([
      'smileys-emotion',
      'people-body',
      'animals-nature',
      'food-drink',
      'travel-places',
      'activities',
      'objects',
      'symbols',
      'flags',
    ]);
    expect(th.groups[2]?.name).toBe('สัตว์ป่าและธรรมชาติ');
    const people = en.groups[1]!.emoji.map((e) => e.emoji);
    expect(people).toContain('🫷');
    expect(people).not.toContain('👍🏽');
  });
});

describe('withSkinTone', () => {
  it('applies a tone to an emoji that has variants', () => {
    expect(en.withSkinTone('👍', 3)).toBe('👍🏽');
    expect(en.withSkinTone('👍🏿', 0)).toBe('👍');
    expect(en.withSkinTone(en.byShortcode('wave')!, 1)).toBe('👋🏻');
  });

  it('applies one tone to every person of a multi-person emoji', () => {
    expect(en.withSkinTone('🧑‍🤝‍🧑', 5)).toBe('🧑🏿‍🤝‍🧑🏿');
  });

  it('leaves emoji without variants and unknown text unchanged', () => {
    expect(en.withSkinTone('🐱', 3)).toBe('🐱');
    expect(en.withSkinTone('abc', 3)).toBe('abc');
  });
});

describe('expandShortcodes', () => {
  it('replaces known shortcodes and keeps unknown ones and times', () => {
    expect(expandShortcodes('ok :thumbsup: :+1: :nope: 10:30:45', en)).toBe('ok 👍 👍 :nope: 10:30:45');
    expect(expandShortcodes(':tada::tada:', en)).toBe('🎉🎉');
  });

  it('leaves inline code alone', () => {
    expect(expandShortcodes('`:tada:` :tada:', en)).toBe('`:tada:` 🎉');
  });
});

describe('createEmojiIndex', () => {
  it('builds from passed-in data without touching the file system', () => {
    const sources = loadEmojiSources('en');
    const tiny = createEmojiIndex(sources.data.filter((e) => e.hexcode.startsWith('1F60')).slice(0, 3), [
      { '1F600': 'grin' },
    ]);
    expect(tiny.all).toHaveLength(3);
    expect(tiny.byShortcode('grin')?.emoji).toBe('😀');
    expect(tiny.groups[0]?.name).toBe('smileys-emotion');
  });
});
