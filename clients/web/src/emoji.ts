/**
 * Emoji for the composer and the picker, from @kuykan/emoji: the same
 * emojibase dataset and alias set as the terminal client, loaded lazily (its
 * own chunks, no CDN) on first use, in the UI language (Thai labels and
 * search for a Thai UI, with English search under it).
 *
 * @module
 */
import type { EmojiIndex } from '@kuykan/emoji';
import { lang } from './i18n.js';

/** The index for the UI language; the module and its data load on first call. */
export async function loadEmoji(): Promise<EmojiIndex> {
  const { loadEmojiIndex } = await import('@kuykan/emoji/browser');
  return loadEmojiIndex(lang() === 'th' ? 'th' : 'en');
}

export interface Shortcode {
  code: string;
  native: string;
}

/** Up to `limit` shortcodes starting with (then containing) `prefix`. */
export async function suggest(prefix: string, limit = 6): Promise<Shortcode[]> {
  const index = await loadEmoji();
  return index.complete(prefix, limit).map((m) => ({ code: m.shortcode, native: m.emoji.emoji }));
}

/** Replaces every known `:shortcode:` in `text` with its emoji (loads nothing for text without one). */
export async function expandShortcodes(text: string): Promise<string> {
  if (!/:[a-z0-9_+-]+:/i.test(text)) return text;
  const [{ expandShortcodes: expand }, index] = await Promise.all([import('@kuykan/emoji/browser'), loadEmoji()]);
  return expand(text, index);
}
