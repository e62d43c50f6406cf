/**
 * Error codes of attachments (PROTOCOL.md §17) and the HTTP status each one
 * is answered with on the upload and download routes.
 *
 * @module
 */

import { ErrorCode, ProtocolError } from '@kuykan/protocol';

/** The protocol error codes the file module answers with. */
export const FileErrorCode = {
  /** An attachment names a file that is unknown, not the sender's, for another room, or already attached. */
  FILE_INVALID: ErrorCode.FILE_INVALID,
  /** The upload body is empty, shorter or longer than the slot's size, cut off, or an image the server refuses. */
  UPLOAD_INVALID: ErrorCode.UPLOAD_INVALID,
  /** The slot already completed with different bytes. */
  SLOT_USED: ErrorCode.SLOT_USED,
  /** The user's stored files would exceed the upload quota. */
  QUOTA_EXCEEDED: ErrorCode.QUOTA_EXCEEDED,
  /** The upload token or the signed URL is missing, invalid or expired. */
  UNAUTHORIZED: ErrorCode.UNAUTHORIZED,
  /** The declared or streamed size is over the slot's size or `maxUploadBytes`. */
  TOO_LARGE: ErrorCode.TOO_LARGE,
  RATE_LIMITED: ErrorCode.RATE_LIMITED,
  INTERNAL: ErrorCode.INTERNAL,
  UNAVAILABLE: ErrorCode.UNAVAILABLE,
} as const;

export type FileErrorCode = (typeof FileErrorCode)[keyof typeof FileErrorCode];

/** The HTTP status that carries each code on the file routes. */
const HTTP_STATUS: Readonly<Record<number, number>> = {
  [FileErrorCode.FILE_INVALID]: 404,
  [FileErrorCode.UPLOAD_INVALID]: 400,
  [FileErrorCode.SLOT_USED]: 409,
  [FileErrorCode.QUOTA_EXCEEDED]: 413,
  [FileErrorCode.UNAUTHORIZED]: 401,
  [FileErrorCode.TOO_LARGE]: 413,
  [FileErrorCode.RATE_LIMITED]: 429,
  [FileErrorCode.UNAVAILABLE]: 503,
};

/** A refused file request: a {@link ProtocolError} with a code that may not be in the spec's union yet. */
export function fileError(
  code: FileErrorCode,
  message: string,
  options: { retryAfterMs?: number; cause?: unknown } = {},
): ProtocolError {
  return new ProtocolError(code as ErrorCode, message, options);
}

/** The HTTP status for an error's code (500 for anything unexpected). */
export function httpStatusOf(error: unknown): number {
  return error instanceof ProtocolError ? (HTTP_STATUS[error.code] ?? 500) : 500;
}
