/**
 * @kuykan/emoji: one emoji dataset and one alias set for every Kuykan client.
 * This entry is platform-neutral and takes the data as arguments; the
 * `@kuykan/emoji/node` and `@kuykan/emoji/browser` entries also load it.
 *
 * @module
 */

export type { SkinTone } from 'emojibase';
export type {
  EmojiEntry,
  EmojiGroup,
  EmojiIndex,
  EmojiIndexOptions,
  EmojiLocale,
  ShortcodeMatch,
} from './emoji-index.js';
// Index and text helpers
export { createEmojiIndex, emojiLocaleFor, expandShortcodes } from './emoji-index.js';
export type { EmojiSources } from './sources.js';
export { EMOJI_LOCALES, indexFromSources } from './sources.js';
