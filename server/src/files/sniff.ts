/**
 * The real type of an upload, from its bytes (file-type's magic numbers,
 * then a UTF-8 text check), never from its name or the client's declared
 * type; and what may be shown inline.
 *
 * @module
 */

import { open } from 'node:fs/promises';
import { fileTypeFromFile } from 'file-type';

/** Raster image types that are decoded, re-encoded, thumbnailed and may be served inline. */
export const RASTER_TYPES: ReadonlySet<string> = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
]);

/** The type of bytes nothing recognises; always served as a download. */
export const OCTET_STREAM = 'application/octet-stream';

/** Bytes read to tell text from binary. */
const TEXT_PROBE_BYTES = 4096;

/** Markup a browser would run, by the type it is stored as (served only as a download). */
const MARKUP: ReadonlyArray<[RegExp, string]> = [
  [/^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!doctype\s+svg[^>]*>\s*)?<svg[\s>]/i, 'image/svg+xml'],
  [/^\s*<(!doctype\s+html|html|head|body|script|iframe|meta|style|title)[\s>/]/i, 'text/html'],
  [/^\s*<\?xml[\s?]/i, 'application/xml'],
];

/**
 * The media type of the file at `path`: what file-type recognises, else
 * `image/svg+xml`, `text/html` or `application/xml` for markup,
 * `text/plain` for other UTF-8 text, else `application/octet-stream`.
 */
export async function sniffType(path: string): Promise<string> {
  const detected = await fileTypeFromFile(path);
  if (detected) return detected.mime;
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(TEXT_PROBE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, TEXT_PROBE_BYTES, 0);
    const head = buffer.subarray(0, bytesRead);
    if (!looksLikeText(head)) return OCTET_STREAM;
    const text = head.toString('utf8').replace(/^\uFEFF/, '');
    return MARKUP.find(([pattern]) => pattern.test(text))?.[1] ?? 'text/plain';
  } finally {
    await handle.close();
  }
}

/** UTF-8 (a sequence cut at the probe's end allowed) without controls other than tab, newlines and form feed. */
function looksLikeText(bytes: Buffer): boolean {
  for (const byte of bytes) {
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d) return false;
  }
  // Drop a multi-byte sequence the probe may have cut in half, then require valid UTF-8.
  let end = bytes.length;
  for (let back = 1; back <= 3 && end - back >= 0; back += 1) {
    const byte = bytes[end - back]!;
    if ((byte & 0xc0) === 0xc0) {
      end -= back;
      break;
    }
    if ((byte & 0x80) === 0) break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}
