/**
 * The browser's part of sending a file: the PUT of §17 with XMLHttpRequest,
 * the one browser API that reports upload progress. A chunk of its own,
 * loaded on the first `room.sendFile`, with no imports, so pages that send
 * no file do not ship it and the core needs no chunk shared with it.
 *
 * @module
 */

import type { Put, PutAnswer } from './types.js';

export const browserPut: Put = ({ url, token, body, type, onProgress, signal }) =>
  new Promise<PutAnswer>((resolve, reject) => {
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
    // Browsers tell pages nothing about why a request failed (CORS, network); the caller words it.
    xhr.onerror = xhr.onabort = (event) => settle(event);
    xhr.send(body as XMLHttpRequestBodyInit);
  });
