/**
 * The browser's part of sending a file: one XMLHttpRequest PUT, checked
 * against a scripted XMLHttpRequest (Node has none); and how the core words
 * what a platform's PUT reports.
 */
import { ErrorCode } from '@kuykan/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClientError } from '../src/errors.js';
import { browserPut } from '../src/files/browser.js';
import { sendFile } from '../src/files/send-file.js';
import type { FileRoom, Put } from '../src/files/types.js';
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

  it('aborts the request when the signal fires, and rejects', async () => {
    const controller = new AbortController();
    const answered = browserPut(request({ signal: controller.signal }));
    controller.abort();
    await expect(answered).rejects.toBeUndefined();
    expect(ScriptedXhr.last.aborted).toBe(true);
  });

  it('rejects a network failure, and a stream with a TypeError before any request', async () => {
    const answered = browserPut(request());
    ScriptedXhr.last.onerror?.();
    await expect(answered).rejects.toBeUndefined();
    const before = ScriptedXhr.last;
    async function* stream(): AsyncGenerator<Uint8Array> {}
    await expect(browserPut(request({ body: stream() }))).rejects.toThrow(TypeError);
    expect(ScriptedXhr.last).toBe(before);
  });
});

describe('sendFile with a platform PUT', () => {
  const room: FileRoom = {
    name: 'lobby',
    url: 'https://chat.example/ws',
    upload: async () => ({ type: 'uploadSlot', id: 1, url: '/files/upload', token: 'tk', expires: 0 }),
    send: async () => ({ messageId: 'm1', seq: 1, ts: 1, clientId: 'c1' }),
  };
  const bytes = new Uint8Array(1);

  it('words a PUT that got no answer as CLOSED, or ABORTED when its signal fired', async () => {
    const hangUp: Put = () => Promise.reject(new Error('socket hang up'));
    const closed = await sendFile(room, hangUp, bytes, { name: 'a' }).catch((e: unknown) => e);
    expect(closed).toBeInstanceOf(ClientError);
    expect(closed).toMatchObject({
      code: 'CLOSED',
      message: 'the upload to https://chat.example failed: socket hang up',
    });
    const controller = new AbortController();
    const cancelled: Put = () => {
      controller.abort();
      return Promise.reject(new Event('abort'));
    };
    const aborted = sendFile(room, cancelled, bytes, { name: 'a', signal: controller.signal });
    await expect(aborted).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('maps a refusal without a JSON body by its HTTP status, and reads the file from a success', async () => {
    const answer =
      (status: number, body: string): Put =>
      async () => ({ status, body });
    const tooLarge = sendFile(room, answer(413, '<html>too big</html>'), bytes, { name: 'a' });
    await expect(tooLarge).rejects.toMatchObject({ code: ErrorCode.TOO_LARGE });
    const badGateway = sendFile(room, answer(502, 'Bad Gateway'), bytes, { name: 'a' });
    await expect(badGateway).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE });
    const file = { fileId: 'f1', name: 'a', size: 1, mediaType: 'text/plain', thumb: false };
    const ack = await sendFile(room, answer(201, JSON.stringify(file)), bytes, { name: 'a' });
    expect(ack).toEqual({ messageId: 'm1', seq: 1, ts: 1, clientId: 'c1', file });
  });
});
