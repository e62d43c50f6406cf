/**
 * Sending a file (§17), platform-neutral: ask the room for an upload slot,
 * PUT the bytes to the slot's URL resolved against the server's HTTP URL
 * with the slot's bearer token (the platform's part), read the answer, then
 * send a message carrying the file [ATT-7].
 *
 * @module
 */

import { ErrorCode, ProtocolError } from '@kuykan/protocol';
import { ClientError } from '../errors.js';
import type { FileAck, FileData, SendFileOptions, UploadedFile } from '../types.js';
import type { FileRoom, FileSender, Put, PutAnswer } from './types.js';

/** The file sender of a platform, given its PUT. @internal */
export function fileSender(put: Put): FileSender {
  return { sendFile: (room, data, options) => sendFile(room, put, data, options) };
}

/** The size of bytes or a Blob; undefined for a stream. */
function sizeOf(data: FileData): number | undefined {
  if (data instanceof Uint8Array) return data.byteLength;
  if (typeof Blob !== 'undefined' && data instanceof Blob) return data.size;
  return undefined;
}

/** Throws ClientError `ABORTED` once the signal fired. @internal */
export function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ClientError('ABORTED', 'the upload was cancelled', { cause: signal.reason });
}

async function sendFile(room: FileRoom, put: Put, data: FileData, options: SendFileOptions): Promise<FileAck> {
  const { onProgress, signal, text = '', size: givenSize, name: givenName, type: givenType, ...send } = options;
  const name = givenName ?? (data as Partial<File>).name;
  if (!name) throw new TypeError('sendFile needs a file name: options.name');
  const size = givenSize ?? sizeOf(data);
  if (size === undefined) throw new TypeError('sendFile needs the size of a stream: options.size');
  const type = givenType || (data as Partial<Blob>).type || 'application/octet-stream';
  checkAborted(signal);
  const slot = await room.upload({ name, size, mediaType: type });
  checkAborted(signal);
  const url = new URL(slot.url, room.url).href;
  const answer = await put({ url, token: slot.token, body: data, size, type, onProgress, signal });
  const file = readAnswer(answer);
  const ack = await room.send(text, { ...send, files: [file.fileId] });
  return { ...ack, file };
}

/** HTTP statuses of upload failures and the codes they mean when the body names none (§17). */
const STATUS_CODES: Record<number, ErrorCode> = {
  400: ErrorCode.UPLOAD_INVALID,
  401: ErrorCode.UNAUTHORIZED,
  409: ErrorCode.SLOT_USED,
  413: ErrorCode.TOO_LARGE,
  429: ErrorCode.RATE_LIMITED,
};

/** The stored file from a 200/201 answer; any other answer is thrown as a ProtocolError with the body's code. */
function readAnswer({ status, body }: PutAnswer): UploadedFile {
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(body) as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's error page): the status says what happened.
  }
  if (status >= 200 && status < 300 && typeof json.fileId === 'string') {
    // §17 names it `mediaType`; the reference server's file routes answer `type` (reported).
    const { type, ...file } = json;
    return { mediaType: type, ...file } as unknown as UploadedFile;
  }
  const code =
    typeof json.code === 'number'
      ? (json.code as ErrorCode)
      : (STATUS_CODES[status] ?? (status >= 500 ? ErrorCode.UNAVAILABLE : ErrorCode.INTERNAL));
  const message = typeof json.message === 'string' ? json.message : `the upload was answered with HTTP ${status}`;
  const retryAfterMs = typeof json.retryAfterMs === 'number' ? json.retryAfterMs : undefined;
  throw new ProtocolError(code, message, { retryAfterMs });
}
