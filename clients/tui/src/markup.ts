/**
 * Markdown-lite for message text: `**bold**`, `*italic*` or `_italic_`,
 * `` `code` `` and links, as styled spans. Only styles are produced; the text
 * itself goes through sanitize.ts when a line is serialised (layout.ts), so
 * markup can never carry a terminal escape or a blessed tag.
 *
 * Italic is SGR 3, which blessed 0.1.81 cannot store: it is carried by the
 * blink attribute and rewritten on output (blessed-patch.ts).
 *
 * @module
 */
import { ITALIC } from './blessed-patch.js';
import type { Span } from './layout.js';

/** How a link is drawn. */
export const LINK = ['underline', 'blue-fg'];

const STYLES = {
  bold: ['bold'],
  italic: [ITALIC],
  code: ['yellow-fg'],
  link: LINK,
} as const;

// One alternative per construct; the first that matches at a position wins.
// Emphasis needs a non-space just inside its markers, so `2 * 3 * 4` stays text.
const TOKEN =
  /`([^`\n]+)`|\*\*(?=\S)([^*\n]*?\S)\*\*|(?<![\p{L}\p{N}*])\*(?=\S)([^*\n]*?\S)\*(?![\p{L}\p{N}*])|(?<![\p{L}\p{N}_])_(?=\S)([^_\n]*?\S)_(?![\p{L}\p{N}_])|(https?:\/\/[^\s<>"'`]+[^\s<>"'`.,;:!?)\]}])/gu;

/** Spans of one line of message text. */
export function markup(line: string): Span[] {
  const spans: Span[] = [];
  let at = 0;
  for (const match of line.matchAll(TOKEN)) {
    const index = match.index ?? 0;
    if (index > at) spans.push({ text: line.slice(at, index) });
    const [, code, bold, star, underscore, link] = match;
    if (code !== undefined) spans.push({ text: code, style: STYLES.code });
    else if (bold !== undefined) spans.push({ text: bold, style: STYLES.bold });
    else if (star !== undefined || underscore !== undefined)
      spans.push({ text: (star ?? underscore)!, style: STYLES.italic });
    else if (link !== undefined) spans.push({ text: link, style: STYLES.link });
    at = index + match[0].length;
  }
  if (at < line.length) spans.push({ text: line.slice(at) });
  return spans;
}
