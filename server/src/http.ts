/**
 * Plain HTTP routes: `/healthz`, `/metrics`, and the web client's static
 * files at `/`, served with a Content-Security-Policy that forbids inline
 * and foreign scripts.
 *
 * @module
 */

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import type { Hub } from './hub.js';

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.webmanifest': 'application/manifest+json',
};

const NO_CLIENT_PAGE = `<!doctype html><meta charset="utf-8"><title>Kuykan</title>
<h1>Kuykan server is running</h1>
<p>The web client is not built. Run <code>npm run build -w @kuykan/web</code> (or <code>npm start</code> from the repository root) and reload.</p>`;

export interface HttpStatus {
  connections(): number;
  healthy(): boolean;
}

export function createHttpHandler(hub: Hub, status: HttpStatus) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    response.setHeader('X-Content-Type-Options', 'nosniff');
    const url = URL.parse(request.url ?? '/', 'http://localhost');
    let pathname: string | undefined;
    try {
      pathname = url ? decodeURIComponent(url.pathname) : undefined;
    } catch {
      pathname = undefined;
    }
    // A client error, not ours: answered 400 and logged at debug, so bad URIs cannot flood the log.
    if (!url || pathname === undefined) {
      hub.log.debug({ url: request.url }, 'bad request URI');
      send(response, 400, 'text/plain; charset=utf-8', `${STATUS_CODES[400]}\n`);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      send(response, 405, 'text/plain; charset=utf-8', `${STATUS_CODES[405]}\n`);
      return;
    }
    try {
      if (url.pathname === '/healthz') {
        const healthy = status.healthy();
        send(
          response,
          healthy ? 200 : 503,
          'application/json',
          JSON.stringify({
            status: healthy ? 'ok' : 'unavailable',
            connections: status.connections(),
            rooms: hub.roomCount,
            store: hub.store.description.split(':')[0],
            engine: hub.cluster.kind,
            node: hub.cluster.nodeId,
          }),
        );
        return;
      }
      if (url.pathname === '/metrics') {
        send(response, 200, hub.metrics.registry.contentType, await hub.metrics.registry.metrics());
        return;
      }
      await serveStatic(hub.options.webRoot, pathname, response);
    } catch (error) {
      hub.log.error({ err: error, path: url.pathname }, 'http request failed');
      if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', 'internal error\n');
      else response.destroy();
    }
  };
}

async function serveStatic(root: string | undefined, pathname: string, response: ServerResponse): Promise<void> {
  response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  if (!root) {
    send(response, 200, 'text/html; charset=utf-8', NO_CLIENT_PAGE);
    return;
  }
  let path = normalize(join(root, pathname));
  if (path !== root && !path.startsWith(root + sep)) {
    send(response, 404, 'text/plain; charset=utf-8', 'not found\n');
    return;
  }
  let info = await stat(path).catch(() => undefined);
  if (info?.isDirectory()) {
    path = join(path, 'index.html');
    info = await stat(path).catch(() => undefined);
  }
  if (!info?.isFile()) {
    send(response, 404, 'text/plain; charset=utf-8', 'not found\n');
    return;
  }
  response.writeHead(200, {
    'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream',
    'Content-Length': info.size,
    // Hashed asset names can be cached for good; the page itself must revalidate.
    'Cache-Control': path.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  createReadStream(path).pipe(response);
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  response.end(body);
}
