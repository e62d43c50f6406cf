/**
 * The emoji index both clients search: shortcodes, keyword search in the
 * user's language (and English), skin tones and picker groups, built from
 * emojibase datasets that the caller passes in. Pure: no fs, no DOM, no fetch.
 *
 * @module
 */
import type { CompactEmoji, MessagesDataset, ShortcodesDataset, SkinTone } from 'emojibase';

/** One emoji (or one skin-tone variant of it) as the index knows it. */
export interface EmojiEntry {
  /** The emoji as text, fully qualified (with VS16 where Unicode asks for it). */
  readonly emoji: string;
  /** emojibase hexcode, e.g. `1F44D-1F3FD`. */
  readonly hexcode: string;
  /** Label in the index's primary locale, e.g. `thumbs up` or `ชูนิ้วโป้งขึ้น`. */
  readonly label: string;
  /** Shortcodes without colons, preferred first (GitHub's, then emojibase's). */
  readonly shortcodes: readonly string[];
  /** emojibase group number; undefined for components such as bare skin tones. */
  readonly group: number | undefined;
  /** Display order in a picker. */
  readonly order: number;
  /** Skin tone of a variant (one per person for multi-person emoji); undefined for a base emoji. */
  readonly tone: SkinTone | readonly SkinTone[] | undefined;
  /** Skin-tone variants of a base emoji (empty when it has none, and for variants). */
  readonly skins: readonly EmojiEntry[];
}

/** A picker category. */
export interface EmojiGroup {
  /** emojibase group number. */
  readonly id: number;
  /** emojibase group key, e.g. `people-body`. */
  readonly key: string;
  /** Localised name from the messages dataset (the key when none was given). */
  readonly name: string;
  /** Base emoji of the group, in display order. */
  readonly emoji: readonly EmojiEntry[];
}

/** One `complete()` result: the shortcode that matched and its emoji. */
export interface ShortcodeMatch {
  readonly shortcode: string;
  readonly emoji: EmojiEntry;
}

export interface EmojiIndexOptions {
  /**
   * Compact datasets of further locales whose labels and tags are searchable
   * too (e.g. English under a Thai index). Default: none.
   */
  readonly keywords?: readonly (readonly CompactEmoji[])[];
  /** Localised group names (emojibase `messages.json`). Default: the group keys. */
  readonly messages?: MessagesDataset;
}

export interface EmojiIndex {
  /** Every base emoji, in display order. */
  readonly all: readonly EmojiEntry[];
  /** Picker categories in display order, without the components group. */
  readonly groups: readonly EmojiGroup[];
  /** The emoji for a shortcode (`thumbsup`, `:+1:`, `thumbsup_tone3`), case-insensitive. */
  byShortcode(name: string): EmojiEntry | undefined;
  /** The entry for an emoji as text, with or without variation selectors. */
  byEmoji(text: string): EmojiEntry | undefined;
  /** Up to `limit` (default 8) shortcodes starting with `prefix`, then containing it. */
  complete(prefix: string, limit?: number): ShortcodeMatch[];
  /**
   * Up to `limit` (default 50) base emoji whose label, tag (in any locale of the
   * index) or shortcode matches `query`: exact matches first, then word prefixes, then substrings.
   */
  search(query: string, limit?: number): EmojiEntry[];
  /**
   * The emoji in skin tone `tone` (1 light … 5 dark; 0 the default yellow),
   * or the emoji unchanged when it has no such variant.
   */
  withSkinTone(emoji: string | EmojiEntry, tone: SkinTone | 0): string;
}

const TONE_OF: Record<string, SkinTone> = { '1F3FB': 1, '1F3FC': 2, '1F3FD': 3, '1F3FE': 4, '1F3FF': 5 };
/** emojibase group number of skin tones, hair styles and other components. */
const COMPONENT_GROUP = 2;
const DEFAULT_GROUP_KEYS = [
  'smileys-emotion',
  'people-body',
  'component',
  'animals-nature',
  'food-drink',
  'travel-places',
  'activities',
  'objects',
  'symbols',
  'flags',
];

