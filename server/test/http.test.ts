import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { member, startTestServer, tempDir } from './helpers.js';

let server: RunningServer;
let webRoot: string;
beforeAll(async () => {
  webRoot = tempDir('kuykan-web-');
  mkdirSync(join(webRoot, 'assets'));
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>Kuykan</title>');
  writeFileSync(join(webRoot, 'assets', 'app.js'), 'console.log(1)');
  // A precompressed twin, as a build step may leave beside each asset.
  writeFileSync(join(webRoot, 'assets', 'app.js.br'), brotliCompressSync('console.log(2)'));
  server = await startTestServer({ webRoot });
});
afterAll(() => server.close());

describe('http', () => {
  it('reports health with connection and room counts', async () => {
    const a = await member(server.url, 'health', 'h');
    const body = await (await fetch(`${server.httpUrl}/healthz`)).json();
    expect(body).toMatchObject({ status: 'ok', connections: 1, rooms: 1, store: 'memory', engine: 'local' });
    expect(body.node).toMatch(/^[\w-]+$/);
    a.close();
  });

  it('exposes Prometheus metrics for frames, errors and send latency', async () => {
    const a = await member(server.url, 'metrics', 'm');
    await a.request({ type: 'send', room: 'm', clientId: 'c', text: 'counted' });
    await a.request({ type: 'leave', room: 'nowhere' });
    const text = await (await fetch(`${server.httpUrl}/metrics`)).text();
    expect(text).toMatch(/kuykan_frames_in_total\{type="send"\} 1/);
    expect(text).toMatch(/kuykan_errors_total\{code="301"\} 1/);
    expect(text).toMatch(/kuykan_send_ack_seconds_count 1/);
    expect(text).toMatch(/kuykan_frames_out_total\{type="message"\} 1/);
    expect(text).toMatch(/kuykan_connections 1/);
    a.close();
  });

  it('serves the web client with a Content-Security-Policy that forbids inline scripts', async () => {
    const page = await fetch(`${server.httpUrl}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Kuykan</title>');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline'; script");
    const asset = await fetch(`${server.httpUrl}/assets/app.js`);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });

  it('does not serve files outside the web root', async () => {
    for (const path of ['/../package.json', '/%2e%2e/%2e%2e/etc/passwd', '/assets/../../x']) {
      const response = await fetch(`${server.httpUrl}${path}`);
      expect(response.status).toBe(404);
    }
  });

  it('serves a page explaining how to build the client when there is none', async () => {
    const bare = await startTestServer({ webRoot: undefined });
    const text = await (await fetch(`${bare.httpUrl}/`)).text();
    expect(text).toMatch(/Kuykan server is running|<title>/);
    await bare.close();
  });

  it('answers a URI it cannot decode with 400, not 500 [issue 16]', async () => {
    const response = await fetch(`${server.httpUrl}/%`);
    expect(response.status).toBe(400);
    expect(await response.text()).toBe('Bad Request\n');
  });

  it('answers methods other than GET and HEAD with 405 on every route, /metrics included', async () => {
    for (const path of ['/metrics', '/healthz', '/']) {
      const response = await fetch(`${server.httpUrl}${path}`, { method: 'POST', body: 'x'.repeat(1000) });
      expect(response.status, path).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
    }
  });

  it('answers a repeated request with 304 through its ETag, and HEAD with headers only', async () => {
    const first = await fetch(`${server.httpUrl}/`);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await fetch(`${server.httpUrl}/`, { headers: { 'If-None-Match': etag! } });
    expect(again.status).toBe(304);
    const head = await fetch(`${server.httpUrl}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0);
    expect(await head.text()).toBe('');
  });

  it('serves the precompressed twin of a file to a client that accepts it', async () => {
    const brotli = await fetch(`${server.httpUrl}/assets/app.js`, { headers: { 'Accept-Encoding': 'br' } });
    expect(brotli.headers.get('content-encoding')).toBe('br');
    expect(await brotli.text()).toBe('console.log(2)');
    const plain = await fetch(`${server.httpUrl}/assets/app.js`, { headers: { 'Accept-Encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe('console.log(1)');
  });

  it('answers a path it does not have with 404', async () => {
    const response = await fetch(`${server.httpUrl}/no-such-file.js`);
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('Not Found\n');
  });

  it('puts /metrics behind a bearer token when one is configured', async () => {
    const guarded = await startTestServer({ metricsToken: 's3cret' });
    try {
      const none = await fetch(`${guarded.httpUrl}/metrics`);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toContain('Bearer');
      const wrong = await fetch(`${guarded.httpUrl}/metrics`, { headers: { Authorization: 'Bearer s3creT' } });
      expect(wrong.status).toBe(401);
      const right = await fetch(`${guarded.httpUrl}/metrics`, { headers: { Authorization: 'Bearer s3cret' } });
      expect(right.status).toBe(200);
      expect(await right.text()).toContain('kuykan_connections');
      expect((await fetch(`${guarded.httpUrl}/healthz`)).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });
});
