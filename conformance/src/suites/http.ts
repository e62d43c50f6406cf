/**
 * HTTP for the attachment suite (§17): the origin of a WebSocket URL, PUTs
 * whose length, body and abort the test controls byte by byte (node:http,
 * not fetch, which fixes Content-Length itself), GETs, and small PNG files
 * built here so the suite needs no image library.
 *
 * @module
 */

import { request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { deflateSync } from 'node:zlib';
import { Timeout } from '../failure.js';

/** An HTTP answer, body read whole. */
export interface HttpReply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** The URL a reference from a frame names: resolved against the WebSocket's URL, `ws` → `http`, `wss` → `https` (§17). */
export function resolveHttp(wsUrl: string, reference: string): URL {
  const origin = new URL(wsUrl);
  origin.protocol = origin.protocol === 'wss:' ? 'https:' : 'http:';
  return new URL(reference, origin);
}

/** How a PUT is sent. */
export interface PutOptions {
  /** The Content-Length header (default: the body's length). */
  readonly contentLength?: number;
  /** Send only this many bytes of the body, then drop the connection (an aborted upload). */
  readonly abortAfter?: number;
  /** Send the first bytes and wait for an answer before sending the rest (a server that refuses early). */
  readonly answerBeforeBody?: boolean;
  readonly headers?: OutgoingHttpHeaders;
}

/** Sends one HTTP request; resolves with the answer, or `undefined` for an aborted upload. */
export function send(
  method: 'PUT' | 'GET' | 'HEAD',
  url: URL,
  body: Buffer | undefined,
  timeoutMs: number,
  options: PutOptions = {},
): Promise<HttpReply | undefined> {
  const headers: OutgoingHttpHeaders = { ...options.headers };
  if (body !== undefined) headers['content-length'] = options.contentLength ?? body.length;
  const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { method, headers });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      request.destroy();
      reject(new Timeout(`${method} ${url.pathname}: no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        clearTimeout(timer);
        request.destroy();
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) });
      });
      response.on('error', () => undefined);
    });
    request.on('error', (error) => {
      clearTimeout(timer);
      if (options.abortAfter !== undefined || options.answerBeforeBody) resolve(undefined);
      else reject(error);
    });
    if (body === undefined) return void request.end();
    if (options.abortAfter !== undefined) {
      request.write(body.subarray(0, options.abortAfter), () => {
        clearTimeout(timer);
        request.destroy();
        request.socket?.once('close', () => resolve(undefined));
        if (!request.socket || request.socket.destroyed) resolve(undefined);
      });
      return;
    }
    if (options.answerBeforeBody) {
      request.flushHeaders();
      request.write(body.subarray(0, 1024));
      return;
    }
    request.end(body);
  });
}

/** The JSON body of an answer, or undefined. */
export function json(reply: HttpReply | undefined): Record<string, unknown> | undefined {
  try {
    return reply ? (JSON.parse(reply.body.toString('utf8')) as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- PNG

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** One PNG chunk. */
export function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** The bytes of a PNG of one colour, with `extra` chunks (metadata) before the image data. */
export function png(
  width: number,
  height: number,
  extra: Buffer[] = [],
  rgb: [number, number, number] = [200, 30, 90],
): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, no filter, no interlace
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set(rgb, 1 + x * 3);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    ...extra,
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A PNG header that claims a huge image (a decompression bomb): refused before decoding [ATT-9]. */
export function hugePng(side = 100_000): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.alloc(4096))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Metadata a server must strip from stored images [ATT-9]: an EXIF block with a GPS tag, and XMP. */
export const METADATA_MARKERS = ['GPSLatitude', 'kuykan-secret-location', 'x:xmpmeta'];

/** A big-endian TIFF/EXIF block with one ImageDescription entry holding `text`. */
function exif(text: string): Buffer {
  const value = Buffer.from(`${text}\u0000`, 'latin1');
  const block = Buffer.alloc(26 + value.length);
  block.write('MM\u0000*', 0, 'latin1');
  block.writeUInt32BE(8, 4); // first IFD
  block.writeUInt16BE(1, 8); // one entry
  block.writeUInt16BE(0x010e, 10); // ImageDescription
  block.writeUInt16BE(2, 12); // ASCII
  block.writeUInt32BE(value.length, 14);
  block.writeUInt32BE(26, 18); // value offset
  block.writeUInt32BE(0, 22); // no next IFD
  value.copy(block, 26);
  return block;
}

/** PNG chunks holding that metadata: EXIF, XMP and a text comment. */
export function metadataChunks(): Buffer[] {
  const xmp = '<x:xmpmeta xmlns:x="adobe:ns:meta/">kuykan-secret-location</x:xmpmeta>';
  return [
    chunk('eXIf', exif('GPSLatitude kuykan-secret-location')),
    chunk('iTXt', Buffer.from(`XML:com.adobe.xmp\u0000\u0000\u0000\u0000\u0000${xmp}`, 'latin1')),
    chunk('tEXt', Buffer.from('Comment\u0000GPSLatitude kuykan-secret-location', 'latin1')),
  ];
}
