/**
 * Sending files from Node: the PUT of §17 over `node:http`/`node:https`,
 * streaming bytes, Blobs or readable streams with backpressure, reporting
 * progress as the socket takes the bytes, cancellable with an AbortSignal.
 *
 * @module
 */

import { type ClientRequest, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { ClientError } from '../errors.js';
import type { FileData, UploadProgress } from '../types.js';
import { checkAborted, fileSender } from './send-file.js';
import type { Put, PutAnswer } from './types.js';

/** Bytes written at a time from a buffer. */
const CHUNK_BYTES = 64 * 1024;

/**
 * How long a PUT whose socket broke while writing waits for the answer: a
 * server that refuses early (401, 413, quota) answers and closes before
 * reading the rest, and that answer says why, where the broken pipe does not.
 */
const ANSWER_GRACE_MS = 2000;

export const nodePut: Put = ({ url, token, body, size, type, onProgress, signal }) =>
  new Promise<PutAnswer>((resolve, reject) => {
    checkAborted(signal);
    const target = new URL(url);
    const request = (target.protocol === 'https:' ? httpsRequest : httpRequest)(target, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': type, 'content-length': String(size) },
    });
    let answered = false;
    let settled = false;
    let grace: ReturnType<typeof setTimeout> | undefined;
    const settle = (error: unknown, answer?: PutAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(grace);
      signal?.removeEventListener('abort', abort);
      if (answer) resolve(answer);
      else reject(error);
    };
    const abort = () => {
      request.destroy();
      settle(new ClientError('ABORTED', 'the upload was cancelled', { cause: signal?.reason }));
    };
    signal?.addEventListener('abort', abort, { once: true });
    request.on('response', (response) => {
      answered = true;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        settle(undefined, { status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      response.on('error', (error) => settle(failed(target, error)));
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (answered) return; // the answer is being read; it says what happened
      if (error.code === 'EPIPE' || error.code === 'ECONNRESET') {
        grace ??= setTimeout(() => settle(failed(target, error)), ANSWER_GRACE_MS);
      } else {
        settle(failed(target, error));
      }
    });
    write(request, body, size, onProgress).catch((error: unknown) => {
      request.destroy();
      settle(error);
    });
  });

function failed(target: URL, error: Error): ClientError {
  return new ClientError('CLOSED', `the upload to ${target.origin} failed: ${error.message}`, { cause: error });
}

/** Writes the body, waiting for `drain` when the socket is full, reporting bytes as they are flushed. */
async function write(
  request: ClientRequest,
  body: FileData,
  total: number,
  onProgress: ((progress: UploadProgress) => void) | undefined,
): Promise<void> {
  let sent = 0;
  const chunks = body instanceof Uint8Array ? slices(body) : body instanceof Blob ? body.stream() : body;
  for await (const part of chunks as AsyncIterable<Uint8Array | string>) {
    if (request.destroyed) return;
    const chunk = typeof part === 'string' ? Buffer.from(part) : part;
    const flushed = request.write(chunk, (error) => {
      if (error) return;
      sent += chunk.byteLength;
      onProgress?.({ sent, total });
    });
    if (!flushed) await drained(request);
  }
  request.end();
}

/** Resolves when the request can take more bytes, or closed. */
function drained(request: ClientRequest): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      request.off('drain', done);
      request.off('close', done);
      resolve();
    };
    request.on('drain', done);
    request.on('close', done);
  });
}

async function* slices(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  for (let at = 0; at < bytes.byteLength; at += CHUNK_BYTES) yield bytes.subarray(at, at + CHUNK_BYTES);
}

/** What node.ts gives its clients to send files. */
export const nodeFiles = fileSender(nodePut);
