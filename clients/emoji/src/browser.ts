/**
 * Browser entry: loads the emojibase-data files with `import()`, so a bundler
 * (Vite) puts each in a chunk of its own that is fetched on first use, and
 * re-exports the core.
 *
 * @module
 */
import type { EmojiIndex, EmojiLocale } from './emoji-index.js';
import { type EmojiSources, indexFromSources } from './sources.js';

const cache = new Map<EmojiLocale, Promise<EmojiIndex>>();

/** The loaded files of a locale (for callers that build their own index). */
export async function loadEmojiSources(locale: EmojiLocale = 'en'): Promise<EmojiSources> {
  // Literal specifiers (no template strings), so bundlers can see every file.
  const [github, emojibase, english] = await Promise.all([
    import('emojibase-data/en/shortcodes/github.json', { with: { type: 'json' } }),
    import('emojibase-data/en/shortcodes/emojibase.json', { with: { type: 'json' } }),
    import('emojibase-data/en/compact.json', { with: { type: 'json' } }),
  ]);
  if (locale === 'th') {
    const [data, messages] = await Promise.all([
      import('emojibase-data/th/compact.json', { with: { type: 'json' } }),
      import('emojibase-data/th/messages.json', { with: { type: 'json' } }),
    ]);
    return {
      data: data.default,
      messages: messages.default,
      github: github.default,
      emojibase: emojibase.default,
      english: english.default,
    };
  }
  const messages = await import('emojibase-data/en/messages.json', { with: { type: 'json' } });
  return { data: english.default, messages: messages.default, github: github.default, emojibase: emojibase.default };
}

/** The index of a locale, loaded once per page. */
export function loadEmojiIndex(locale: EmojiLocale = 'en'): Promise<EmojiIndex> {
  let index = cache.get(locale);
  if (!index) {
    index = loadEmojiSources(locale).then(indexFromSources);
    cache.set(locale, index);
  }
  return index;
}

export * from './index.js';
