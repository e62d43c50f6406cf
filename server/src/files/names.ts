/**
 * Display names of files. A name comes from the client and is shown to
 * other users and put in `Content-Disposition`; it is never used as a path
 * (blobs are stored under their hash).
 *
 * @module
 */

/** Longest display name kept, in code points. */
export const MAX_NAME_CODE_POINTS = 255;

/** The name of a file whose given name sanitises to nothing. */
export const FALLBACK_NAME = 'file';

/**
 * C0 and C1 controls (NUL among them), DEL, and the bidirectional controls that
 * can make `cat‮gnp.exe` read as `catexe.png`: ALM, LRM, RLM, LRE…RLO, LRI…PDI.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** A surrogate without its pair: not text, replaced by U+FFFD. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The name as shown and sent in headers: the last path component (after `/`
 * or `\`), without controls or bidi controls, trimmed, cut to
 * {@link MAX_NAME_CODE_POINTS} code points at a grapheme boundary; `file`
 * when nothing is left (or only dots).
 */
export function sanitizeName(raw: string): string {
  const base = raw.replace(LONE_SURROGATE, '\uFFFD').split(/[/\\]/).pop() ?? '';
  const cleaned = base.replace(UNSAFE, '').trim();
  let name = '';
  let count = 0;
  for (const { segment } of graphemes.segment(cleaned)) {
    const length = [...segment].length;
    if (count + length > MAX_NAME_CODE_POINTS) break;
    name += segment;
    count += length;
  }
  name = name.trim();
  return name === '' || /^\.+$/.test(name) ? FALLBACK_NAME : name;
}

/**
 * A `Content-Disposition` value (RFC 6266): an ASCII `filename` for old
 * clients and the exact name in `filename*` (RFC 8187, UTF-8).
 */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