/** Lookup key of an emoji as text: its code points without variation selectors. */
function emojiKey(text: string): string {
  return [...text]
    .filter((ch) => ch !== '\uFE0F' && ch !== '\uFE0E')
    .map((ch) => ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0'))
    .join('-');
}

/**
 * emojibase adds VS16 to every emoji that has a text variant, even where the
 * emoji is drawn as emoji by default (👍 U+1F44D): drop it there, so text
 * carries the fully-qualified form of Unicode's emoji-test.txt.
 */
function qualified(unicode: string): string {
  return /^\p{Emoji_Presentation}\uFE0F$/u.test(unicode) ? unicode.slice(0, -1) : unicode;
}

function toneOf(hexcode: string): SkinTone | SkinTone[] | undefined {
  const tones = hexcode
    .split('-')
    .map((part) => TONE_OF[part])
    .filter((t): t is SkinTone => t !== undefined);
  if (tones.length === 0) return undefined;
  return tones.length === 1 ? tones[0] : tones;
}

function normalise(text: string): string {
  return text.normalize('NFC').trim().toLowerCase();
}

/**
 * Builds an index over one locale's compact dataset (`emojibase-data/<locale>/compact.json`)
 * and shortcode presets in priority order (e.g. GitHub then emojibase: the first
 * preset that gives a shortcode to an emoji wins a clash such as `:cat:`).
 */
export function createEmojiIndex(
  data: readonly CompactEmoji[],
  shortcodes: readonly ShortcodesDataset[],
  options: EmojiIndexOptions = {},
): EmojiIndex {
  const byCode = new Map<string, EmojiEntry>();
  const byKey = new Map<string, EmojiEntry>();
  const baseOf = new Map<EmojiEntry, EmojiEntry>();
  /** Lower-cased words to search per base hexcode, across locales. */
  const words = new Map<string, string[]>();

  const byHexcode = new Map<string, EmojiEntry & { shortcodes: string[] }>();
  const entryOf = (item: CompactEmoji, skins: EmojiEntry[]): EmojiEntry => {
    const entry = {
      emoji: qualified(item.unicode),
      hexcode: item.hexcode,
      label: item.label,
      shortcodes: [] as string[],
      group: item.group,
      order: item.order ?? Number.MAX_SAFE_INTEGER,
      tone: toneOf(item.hexcode),
      skins,
    };
    byHexcode.set(entry.hexcode, entry);
    byKey.set(emojiKey(entry.emoji), entry);
    return entry;
  };
  const addWords = (item: CompactEmoji) => {
    const list = words.get(item.hexcode) ?? [];
    list.push(normalise(item.label), ...(item.tags ?? []).map(normalise));
    words.set(item.hexcode, list);
  };

  const all: EmojiEntry[] = [];
  for (const item of data) {
    const skins: EmojiEntry[] = [];
    const base = entryOf(item, skins);
    for (const skin of item.skins ?? []) {
      const variant = entryOf(skin, []);
      skins.push(variant);
      baseOf.set(variant, base);
    }
    all.push(base);
    addWords(item);
  }
  all.sort((a, b) => a.order - b.order);
  // A name belongs to the emoji of the first preset that uses it: GitHub's
  // `:point_up:` is ☝️ although emojibase gives that name to 👆.
  for (const preset of shortcodes) {
    for (const [hexcode, codes] of Object.entries(preset)) {
      const entry = byHexcode.get(hexcode);
      if (!entry) continue;
      for (const raw of Array.isArray(codes) ? codes : [codes]) {
        const code = raw.toLowerCase();
        if (byCode.has(code)) continue;
        byCode.set(code, entry);
        entry.shortcodes.push(code);
      }
    }
  }
  for (const locale of options.keywords ?? []) for (const item of locale) if (words.has(item.hexcode)) addWords(item);

  const groupKeys = options.messages?.groups.map((g) => ({ key: g.key, name: g.message, order: g.order })) ?? [];
  const groups: EmojiGroup[] = [];
  const present = [...new Set(all.map((e) => e.group))].filter(
    (g): g is number => g !== undefined && g !== COMPONENT_GROUP,
  );
  for (const id of present.sort((a, b) => a - b)) {
    const message = groupKeys.find((g) => g.order === id);
    const key = message?.key ?? DEFAULT_GROUP_KEYS[id] ?? String(id);
    groups.push({ id, key, name: message?.name ?? key, emoji: all.filter((e) => e.group === id) });
  }

  const byShortcode = (name: string) => byCode.get(name.replace(/^:|:$/g, '').toLowerCase());
  const byEmoji = (text: string) => byKey.get(emojiKey(text));

  return {
    all,
    groups,
    byShortcode,
    byEmoji,
    complete(prefix, limit = 8) {
      const p = prefix.replace(/^:/, '').toLowerCase();
      if (!p) return [];
      const starts: ShortcodeMatch[] = [];
      const contains: ShortcodeMatch[] = [];
      for (const emoji of all) {
        const code = emoji.shortcodes.find((c) => c.startsWith(p));
        if (code) starts.push({ shortcode: code, emoji });
        else {
          const inner = emoji.shortcodes.find((c) => c.includes(p));
          if (inner) contains.push({ shortcode: inner, emoji });
        }
      }
      // Shortest first, so `thu` offers `thumbsup` before `thunder_cloud_and_rain`.
      starts.sort((a, b) => a.shortcode.length - b.shortcode.length || a.emoji.order - b.emoji.order);
      return [...starts, ...contains].slice(0, limit);
    },
    search(query, limit = 50) {
      const q = normalise(query);
      if (!q) return [];
      const scored: { emoji: EmojiEntry; score: number }[] = [];
      for (const emoji of all) {
        // Exact label, exact shortcode, exact tag, word prefix, substring.
        let score = normalise(emoji.label) === q ? 0 : emoji.shortcodes.includes(q) ? 1 : Number.POSITIVE_INFINITY;
        for (const term of [...(words.get(emoji.hexcode) ?? []), ...emoji.shortcodes]) {
          if (score <= 1) break;
          if (term === q) score = 2;
          else if (term.split(/[\s_:,-]+/).some((w) => w.startsWith(q))) score = Math.min(score, 3);
          else if (term.includes(q)) score = Math.min(score, 4);
        }
        if (score !== Number.POSITIVE_INFINITY) scored.push({ emoji, score });
      }
      // Within a rank the shorter label is the closer match (🐱 หน้าแมว before 😺 แมวยิ้มอ้าปาก).
      scored.sort(
        (a, b) => a.score - b.score || a.emoji.label.length - b.emoji.label.length || a.emoji.order - b.emoji.order,
      );
      return scored.slice(0, limit).map((s) => s.emoji);
    },
    withSkinTone(emoji, tone) {
      const found = typeof emoji === 'string' ? byEmoji(emoji) : emoji;
      if (!found) return typeof emoji === 'string' ? emoji : '';
      const base = baseOf.get(found) ?? found;
      if (tone === 0) return base.emoji;
      const skin = base.skins.find((s) =>
        Array.isArray(s.tone) ? (s.tone as SkinTone[]).every((t) => t === tone) : s.tone === tone,
      );
      return (skin ?? base).emoji;
    },
  };
}

/** Matches `:shortcode:`; the name set of emojibase and GitHub shortcodes. */
const SHORTCODE = /:([a-z0-9_+-]+):/gi;

/**
 * Replaces every known `:shortcode:` in `text` with its emoji; unknown names
 * and text inside `inline code` stay as they are.
 */
export function expandShortcodes(text: string, index: Pick<EmojiIndex, 'byShortcode'>): string {
  if (!text.includes(':')) return text;
  return text
    .split(/(`[^`]*`)/)
    .map((part, i) =>
      i % 2 === 1 ? part : part.replace(SHORTCODE, (whole, name: string) => index.byShortcode(name)?.emoji ?? whole),
    )
    .join('');
}

/** The index locale for a BCP 47 language tag: `th` for Thai, English otherwise. */
export function emojiLocaleFor(language: string | undefined): EmojiLocale {
  return language?.toLowerCase().startsWith('th') ? 'th' : 'en';
}

/** Locales whose labels and keywords the package ships indexes for. */
export type EmojiLocale = 'en' | 'th';
