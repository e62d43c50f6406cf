/**
 * Which emojibase-data files make an index for a locale: the one place both
 * loaders (Node and browser) take their dataset and alias set from.
 *
 * @module
 */
import type { CompactEmoji, MessagesDataset, ShortcodesDataset } from 'emojibase';
import { createEmojiIndex, type EmojiIndex, type EmojiLocale } from './emoji-index.js';

/** The files an index is built from, already loaded. */
export interface EmojiSources {
  /** `emojibase-data/<locale>/compact.json`. */
  readonly data: readonly CompactEmoji[];
  /** `emojibase-data/<locale>/messages.json`. */
  readonly messages: MessagesDataset;
  /** `emojibase-data/en/shortcodes/github.json`: first, so `:cat:` is 🐱 as on GitHub and Slack. */
  readonly github: ShortcodesDataset;
  /** `emojibase-data/en/shortcodes/emojibase.json`: adds names and skin-tone codes (`thumbsup_tone3`). */
  readonly emojibase: ShortcodesDataset;
  /** `emojibase-data/en/compact.json` under a non-English locale, so English words find emoji too. */
  readonly english?: readonly CompactEmoji[];
}

/** Builds the index of a locale from its loaded files. */
export function indexFromSources(sources: EmojiSources): EmojiIndex {
  return createEmojiIndex(sources.data, [sources.github, sources.emojibase], {
    messages: sources.messages,
    keywords: sources.english ? [sources.english] : [],
  });
}

/** Locales the loaders accept. */
export const EMOJI_LOCALES: readonly EmojiLocale[] = ['en', 'th'];
