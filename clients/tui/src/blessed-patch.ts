/**
 * Everything the client changes in blessed 0.1.81, in one place, so that
 * blessed lays text out by our one width function (width.ts).
 *
 * blessed measures one code point at a time with a table from before emoji,
 * and keeps one code point per cell. We hand it text in which each terminal
 * cell (width.ts `cellsOf`) of more than one code point is a single
 * private-use code point that we remember with the cell's width, and we answer
 * its width questions ourselves; the real text is put back on the way to the
 * terminal. Four hooks: `charWidth`, the wide-character placeholder pass of
 * `parseContent` (`chars.all`), the widest-line measure of `_wrapContent`
 * (it counts UTF-16 code units), and the program's output; plus renders
 * coalesced per turn of the event loop (a paste is one frame, not one per key).
 *
 * Italic: blessed keeps five attributes per cell (bold, underline, blink,
 * inverse, invisible) and no italic, and builds its SGR sequences inline in
 * `Screen.draw`. The client never blinks, so blink carries italic: `{blink}`
 * is stored and diffed like any attribute, and its SGR 5 becomes SGR 3 on the
 * way out (`ITALIC`).
 *
 * @module
 */
import { cellsOf, displayForm, graphemes } from './width.js';

/**
 * Cells are encoded in the Private Use Area of the BMP first: one UTF-16 code
 * unit per cell, so blessed's code-unit arithmetic (wrapping, widest line)
 * counts cells. After 6,400 distinct cells, the Supplementary PUA-A takes over.
 * sanitize.ts removes both ranges from remote text.
 */
const RANGES: Array<[number, number]> = [
  [0xe000, 0xf8ff],
  [0xf0000, 0xffffd],
];
const PUA = /[\uE000-\uF8FF\u{F0000}-\u{FFFFD}]/gu;
const HAS_PUA = /[\uE000-\uF8FF\u{F0000}-\u{FFFFD}]/u;

const toPua = new Map<string, number>();
const fromPua = new Map<number, { text: string; width: number }>();

function nextPoint(): number | undefined {
  let n = toPua.size;
  for (const [start, end] of RANGES) {
    if (n <= end - start) return start + n;
    n -= end - start + 1;
  }
  return undefined;
}

function encodeCell(text: string, width: number): string {
  // A BMP character is one code unit already; everything else (emoji, clusters) gets a cell code.
  if (text.length === 1) return text;
  const key = `${width}:${text}`;
  let point = toPua.get(key);
  if (point === undefined) {
    point = nextPoint();
    // A client drawing more than 71,934 distinct cells shows the rest as U+FFFD rather than misalign.
    if (point === undefined) return '\uFFFD';
    toPua.set(key, point);
    fromPua.set(point, { text, width });
  }
  return String.fromCodePoint(point);
}

/**
 * Text ready for blessed: each cluster in its display form (fallbacks for what
 * the terminal cannot show), each multi-code-point cell one private-use code point.
 */
export function encodeClusters(text: string): string {
  let out = '';
  for (const cluster of graphemes(text)) {
    // Line breaks and tabs are blessed's to handle (remote text has none left: sanitize.ts).
    if (/^[\n\r\t]+$/.test(cluster)) {
      out += cluster;
      continue;
    }
    // A half-typed sequence must not reach the terminal: a trailing joiner makes
    // tmux merge the next thing drawn into this cell, and a lone surrogate is no character.
    const clean = [...cluster.replace(/\u200D+$/, '')].filter((ch) => !/^[\uD800-\uDFFF]$/.test(ch)).join('');
    if (!clean) continue;
    const shown = displayForm(clean);
    const parts = shown === clean ? [clean] : graphemes(shown);
    for (const part of parts) for (const cell of cellsOf(part)) out += encodeCell(cell.text, cell.width);
  }
  return out;
}

