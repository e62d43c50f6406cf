/**
 * Emoji data for `:shortcode:` completion, loaded lazily from the bundled
 * @emoji-mart/data package (no CDN) on first use.
 */

interface EmojiData {
  emojis: Record<string, { id: string; skins: Array<{ native: string }> }>;
  aliases: Record<string, string>;
}

let loading: Promise<EmojiData> | undefined;

export function loadEmojiData(): Promise<EmojiData> {
  loading ??= import('@emoji-mart/data').then((m) => (m.default ?? m) as unknown as EmojiData);
  return loading;
}

export interface Shortcode {
  code: string;
  native: string;
}

/** Up to `limit` shortcodes starting with (then containing) `prefix`. */
export async function suggest(prefix: string, limit = 6): Promise<Shortcode[]> {
  const data = await loadEmojiData();
  const lower = prefix.toLowerCase();
  const ids = Object.keys(data.emojis);
  const starts = ids.filter((id) => id.startsWith(lower));
  const contains = ids.filter((id) => !id.startsWith(lower) && id.includes(lower));
  return [...starts, ...contains]
    .slice(0, limit)
    .map((id) => ({ code: id, native: data.emojis[id]!.skins[0]!.native }));
}

/** Replaces every known `:shortcode:` in `text` with its emoji. */
export async function expandShortcodes(text: string): Promise<string> {
  if (!/:[a-z0-9_+-]+:/i.test(text)) return text;
  const data = await loadEmojiData();
  return text.replace(/:([a-z0-9_+-]+):/gi, (whole, code: string) => {
    const id = data.aliases[code.toLowerCase()] ?? code.toLowerCase();
    return data.emojis[id]?.skins[0]?.native ?? whole;
  });
}
