/**
 * Sending files from a browser: the PUT of §17 with XMLHttpRequest, the one
 * browser API that reports upload progress. Loaded on the first
 * `room.sendFile`, so pages that send no file do not ship it.
 *
 * @module
 */

import { ClientError } from '../errors.js';
import { checkAborted, fileSender } from './send-file.js';
import type { Put, PutAnswer } from './types.js';

export const browserPut: Put = ({ url, token, body, type, onProgress, signal }) =>
  new Promise<PutAnswer>((resolve, reject) => {
    checkAborted(signal);
    if (!(body instanceof Blob || body instanceof Uint8Array)) {
      throw new TypeError('in a browser, sendFile takes a Blob, a File or bytes');
    }
    const xhr = new XMLHttpRequest();
    const abort = () => xhr.abort();
    const settle = (error: unknown, answer?: PutAnswer) => {
      signal?.removeEventListener('abort', abort);
      if (answer) resolve(answer);
      else reject(error);
    };
    signal?.addEventListener('abort', abort, { once: true });
    xhr.open('PUT', url);
    xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Content-Type', type);
    xhr.upload.onprogress = (event) => onProgress?.({ sent: event.loaded, total: event.total });
    xhr.onload = () => settle(undefined, { status: xhr.status, body: xhr.responseText });
    // Browsers tell pages nothing about why a request failed (CORS, network).
    xhr.onerror = () => settle(new ClientError('CLOSED', `the upload to ${new URL(url).origin} failed`));
    xhr.onabort = () => settle(new ClientError('ABORTED', 'the upload was cancelled', { cause: signal?.reason }));
    xhr.send(body as XMLHttpRequestBodyInit);
  });

/** What browser.ts loads to send files. */
export const browserFiles = fileSender(browserPut);
