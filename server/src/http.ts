/**
 * Plain HTTP routes: `/healthz`, `/metrics` (optionally behind a bearer
 * token, or on a listener of its own), the attachment routes, and the web client's static files at `/` through sirv (ETag, HEAD,
 * precompressed `.br`/`.gz` files), served with a Content-Security-Policy that
 * forbids inline and foreign scripts.
 *
 * @module
 */

import { timingSafeEqual } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import sirv from 'sirv';
import type { Hub } from './hub.js';

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const NO_CLIENT_PAGE = `<!doctype html><meta charset="utf-8"><title>Kuykan</title>
<h1>Kuykan server is running</h1>
<p>The web client is not built. Run <code>npm run build -w @kuykan/web</code> (or <code>npm start</code> from the repository root) and reload.</p>`;

export interface HttpStatus {
  connections(): number;
  healthy(): boolean;
}

/** The attachment routes (`/files/…`, FileService in files/service.ts), which take PUT as well. */
export interface FileRoutes {
  handles(pathname: string): boolean;
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
}

/**
 * The chat port's routes. With `metricsListen` set, `/metrics` lives on its
 * own listener ({@link createMetricsHandler}) and the chat port answers 404 for it.
 */
export function createHttpHandler(hub: Hub, status: HttpStatus, files?: FileRoutes) {
  const serveStatic = staticFiles(hub.options.webRoot);
  const serveMetrics = hub.options.metricsListen ? undefined : metricsRoute(hub);
  return routes(hub, status, files, (request, response, pathname) => {
    if (pathname === '/metrics' && serveMetrics) return serveMetrics(request, response);
    serveStatic(request, response);
  });
}

/** The separate metrics listener (`metricsListen`): `/metrics` and `/healthz`, nothing else. */
export function createMetricsHandler(hub: Hub, status: HttpStatus) {
  const serveMetrics = metricsRoute(hub);
  return routes(hub, status, undefined, (request, response, pathname) => {
    if (pathname === '/metrics') return serveMetrics(request, response);
    send(response, 404, 'text/plain; charset=utf-8', `${STATUS_CODES[404]}\n`);
  });
}

type Route = (request: IncomingMessage, response: ServerResponse, pathname: string) => void | Promise<void>;

/** What every listener shares: URI checks, the file routes, GET/HEAD only, `/healthz`, errors. */
function routes(hub: Hub, status: HttpStatus, files: FileRoutes | undefined, rest: Route) {
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
    if (files?.handles(url.pathname)) {
      await files.handle(request, response);
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
      await rest(request, response, url.pathname);
    } catch (error) {
      hub.log.error({ err: error, path: url.pathname }, 'http request failed');
      if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', 'internal error\n');
      else response.destroy();
    }
  };
}

/** `/metrics`, behind the bearer token when one is configured. */
function metricsRoute(hub: Hub) {
  const authorized = bearerCheck(hub.options.metricsToken);
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (!authorized(request.headers.authorization)) {
      response.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      send(response, 401, 'text/plain; charset=utf-8', `${STATUS_CODES[401]}\n`);
      return;
    }
    send(response, 200, hub.metrics.registry.contentType, await hub.metrics.registry.metrics());
  };
}

/**
 * The web client's files: sirv answers GET and HEAD with ETag and
 * Last-Modified, prefers a precompressed `.br` or `.gz` twin when the client
 * accepts it, and refuses paths outside the root; anything it does not find is 404.
 */
function staticFiles(root: string | undefined): (request: IncomingMessage, response: ServerResponse) => void {
  if (!root) {
    return (_request, response) => {
      response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
      send(response, 200, 'text/html; charset=utf-8', NO_CLIENT_PAGE);
    };
  }
  const files = sirv(root, {
    etag: true,
    gzip: true,
    brotli: true,
    // Hashed asset names can be cached for good; the page itself must revalidate.
    setHeaders: (response, pathname) =>
      response.setHeader(
        'Cache-Control',
        pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      ),
  });
  return (request, response) => {
    response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    files(request, response, () => send(response, 404, 'text/plain; charset=utf-8', `${STATUS_CODES[404]}\n`));
  };
}

/** Whether an `Authorization` header carries the bearer token; always true without one configured. */
function bearerCheck(token: string | undefined): (header: string | undefined) => boolean {
  if (!token) return () => true;
  const expected = Buffer.from(`Bearer ${token}`);
  return (header) => {
    const given = Buffer.from(header ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  response.end(body);
}
