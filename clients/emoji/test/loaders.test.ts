import { describe, expect, it } from 'vitest';
import { loadEmojiIndex as loadInBrowser } from '../src/browser.js';
import { loadEmojiIndex, loadEmojiSources } from '../src/node.js';

describe('loadEmojiIndex', () => {
  it('builds the same index through the Node and the browser loader', async () => {
    for (const locale of ['en', 'th'] as const) {
      const node = loadEmojiIndex(locale);
      const browser = await loadInBrowser(locale);
      expect(browser.all.length).toBe(node.all.length);
      expect(browser.byShortcode('+1')?.label).toBe(node.byShortcode('+1')?.label);
      expect(browser.search('แมว', 12).map((e) => e.emoji)).toEqual(node.search('แมว', 12).map((e) => e.emoji));
    }
  });

  it('builds an index once per locale', () => {
    expect(loadEmojiIndex('th')).toBe(loadEmojiIndex('th'));
    expect(loadEmojiIndex('en')).not.toBe(loadEmojiIndex('th'));
  });
});

describe('loadEmojiSources', () => {
  it('adds the English dataset as keywords under Thai only', () => {
    expect(loadEmojiSources('en').english).toBeUndefined();
    expect(loadEmojiSources('th').english?.length).toBe(loadEmojiSources('en').data.length);
  });
});
