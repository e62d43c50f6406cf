/**
 * Line layout for the message log, by `Intl.Segmenter`: lines break at word
 * boundaries (ICU's dictionary finds them in Thai, Lao, Khmer, Burmese and
 * CJK text, which has no spaces), never inside a grapheme cluster (👍🏽 stays
 * whole), and continuation lines are indented under the text. Widths come
 * from width.ts; blessed is handed lines that already fit, so it never wraps.
 *
 * @module
 */
import { escapeTags, inert } from './sanitize.js';
import { displayText, displayWidth, graphemes } from './width.js';

/** A run of text with one style: blessed tag names such as `bold`, `underline`, `gray-fg`, `33-fg`. */
export interface Span {
  /** Text as given; made inert (sanitize.ts) before it is measured, and tag-escaped when serialised. */
  text: string;
  style?: readonly string[];
}

const words = new Intl.Segmenter(undefined, { granularity: 'word' });

/** Starts each line a cut word continues on (one column wide everywhere: not East Asian Ambiguous). */
export const CONTINUED = '↪';
const MARKER_STYLE = ['gray-fg'];

interface Piece {
  text: string;
  style: readonly string[] | undefined;
  width: number;
  space: boolean;
}

/**
 * Scripts written without spaces, where ICU's word boundaries are the places a
 * line may break; elsewhere a line breaks only at spaces (so `127.0.0.1:8080`
 * and `https://…` stay whole), as UAX #14 would have it.
 */
const DICTIONARY =
  /[\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Extended_Pictographic}\p{Regional_Indicator}]/u;

function breakBetween(before: string, after: string): boolean {
  if (/\s$/u.test(before) || /^\s/u.test(after)) return true;
  const last = [...before].at(-1) ?? '';
  const first = [...after][0] ?? '';
  return DICTIONARY.test(last) || DICTIONARY.test(first);
}

function piecesOf(spans: readonly Span[]): Piece[] {
  const pieces: Piece[] = [];
  for (const span of spans) {
    // Measured as it will be drawn: escapes and controls already made visible, tabs as spaces,
    // and what the terminal cannot show already in its fallback form (which may need breaking too).
    for (const { segment: raw } of words.segment(inert(span.text))) {
      // Per segment, so a fallback (👨‍👩‍👧‍👦 as 👨👩👧👦) stays one unbreakable piece.
      const segment = displayText(raw);
      const last = pieces[pieces.length - 1];
      if (last && last.style === span.style && !breakBetween(last.text, segment)) {
        last.text += segment;
        last.width += displayWidth(segment);
        continue;
      }
      pieces.push({ text: segment, style: span.style, width: displayWidth(segment), space: /^\s+$/u.test(segment) });
    }
  }
  return pieces;
}

/**
 * One laid-out line as blessed tagged text. Each span opens with a reset and
 * nothing closes the line: blessed re-wraps a line that fills its width when
 * an escape sequence follows the last character.
 */
function serialise(spans: readonly Span[]): string {
  let out = '';
  for (const span of spans) {
    const text = escapeTags(span.text);
    out += `{/}${span.style?.map((s) => `{${s}}`).join('') ?? ''}${text}`;
  }
  return out;
}

export interface WrapOptions {
  /** Columns available. */
  width: number;
  /** Spans starting every continuation line (spaces, or spaces and a marker); default none. */
  indent?: readonly Span[];
  /** Styles added to every span, each line filled to `width` with them (a selected message). */
  highlight?: readonly string[];
}

/**
 * Lays spans out in lines of at most `width` columns, as blessed tagged text.
 * Spaces at a break are dropped; a word longer than a line is cut between
 * clusters, its continuation lines starting with {@link CONTINUED}.
 */
export function wrap(spans: readonly Span[], options: WrapOptions): string[] {
  const { width } = options;
  const indent = options.indent ?? [];
  const indentWidth = Math.min(
    indent.reduce((w, s) => w + displayWidth(s.text), 0),
    Math.max(0, width - 1),
  );
  const lines: Span[][] = [];
  /** Columns each finished line takes. */
  const widths: number[] = [];
  let line: Span[] = [];
  let used = 0;
  const push = (text: string, style: readonly string[] | undefined, w: number) => {
    const last = line[line.length - 1];
    if (last && last.style === style) last.text += text;
    else line.push({ text, ...(style ? { style } : {}) });
    used += w;
  };
  const newLine = () => {
    // The space before a break is not drawn.
    const last = line[line.length - 1];
    if (last) {
      const trimmed = last.text.trimEnd();
      used -= displayWidth(last.text) - displayWidth(trimmed);
      last.text = trimmed;
    }
    lines.push(line);
    widths.push(used);
    line = indent.map((s) => ({ ...s, text: inert(s.text) }));
    used = indentWidth;
  };
  for (const piece of piecesOf(spans)) {
    if (used + piece.width <= width) {
      push(piece.text, piece.style, piece.width);
      continue;
    }
    if (piece.space) {
      newLine();
      continue;
    }
    // A word that fits on a fresh line goes there; a longer one (a long link) is cut between
    // clusters, and each line it continues on starts with a marker, so a cut never looks like a space.
    if (piece.width <= width - indentWidth && used > indentWidth) newLine();
    let placed = false;
    for (const cluster of graphemes(piece.text)) {
      const w = displayWidth(cluster);
      if (used + w > width && used > indentWidth) {
        newLine();
        if (placed && width - indentWidth > 1 + w) push(CONTINUED, MARKER_STYLE, 1);
      }
      push(cluster, piece.style, w);
      placed = true;
    }
  }
  lines.push(line);
  widths.push(used);
  const { highlight } = options;
  if (!highlight) return lines.map(serialise);
  return lines.map((spans, i) =>
    serialise([
      ...spans.map((s) => ({ ...s, style: [...(s.style ?? []), ...highlight] })),
      { text: ' '.repeat(Math.max(0, width - widths[i]!)), style: highlight },
    ]),
  );
}
