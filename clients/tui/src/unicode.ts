/**
 * Correct cell widths for blessed.
 *
 * blessed 0.1.81 measures text one code point at a time with a CJK-era
 * table: emoji count 1 column while terminals draw 2, and skin-tone, flag and
 * ZWJ sequences are split over several cells, so every border after an emoji
 * shifts. We measure whole grapheme clusters (Intl.Segmenter) with
 * string-width instead, and hand blessed each multi-code-point cluster as a
 * single private-use code point, which it keeps in one cell; the real cluster
 * is put back on the way to the terminal.
 *
 * Clusters without emoji (Thai with its vowels and tone marks) are as wide
 * as the sum of their code points, as terminals draw them.
 * Terminals disagree on some emoji clusters. tmux 3.3 (measured: cursor advance
 * after printing) draws a skin-tone modifier as 2 extra columns and an emoji
 * made wide only by VS16 (❤️) as 1; under tmux we use its model so borders
 * stay straight there, elsewhere the Unicode model of string-width.
 *
 * @module
 */

import stringWidth from 'string-width';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/** Supplementary Private Use Area-A: 65,534 code points that never occur in chat text we keep. */
const PUA_START = 0xf0000;
const PUA_END = 0xffffd;
const SKIN_TONE = /[\u{1F3FB}-\u{1F3FF}]/gu;
const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;

const toPua = new Map<string, number>();
const fromPua = new Map<number, { cluster: string; width: number }>();

/** Whether measurements follow tmux's model (set from the environment, overridable for tests). */
export let tmuxProfile = Boolean(process.env.TMUX);
export function setTmuxProfile(on: boolean): void {
  tmuxProfile = on;
}

/** Columns a grapheme cluster takes in the terminal. */
export function clusterWidth(cluster: string): number {
  // Outside emoji, terminals add up code points (wcwidth): Thai น้ำ is น + ้ (0) + ำ = 2.
  if (!EMOJI.test(cluster)) {
    let width = 0;
    for (const ch of cluster) width += stringWidth(ch);
    return width;
  }
  if (tmuxProfile) {
    if (cluster.endsWith('\uFE0F') && [...cluster].length === 2 && stringWidth(cluster.slice(0, -1)) === 1) return 1;
    const tones = cluster.match(SKIN_TONE)?.length ?? 0;
    if (tones > 0) return stringWidth(cluster.replace(SKIN_TONE, '')) + 2 * tones;
  }
  return stringWidth(cluster);
}

/** Columns a whole string takes. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const { segment } of segmenter.segment(text)) width += clusterWidth(segment);
  return width;
}

/** Cuts text to at most `width` columns, ending with `…` when cut. */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const { segment } of segmenter.segment(text)) {
    const w = clusterWidth(segment);
    if (used + w > width - 1) break;
    out += segment;
    used += w;
  }
  return `${out}…`;
}

/**
 * Prepares text for blessed: each multi-code-point cluster becomes one
 * private-use code point remembered with its width. Single code points pass through.
 */
export function encodeClusters(text: string): string {
  let out = '';
  for (const { segment } of segmenter.segment(text)) {
    // blessed models widths 1 and 2 only; tmux draws a skin-tone modifier as
    // its own 2-column glyph, so there it becomes a cell of its own.
    const parts = tmuxProfile ? segment.split(/(?=[\u{1F3FB}-\u{1F3FF}])/u) : [segment];
    for (const part of parts) out += encodeCluster(part);
  }
  return out;
}

function encodeCluster(cluster: string): string {
  // A half-typed sequence must not reach the terminal: a trailing joiner makes
  // tmux merge the next thing drawn into this cell, and a lone surrogate is no character.
  const segment = [...cluster.replace(/\u200D+$/, '')].filter((ch) => !/^[\uD800-\uDFFF]$/.test(ch)).join('');
  if (segment.length === 0) return '';
  if (segment.length === 1 || (segment.length === 2 && segment.codePointAt(0)! > 0xffff)) return segment;
  let point = toPua.get(segment);
  if (point === undefined) {
    if (toPua.size >= PUA_END - PUA_START) return segment.replace(SKIN_TONE, '');
    point = PUA_START + toPua.size;
    toPua.set(segment, point);
    fromPua.set(point, { cluster: segment, width: Math.min(2, Math.max(1, clusterWidth(segment))) });
  }
  return String.fromCodePoint(point);
}

/** Puts the real clusters back into text bound for the terminal. */
export function decodeClusters(text: string): string {
  if (!/[\u{F0000}-\u{FFFFD}]/u.test(text)) return text;
  return text.replace(/[\u{F0000}-\u{FFFFD}]/gu, (ch) => fromPua.get(ch.codePointAt(0)!)?.cluster ?? ch);
}

/** Width of one code point as blessed asks for it (encoded clusters included). */
function codePointWidth(point: number): number {
  const encoded = fromPua.get(point);
  if (encoded) return encoded.width;
  if (point === 0) return 0;
  return clusterWidth(String.fromCodePoint(point));
}

interface BlessedUnicode {
  charWidth(str: string | number, i?: number): number;
  codePointAt(str: string, i: number): number;
  chars: { all: unknown };
}

interface BlessedProgram {
  _owrite(text: string): unknown;
  write(text: string): unknown;
}

/**
 * Installs the width fix into blessed's unicode module, and the decoder into
 * a program's output. Call once before creating the screen, then with the program.
 */
export function patchBlessedUnicode(unicode: BlessedUnicode): void {
  const tab = unicode.charWidth;
  unicode.charWidth = (str, i) => {
    const point = typeof str === 'number' ? str : unicode.codePointAt(str, i ?? 0);
    if (point === 0x09) return tab(str, i);
    return codePointWidth(point);
  };
  // blessed inserts a placeholder cell after each wide character with
  // `content.replace(chars.all, '$1\x03')`; decide "wide" with our widths.
  unicode.chars.all = {
    [Symbol.replace](content: string): string {
      let out = '';
      for (const ch of content) out += codePointWidth(ch.codePointAt(0)!) === 2 ? `${ch}\x03` : ch;
      return out;
    },
  };
}

export function patchProgramOutput(program: BlessedProgram): void {
  const write = program._owrite.bind(program);
  program._owrite = (text: string) => write(decodeClusters(text));
  program.write = program._owrite;
}
