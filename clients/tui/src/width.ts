/**
 * The one width function of the terminal client: how many columns a grapheme
 * cluster takes, and into which terminal cells it falls.
 *
 * Two models, both from maintained tables (get-east-asian-width 1.7 for
 * Unicode 17, V8's `\p{RGI_Emoji}` for emoji sequences):
 *
 * - `unicode`: what current terminals do (kitty, WezTerm, iTerm2, VTE,
 *   Windows Terminal): an RGI emoji sequence is one 2-column cell; other
 *   clusters add up their code points as wcwidth does, so Thai น้ำ is 2
 *   (ำ SARA AM is a spacing vowel) and ญี่ปุ่น is 3.
 * - `tmux`: what tmux 3.3 does, measured by cursor position after printing
 *   (test/tmux-widths.test.ts keeps measuring it). tmux takes each code
 *   point's width from the C library (glibc 2.36 on Debian 12 knows emoji up
 *   to 14.0), starts a new cell for every code point of non-zero width
 *   unless it follows a ZWJ, and stores at most 21 bytes in a cell. So 👋🏽 is
 *   two 2-column cells, ❤️ one 1-column cell, and 🫷 (15.0) has no width at
 *   all: it would merge into the cell before it.
 *
 * Clusters a terminal cannot show get a readable fallback (`displayForm`).
 *
 * @module
 */
import { eastAsianWidth } from 'get-east-asian-width';

export type WidthModel = 'unicode' | 'tmux';

/** tmux's cell limit in bytes (UTF8_SIZE in tmux 3.3). */
const TMUX_CELL_BYTES = 21;
const ZWJ = 0x200d;
// The v flag (ES2024, which Node 20 runs) is passed as a value: TypeScript's ES2022 target rejects it literally.
const UNICODE_SETS: string = 'v';
const RGI_EMOJI = new RegExp('^\\p{RGI_Emoji}$', UNICODE_SETS);
const PICTOGRAPHIC = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;
/** Code points drawn with no column of their own: marks, format characters (ZWJ, VS16), zero-width space. */
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}\u200B\u1160-\u11FF]$/u;

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

interface Profile {
  model: WidthModel;
  /** Single code points the terminal's table does not know (width 0 there). */
  unknown: ReadonlySet<number>;
}

let profile: Profile = { model: 'unicode', unknown: new Set() };
const cellCache = new Map<string, Cell[]>();
const fallbackCache = new Map<string, string>();

/** Selects the width model; `unknown` lists emoji code points the terminal cannot measure. */
export function setWidthModel(model: WidthModel, unknown: ReadonlySet<number> = new Set()): void {
  profile = { model, unknown };
  cellCache.clear();
  fallbackCache.clear();
}

export function widthModel(): WidthModel {
  return profile.model;
}

/** One terminal cell: the text stored in it and the columns it takes (0 only for text the terminal would merge). */
export interface Cell {
  text: string;
  width: 0 | 1 | 2;
}

/** A code point's width as a wcwidth-style table gives it (tmux model: unknown emoji are 0). */
function codePointWidth(point: number): 0 | 1 | 2 {
  if (profile.unknown.has(point)) return 0;
  const ch = String.fromCodePoint(point);
  if (point < 0x20 || (point >= 0x7f && point < 0xa0) || ZERO_WIDTH.test(ch)) return 0;
  return eastAsianWidth(point, { ambiguousAsWide: false });
}

/** The cells a grapheme cluster falls into in the current model. */
export function cellsOf(cluster: string): Cell[] {
  let cells = cellCache.get(cluster);
  if (cells) return cells;
  if (profile.model === 'unicode') {
    if (RGI_EMOJI.test(cluster) || (PICTOGRAPHIC.test(cluster) && [...cluster].length > 1))
      cells = [{ text: cluster, width: 2 }];
    else {
      let width = 0;
      for (const ch of cluster) width += codePointWidth(ch.codePointAt(0)!);
      // A cluster of several spacing characters (Thai น้ำ: น and ำ) takes one cell per spacing character.
      cells = splitSpacing(cluster);
      if (cells.length === 1) cells[0]!.width = Math.min(2, width) as Cell['width'];
    }
  } else {
    cells = tmuxCells(cluster);
  }
  cellCache.set(cluster, cells);
  return cells;
}

