/**
 * `GET|HEAD /files/<fileId>[/thumb]?e=<expiry>&s=<signature>`: downloads
 * through signed, expiring URLs (PROTOCOL.md §17). Only decoded raster
 * images on the allow-list are served inline and with their type; anything
 * else is an `application/octet-stream` attachment, so HTML or SVG (even
 * named cat.png) never renders. Every answer carries `nosniff` and a
 * sandboxing Content-Security-Policy.
 *
 * @module
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { FileErrorCode, fileError } from './codes.js';
import type { FileRecord } from './index/types.js';
import { contentDisposition } from './names.js';
import { blobKeys, type FileParts } from './parts.js';
import { SAFETY_HEADERS, sendError } from './respond.js';
import { OCTET_STREAM, RASTER_TYPES } from './sniff.js';
import type { Variant } from './tokens.js';

/** `/files/<22 base64url characters>` with an optional `/thumb`. */
const FILE_PATH = /^\/files\/([A-Za-z0-9_-]{22})(\/thumb)?$/;

export async function handleDownload(
  parts: FileParts,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): Promise<void> {
  const head = request.method === 'HEAD';
  if (request.method !== 'GET' && !head) {
    sendError(response, fileError(FileErrorCode.FILE_INVALID, 'download with GET or HEAD'), {
      status: 405,
      headers: { Allow: 'GET, HEAD' },
    });
    return;
  }
  const match = FILE_PATH.exec(url.pathname);
  if (!match) {
    sendError(response, fileError(FileErrorCode.FILE_INVALID, 'no such file'), { status: 404, head });
    return;
  }
  const fileId = match[1]!;
  const variant: Variant = match[2] ? 'thumb' : 'file';
  const now = parts.now();
  const expires = Number(url.searchParams.get('e'));
  // Checked before the lookup, so an unsigned request learns nothing about which ids exist.
  if (!parts.signer.verifyUrl(fileId, variant, expires, url.searchParams.get('s') ?? '', now)) {
    sendError(response, fileError(FileErrorCode.UNAUTHORIZED, 'the link is invalid or has expired'), {
      status: 403,
      head,
    });
    return;
  }
  const file = await parts.index.file(fileId);
  if (!file || file.releasedAt !== undefined || (variant === 'thumb' && file.thumbSize === undefined)) {
    sendError(response, fileError(FileErrorCode.FILE_INVALID, 'no such file'), { status: 404, head });
    return;
  }
  const keys = blobKeys(file);
  const maxAge = Math.max(0, Math.floor((expires - now) / 1000));
  await parts.blobs.serve(
    request,
    response,
    variant === 'thumb' ? keys.thumb : keys.original,
    variant === 'thumb' ? file.thumbSize! : file.size,
    {
      etag: `"${file.hash}.${file.gen}${variant === 'thumb' ? '.t' : ''}"`,
      headers: { ...downloadHeaders(file, variant), 'Cache-Control': `private, max-age=${maxAge}` },
    },
  );
}

/** Type and disposition: inline only for a raster image the server decoded itself. */
export function downloadHeaders(file: FileRecord, variant: Variant): Record<string, string> {
  const inline = variant === 'thumb' || (RASTER_TYPES.has(file.type) && file.width !== undefined);
  const type = variant === 'thumb' ? 'image/webp' : inline ? file.type : OCTET_STREAM;
  return {
    ...SAFETY_HEADERS,
    'Content-Type': type,
    'Content-Disposition': contentDisposition(inline ? 'inline' : 'attachment', file.name),
  };
}
