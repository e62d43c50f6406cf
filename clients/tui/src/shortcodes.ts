/**
 * Emoji data from emojibase-data, shipped with the package (offline):
 * `:shortcode:` lookup and completion, and the picker's categories.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface CompactEmoji {
  unicode: string;
  label: string;
  group?: number;
  order?: number;
  tags?: string[];
}

export interface Emoji {
  native: string;
  label: string;
  shortcode: string;
  group: number;
}

let cache: Emoji[] | undefined;

/** All emoji with a GitHub-style shortcode, in emoji order. */
export function allEmoji(): Emoji[] {
  if (cache) return cache;
  const compact = require('emojibase-data/en/compact.json') as CompactEmoji[];
  const codes = require('emojibase-data/en/shortcodes/github.json') as Record<string, string | string[]>;
  const hexOf = (emoji: string) =>
    [...emoji]
      .map((c) => c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0'))
      .filter((h) => h !== 'FE0F')
      .join('-');
  cache = compact
    .filter((e) => e.group !== undefined && e.group !== 2)
    .map((e) => {
      const code = codes[hexOf(e.unicode)] ?? codes[hexOf(e.unicode).replace(/-FE0F/g, '')];
      const shortcode = Array.isArray(code) ? code[0] : code;
      return shortcode ? { native: e.unicode, label: e.label, shortcode, group: e.group! } : undefined;
    })
    .filter((e): e is Emoji => e !== undefined);
  return cache;
}

/** Group names of emojibase, by group number. */
export const GROUPS = [
  'smileys',
  'people',
  'components',
  'animals',
  'food',
  'travel',
  'activities',
  'objects',
  'symbols',
  'flags',
];

/** The emoji for `:code:` (without colons), if any. */
export function lookup(code: string): string | undefined {
  return allEmoji().find((e) => e.shortcode === code.toLowerCase())?.native;
}

/** Shortcodes starting with `prefix`, then containing it. */
export function complete(prefix: string, limit = 8): Emoji[] {
  const p = prefix.toLowerCase();
  const all = allEmoji();
  return [
    ...all.filter((e) => e.shortcode.startsWith(p)),
    ...all.filter((e) => !e.shortcode.startsWith(p) && e.shortcode.includes(p)),
  ].slice(0, limit);
}

/** Replaces known `:shortcode:`s in text with emoji. */
export function expand(text: string): string {
  return text.replace(/:([a-z0-9_+-]+):/gi, (whole, code: string) => lookup(code) ?? whole);
}

/** Emoji matching a search (label or shortcode), optionally in one group. */
export function search(query: string, group?: number): Emoji[] {
  const q = query.toLowerCase();
  return allEmoji().filter(
    (e) => (group === undefined || e.group === group) && (!q || e.label.includes(q) || e.shortcode.includes(q)),
  );
}