/** Puts the real text back into output bound for the terminal. */
export function decodeClusters(text: string): string {
  if (!HAS_PUA.test(text)) return text;
  return text.replace(PUA, (ch) => fromPua.get(ch.codePointAt(0)!)?.text ?? ch);
}

/** Columns of one code point as blessed asks for it (encoded cells included). */
function blessedWidth(point: number): number {
  const encoded = fromPua.get(point);
  if (encoded) return encoded.width;
  if (point === 0) return 0;
  return cellsOf(String.fromCodePoint(point))[0]?.width ?? 0;
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

/** Installs our widths into blessed's unicode module. Call once, before creating the screen. */
export function patchBlessedUnicode(unicode: BlessedUnicode): void {
  const tab = unicode.charWidth;
  unicode.charWidth = (str, i) => {
    const point = typeof str === 'number' ? str : unicode.codePointAt(str, i ?? 0);
    if (point === 0x09) return tab(str, i);
    return blessedWidth(point);
  };
  // parseContent puts a placeholder cell after each wide character with
  // `content.replace(chars.all, '$1\x03')`; decide "wide" with our widths.
  unicode.chars.all = {
    [Symbol.replace](content: string): string {
      let out = '';
      for (const ch of content) out += blessedWidth(ch.codePointAt(0)!) === 2 ? `${ch}\x03` : ch;
      return out;
    },
  };
}

interface BlessedElementPrototype {
  _wrapContent(content: string, width: number): string[] & { mwidth: number };
}

/**
 * Measures the widest line of an element in columns: blessed counts code
 * units, so a shrink-to-fit box (a label) around an emoji or an encoded
 * cell comes out too wide. Call once, with `blessed/lib/widgets/element`'s prototype.
 */
export function patchBlessedElement(element: BlessedElementPrototype, unicode: BlessedUnicode): void {
  const wrap = element._wrapContent;
  element._wrapContent = function (this: BlessedElementPrototype, content, width) {
    const out = wrap.call(this, content, width);
    let widest = 0;
    for (const line of out) widest = Math.max(widest, strWidth(line.replace(/\x1b\[[\d;]*m/g, ''), unicode));
    out.mwidth = widest;
    return out;
  };
}

function strWidth(line: string, unicode: BlessedUnicode): number {
  let width = 0;
  for (const ch of line) width += unicode.charWidth(ch.codePointAt(0)!);
  return width;
}

interface RenderingScreen {
  render(): void;
  destroyed?: boolean;
}

/**
 * Makes `screen.render()` draw once per turn of the event loop, however often
 * it is called: blessed emits a keypress per character of a paste, and each
 * view asks for a frame.
 */
export function coalesceRenders(screen: RenderingScreen): void {
  const render = screen.render.bind(screen);
  let pending = false;
  screen.render = () => {
    if (pending) return;
    pending = true;
    setImmediate(() => {
      pending = false;
      if (!screen.destroyed) render();
    });
  };
}

/** The blessed tag that draws italic (see the module comment). */
export const ITALIC = 'blink';

/** SGR parameters with blink (5) as italic (3); `38;5;n` and `48;5;n` colours are left alone. */
function blinkAsItalic(params: string): string {
  const list = params.split(';');
  for (let i = 0; i < list.length; i++) {
    if ((list[i] === '38' || list[i] === '48') && (list[i + 1] === '5' || list[i + 1] === '2'))
      i += list[i + 1] === '5' ? 2 : 4;
    else if (list[i] === '5') list[i] = '3';
    else if (list[i] === '25') list[i] = '23';
  }
  return list.join(';');
}

/** Puts the real text back into a program's output and draws blink as italic. Call with the screen's program. */
export function patchProgramOutput(program: BlessedProgram): void {
  const write = program._owrite.bind(program);
  program._owrite = (text: string) =>
    write(decodeClusters(text).replace(/\x1b\[([\d;]*)m/g, (_, params: string) => `\x1b[${blinkAsItalic(params)}m`));
  program.write = program._owrite;
}
