/**
 * The browser's part of sending a file: one XMLHttpRequest PUT, checked
 * against a scripted XMLHttpRequest (Node has none).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClientError } from '../src/errors.js';
import { browserPut } from '../src/files/browser.js';
import type { UploadProgress } from '../src/types.js';

/** Records what the code under test does with it; the test plays the network. */
class ScriptedXhr {
  static last: ScriptedXhr;
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: unknown;
  status = 0;
  responseText = '';
  aborted = false;
  readonly upload: { onprogress: ((event: { loaded: number; total: number }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;

  constructor() {
    ScriptedXhr.last = this;
  }
  open(method: string, url: string): void {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string): void {
    this.headers[name] = value;
  }
  send(body: unknown): void {
    this.body = body;
  }
  abort(): void {
    this.aborted = true;
    this.onabort?.();
  }
}

const original = globalThis.XMLHttpRequest;
beforeEach(() => {
  globalThis.XMLHttpRequest = ScriptedXhr as unknown as typeof XMLHttpRequest;
});
afterEach(() => {
  globalThis.XMLHttpRequest = original;
});

const request = (extra: Partial<Parameters<typeof browserPut>[0]> = {}) => ({
  url: 'https://chat.example/files/upload',
  token: 'tk',
  body: new Blob(['hello']),
  size: 5,
  type: 'text/plain',
  ...extra,
});

describe('browserPut', () => {
  it('PUTs the Blob with the bearer token and reports upload progress and the answer', async () => {
    const progress: UploadProgress[] = [];
    const body = new Blob(['hello']);
    const answered = browserPut(request({ body, onProgress: (p) => progress.push(p) }));
    const xhr = ScriptedXhr.last;
    expect([xhr.method, xhr.url, xhr.body]).toEqual(['PUT', 'https://chat.example/files/upload', body]);
    expect(xhr.headers).toEqual({ Authorization: 'Bearer tk', 'Content-Type': 'text/plain' });
    xhr.upload.onprogress?.({ loaded: 2, total: 5 });
    xhr.upload.onprogress?.({ loaded: 5, total: 5 });
    xhr.status = 201;
    xhr.responseText = '{"fileId":"f1"}';
    xhr.onload?.();
    expect(await answered).toEqual({ status: 201, body: '{"fileId":"f1"}' });
    expect(progress).toEqual([
      { sent: 2, total: 5 },
      { sent: 5, total: 5 },
    ]);
  });

  it('aborts the request when the signal fires, rejecting with ABORTED', async () => {
    const controller = new AbortController();
    const answered = browserPut(request({ signal: controller.signal }));
    controller.abort();
    const error = await answered.catch((e: unknown) => e);
    expect(ScriptedXhr.last.aborted).toBe(true);
    expect(error).toBeInstanceOf(ClientError);
    expect(error).toMatchObject({ code: 'ABORTED' });
  });

  it('rejects a network failure with CLOSED, and a stream with a TypeError before any request', async () => {
    const answered = browserPut(request());
    ScriptedXhr.last.onerror?.();
    await expect(answered).rejects.toMatchObject({
      code: 'CLOSED',
      message: 'the upload to https://chat.example failed',
    });
    const before = ScriptedXhr.last;
    async function* stream(): AsyncGenerator<Uint8Array> {}
    await expect(browserPut(request({ body: stream() }))).rejects.toThrow(TypeError);
    expect(ScriptedXhr.last).toBe(before);
  });
});
