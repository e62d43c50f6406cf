/**
 * Server refusals and client failures in the UI language: protocol error
 * codes map to strings, so a Thai UI never shows the server's English text
 * (that text is only the fallback for a code this client does not know).
 *
 * @module
 */
import { DEFAULT_LIMITS, isRetryable } from '@kuykan/protocol';
// The SDK's browser build carries its own copy of the protocol classes: match what it throws.
import { ClientError, ErrorCode, ProtocolError } from '@kuykan/sdk';
import { sizeOf } from './format.js';
import { type StringKey, t } from './i18n.js';

const BY_CODE: Partial<Record<number, StringKey>> = {
  [ErrorCode.NAME_TAKEN]: 'errNameTaken',
  [ErrorCode.NAME_INVALID]: 'errNameInvalid',
  [ErrorCode.ROOM_INVALID]: 'errRoomInvalid',
  [ErrorCode.TEXT_INVALID]: 'errTextInvalid',
  [ErrorCode.TOO_MANY_ROOMS]: 'errTooManyRooms',
  [ErrorCode.RATE_LIMITED]: 'errRateLimited',
  [ErrorCode.UNAUTHORIZED]: 'errUnauthorized',
  [ErrorCode.NOT_AUTHOR]: 'errNotAuthor',
  [ErrorCode.MESSAGE_DELETED]: 'errMessageDeleted',
  [ErrorCode.MESSAGE_NOT_FOUND]: 'errMessageNotFound',
  [ErrorCode.EDIT_EXPIRED]: 'errEditExpired',
  [ErrorCode.REACTION_INVALID]: 'errReactionInvalid',
  [ErrorCode.TOO_MANY_REACTIONS]: 'errTooManyReactions',
  [ErrorCode.MENTIONS_INVALID]: 'errMentionsInvalid',
  [ErrorCode.TOO_LARGE]: 'errTooLarge',
  [ErrorCode.UPLOAD_INVALID]: 'errUploadInvalid',
  [ErrorCode.SLOT_USED]: 'errUploadInvalid',
  [ErrorCode.FILE_INVALID]: 'errFileInvalid',
  [ErrorCode.QUOTA_EXCEEDED]: 'errQuotaExceeded',
  [ErrorCode.USER_NOT_FOUND]: 'errUserNotFound',
  [ErrorCode.DIRECT_INVALID]: 'errDirectInvalid',
  [ErrorCode.FORBIDDEN]: 'errForbidden',
  [ErrorCode.INTERNAL]: 'errServer',
  [ErrorCode.UNAVAILABLE]: 'errServer',
};

const BY_CLIENT_CODE: Partial<Record<string, StringKey>> = {
  TIMEOUT: 'errTimeout',
  CLOSED: 'errClosed',
  QUEUE_FULL: 'errQueueFull',
  ABORTED: 'errAborted',
  UNSUPPORTED: 'errUnsupported',
};

/** Limits shown in the messages (the server's, once known). */
export interface ShownLimits {
  maxNameLength?: number;
  maxRoomLength?: number;
  /** v2: the largest upload, in bytes. */
  maxUploadBytes?: number;
}

/** A local validation result's refusal as the error the server would have sent. */
export function refusal(checked: { code: ErrorCode; reason: string }): ProtocolError {
  return new ProtocolError(checked.code, checked.reason);
}

/** Why something failed, in the UI language. */
export function errorText(error: unknown, limits: ShownLimits = {}): string {
  const values = {
    max: String(
      error instanceof ProtocolError && error.code === ErrorCode.NAME_INVALID
        ? (limits.maxNameLength ?? DEFAULT_LIMITS.maxNameLength)
        : (limits.maxRoomLength ?? DEFAULT_LIMITS.maxRoomLength),
    ),
  };
  if (error instanceof ProtocolError && error.code === ErrorCode.TOO_LARGE) {
    values.max = limits.maxUploadBytes ? sizeOf(limits.maxUploadBytes) : '—';
  }
  if (error instanceof ProtocolError) {
    const key = BY_CODE[error.code];
    return key ? t(key, values) : t('errOther', { reason: error.message });
  }
  if (error instanceof ClientError) {
    const key = BY_CLIENT_CODE[error.code];
    return key ? t(key) : t('errOther', { reason: error.message });
  }
  return t('errOther', { reason: error instanceof Error ? error.message : String(error) });
}

/** Client failures where the same upload may succeed later: the connection or the PUT failed, or no answer came. */
const TRANSIENT_UPLOAD_CODES = new Set(['CLOSED', 'TIMEOUT']);

/** Whether sending the same file again may succeed (PROTOCOL.md §5: the 4xx and 5xx ranges are retryable). */
export function canRetryUpload(error: unknown): boolean {
  if (error instanceof ProtocolError) return isRetryable(error.code);
  if (error instanceof ClientError) return TRANSIENT_UPLOAD_CODES.has(error.code);
  return false;
}

/** Whether re-sending the same text could succeed (a refused text never will). */
export function canRetry(error: unknown): boolean {
  if (error instanceof ProtocolError) return isRetryable(error.code);
  if (error instanceof ClientError) return error.code !== 'TERMINAL';
  return true;
}
