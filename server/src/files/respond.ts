/**
 * JSON answers of the file routes: a result, or an error `{code, message}`
 * whose HTTP status matches the protocol code.
 *
 * @module
 */

import type { ServerResponse } from 'node:http';
import { ProtocolError } from '@kuykan/protocol';
import { FileErrorCode, httpStatusOf } from './codes.js';

/** Headers on every answer of the file routes, errors included. */
export const SAFETY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "sandbox; default-src 'none'",
  'Cache-Control': 'no-store',
};

/** Writes `body` as JSON with `status`, replacing any header set earlier; HEAD gets no body. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  head = false,
): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  for (const name of response.getHeaderNames()) response.removeHeader(name);
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...SAFETY_HEADERS,
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
  });
  response.end(head ? undefined : text);
}

/** Answers an error: a ProtocolError with its code and status, anything else 500 INTERNAL. */
export function sendError(
  response: ServerResponse,
  error: unknown,
  options: { status?: number; headers?: Record<string, string>; head?: boolean } = {},
): void {
  const known = error instanceof ProtocolError;
  const status = options.status ?? httpStatusOf(error);
  const body = known
    ? {
        code: error.code,
        message: error.message,
        ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
      }
    : { code: FileErrorCode.INTERNAL, message: 'internal error' };
  sendJson(response, status, body, options.headers, options.head);
}
