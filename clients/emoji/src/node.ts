/**
 * Node entry: loads the emojibase-data files shipped with the package
 * (offline, synchronously) and re-exports the core.
 *
 * @module
 */
import { createRequire } from 'node:module';
import type { EmojiIndex, EmojiLocale } from './emoji-index.js';
import { type EmojiSources, indexFromSources } from './sources.js';

const require = createRequire(import.meta.url);
const cache = new Map<EmojiLocale, EmojiIndex>();

/** The loaded files of a locale (for callers that build their own index). */
export function loadEmojiSources(locale: EmojiLocale = 'en'): EmojiSources {
  const lang = locale === 'th' ? 'th' : 'en';
  return {
    data: require(`emojibase-data/${lang}/compact.json`),
    messages: require(`emojibase-data/${lang}/messages.json`),
    github: require('emojibase-data/en/shortcodes/github.json'),
    emojibase: require('emojibase-data/en/shortcodes/emojibase.json'),
    ...(lang === 'en' ? {} : { english: require('emojibase-data/en/compact.json') }),
  };
}

/** The index of a locale, built once per process (about 30 ms). */
export function loadEmojiIndex(locale: EmojiLocale = 'en'): EmojiIndex {
  let index = cache.get(locale);
  if (!index) {
    index = indexFromSources(loadEmojiSources(locale));
    cache.set(locale, index);
  }
  return index;
}

export * from './index.js';