/** wcwidth-style cells: each spacing code point opens a cell, zero-width ones join it. */
function splitSpacing(cluster: string): Cell[] {
  const cells: Cell[] = [];
  for (const ch of cluster) {
    const w = codePointWidth(ch.codePointAt(0)!);
    const last = cells[cells.length - 1];
    if (w === 0 && last) last.text += ch;
    else cells.push({ text: ch, width: w });
  }
  return cells;
}

/** tmux 3.3: a code point joins the previous cell if it has no width or follows a ZWJ. */
function tmuxCells(cluster: string): Cell[] {
  const cells: Cell[] = [];
  let afterJoiner = false;
  for (const ch of cluster) {
    const point = ch.codePointAt(0)!;
    const w = codePointWidth(point);
    const last = cells[cells.length - 1];
    if (last && (w === 0 || afterJoiner)) last.text += ch;
    else cells.push({ text: ch, width: w });
    afterJoiner = point === ZWJ;
  }
  return cells;
}

/** Columns a grapheme cluster takes. */
export function clusterWidth(cluster: string): number {
  let width = 0;
  for (const cell of cellsOf(cluster)) width += cell.width;
  return width;
}

/** Whether the terminal shows the cluster as it is: every cell has a width and fits the terminal's cell limit. */
export function displayable(cluster: string): boolean {
  const cells = cellsOf(cluster);
  if (cells.some((c) => c.width === 0)) return false;
  if (profile.model === 'tmux') return cells.every((c) => new TextEncoder().encode(c.text).length <= TMUX_CELL_BYTES);
  return true;
}

/** Names for emoji the terminal cannot show (`:leftwards_pushing_hand:`); set by the app from @kuykan/emoji. */
let nameOf: (cluster: string) => string | undefined = () => undefined;
export function setEmojiNames(lookup: (cluster: string) => string | undefined): void {
  nameOf = lookup;
  fallbackCache.clear();
}

/**
 * What to draw for a cluster: itself when the terminal can show it, else its
 * components (👨‍👩‍👧‍👦 as 👨👩👧👦) when each of those can be shown, else its
 * shortcode, else U+FFFD. The text sent and stored is never changed.
 */
export function displayForm(cluster: string): string {
  if (displayable(cluster)) return cluster;
  let shown = fallbackCache.get(cluster);
  if (shown !== undefined) return shown;
  if (
    [...cluster].every((ch) => codePointWidth(ch.codePointAt(0)!) === 0 && !profile.unknown.has(ch.codePointAt(0)!))
  ) {
    // Only marks and format characters: a lone mark is shown on a dotted circle, invisible ones not at all.
    shown = /\p{M}/u.test(cluster) && displayable(`\u25CC${cluster}`) ? `\u25CC${cluster}` : '';
    fallbackCache.set(cluster, shown);
    return shown;
  }
  const parts = cluster.split('\u200D').filter(Boolean);
  if (parts.length > 1 && parts.every((p) => displayable(p))) shown = parts.join('');
  else {
    const name = nameOf(cluster) ?? nameOf(cluster.replace(/[\u{1F3FB}-\u{1F3FF}]/gu, ''));
    shown = name ? `:${name}:` : '\uFFFD';
  }
  fallbackCache.set(cluster, shown);
  return shown;
}

/** Grapheme clusters of a text. */
export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** Text as it will be drawn: each cluster in its display form. */
export function displayText(text: string): string {
  let out = '';
  for (const { segment } of segmenter.segment(text)) out += displayForm(segment);
  return out;
}

/** Columns a text takes when drawn (fallbacks included). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const { segment } of segmenter.segment(text)) {
    const shown = displayForm(segment);
    width += shown === segment ? clusterWidth(segment) : graphemes(shown).reduce((w, g) => w + clusterWidth(g), 0);
  }
  return width;
}

/** Cuts text to at most `width` columns, ending with `…` when cut; clusters are never split. */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const cluster of graphemes(displayText(text))) {
    const w = clusterWidth(cluster);
    if (used + w > width - 1) break;
    out += cluster;
    used += w;
  }
  return `${out}…`;
}
