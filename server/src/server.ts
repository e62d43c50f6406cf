/**
 * Starts a Kuykan server: one HTTP server carrying the WebSocket endpoint
 * (any path), `/healthz`, `/metrics` and the web client.
 *
 * @module
 */

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CloseCode, DEFAULT_LIMITS, SUBPROTOCOL } from '@kuykan/protocol';
import type { Logger } from 'pino';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { Admission, DEFAULT_ADMISSION } from './admission.js';
import { signAttachments } from './attachments.js';
import { StoreBroker } from './broker/index.js';
import { createCluster } from './cluster/index.js';
import { DataDirError, prepareDataDir } from './datadir.js';
import { faultyCluster } from './faults/cluster.js';
import { faultyStore } from './faults/store.js';
import { FileService } from './files/index.js';
import { checkUpgrade, refuseUpgrade } from './handshake.js';
import { Heartbeat } from './heartbeat.js';
import { createHttpHandler, createMetricsHandler } from './http.js';
import { Hub } from './hub.js';
import { createLogger } from './log.js';
import { Metrics } from './metrics.js';
import * as observe from './observe.js';
import { type ResolvedOptions, resolveOptions, type ServerOptions } from './options.js';
import { Session } from './session.js';
import { createStore, type HistoryStore, isChatStore } from './store/index.js';

/** A started server. */
export interface RunningServer {
  /** WebSocket URL, e.g. `ws://127.0.0.1:8080`. */
  readonly url: string;
  /** HTTP URL of the same server. */
  readonly httpUrl: string;
  /** HTTP URL of the separate metrics listener, when `metricsListen` is set. */
  readonly metricsUrl: string | undefined;
  readonly port: number;
  /** Store description, e.g. `sqlite:data/kuykan.db`. */
  readonly store: string;
  /** Cluster kind and this node's id, e.g. `redis node=Ab3dE_f9`. */
  readonly engine: string;
  /** Open connections. */
  readonly connections: number;
  /** The server's logger (JSON lines, or pretty on a terminal). */
  readonly log: Logger;
  /**
   * Stops accepting, closes every client with 1012 (reconnect advised) [CLOSE-4],
   * flushes the store. Resolves when done; idempotent.
   */
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const resolved = resolveOptions(options);
  const log = createLogger(resolved.logLevel, resolved.logFormat);
  const { historyLength } = resolved;
  if (resolved.store === 'redis' && historyLength > 0 && historyLength < resolved.limits.maxRecoverable) {
    // Retention keeps at least maxRecoverable messages [HIST-7]: resumes get the whole gap [RES-1], retries stay idempotent [MSG-5].
    throw new Error(
      `historyLength ${resolved.historyLength} is below maxRecoverable ${resolved.limits.maxRecoverable}: resumes could miss trimmed messages`,
    );
  }
  // Test faults (off in production) wrap the real components once, here.
  const history = openStore(resolved);
  const files = await openFiles(resolved, log);
  // Records leave the broker with their files' URLs signed for the hours ahead [ATT-5].
  const store = new StoreBroker(faultyStore(history, resolved.faults), signAttachments(files));
  const cluster = faultyCluster(createCluster(resolved.engine, resolved, log), resolved.faults);
  const metrics = new Metrics({ engine: resolved.engine, store: resolved.store });
  const hub = new Hub(resolved, store, cluster, metrics, log, { chat: isChatStore(history) ? history : undefined });
  hub.files = files;
  metrics.readFrom({
    rooms: () => hub.roomCount,
    users: () => hub.users.size,
    ...(history.writerStats ? { storeWrites: () => history.writerStats!() } : {}),
  });
  const sessions = new Set<Session>();
  // Dead peers cannot answer: each is pinged once per interval [PING-5].
  const heartbeat = new Heartbeat(resolved.limits.heartbeatMs);
  // The cluster forgot this node (Redis restarted, or it was cut off too long):
  // every client reconnects and registers again [CLOSE-4].
  cluster.onLost(() => {
    for (const session of sessions) session.close(CloseCode.SERVICE_RESTART, 'cluster state was reset, reconnect');
    void hub.resetAll();
  });
  const maxPayload = hub.wire.maxPayload;

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload,
    perMessageDeflate: false,
    WebSocket: SessionSocket,
    // The server keeps its own set of sessions; ws's copy would cost each connection a close listener too.
    clientTracking: false,
    handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
  });
  const admission = new Admission({ ...DEFAULT_ADMISSION, ...resolved.admission });
  const status = {
    connections: () => sessions.size,
    healthy: () => !closing && store.available() && cluster.available(),
  };
  const http = createServer(
    {
      // Slowloris: a client that has not sent its request headers in time is cut [SEC-8].
      // No whole-request deadline: a large upload on a slow link takes as long as it
      // takes, and the upload route cuts a body that stalls (files/upload.ts).
      headersTimeout: admission.options.headersTimeoutMs,
      requestTimeout: 0,
      connectionsCheckingInterval: Math.min(1000, admission.options.headersTimeoutMs),
    },
    createHttpHandler(hub, status, hub.files),
  );
  /**
   * Wires an upgraded socket to a new session. Outside the upgrade handler on
   * purpose: a closure made there would keep the upgrade request (its headers
   * and socket state) alive for the connection's whole life.
   */
  const openSession = (ws: SessionSocket, address: string, peer: string): void => {
    const session = new Session(ws, hub, address, admission);
    ws.session = session;
    sessions.add(session);
    heartbeat.add(session);
    metrics.connections.set(sessions.size);
    // No pong listener: the heartbeat sees pongs as bytes read (Session.alive).
    ws.on('message', socketMessage);
    ws.on('error', socketError);
    ws.on('close', socketClosed);
    observe.opened(session, peer);
  };
  /** The one close listener of every connection (see {@link SessionSocket}). */
  function socketClosed(this: WebSocket, code: number): void {
    const session = sessionOf(this);
    session.cleanup();
    admission.release(session.address);
    sessions.delete(session);
    heartbeat.delete(session);
    metrics.connections.set(sessions.size);
    observe.closed(session, code);
  }
  http.on('upgrade', (request, socket, head) => {
    const refusal = closing
      ? ([503, 'server is shutting down'] as [number, string])
      : checkUpgrade(request, resolved.origins);
    if (refusal) {
      observe.upgradeRefused(hub, observe.peerAddress(request.socket), ...refusal);
      refuseUpgrade(socket, ...refusal);
      return;
    }
    const address = request.socket.remoteAddress ?? 'unknown';
    const full = admission.admit(address);
    if (full) {
      refuseUpgrade(socket, ...full);
      return;
    }
    // The slot is given back when the socket closes: by this listener while the upgrade is under way, by the
    // session's close once it is open (a listener kept for the connection's whole life cost it ~300 B).
    const release = () => admission.release(address);
    socket.once('close', release);
    const peer = observe.peerAddress(request.socket);
    wss.handleUpgrade(request, socket, head, (ws) => {
      socket.off('close', release);
      openSession(ws, address, peer);
    });
  });

  await listen(http, resolved.port, resolved.host);
  const { port } = http.address() as AddressInfo;
  // Metrics on an address of their own (e.g. loopback or an internal network), away from the public chat port.
  const metricsHttp = resolved.metricsListen ? createServer(createMetricsHandler(hub, status)) : undefined;
  if (metricsHttp && resolved.metricsListen) {
    await listen(metricsHttp, resolved.metricsListen.port, resolved.metricsListen.host);
  }
  const shownHost = resolved.host === '0.0.0.0' || resolved.host === '::' ? 'localhost' : resolved.host;
  let closing = false;
  let closed: Promise<void> | undefined;

  const close = (): Promise<void> => {
    closed ??= (async () => {
      closing = true;
      heartbeat.stop();
      const server = new Promise<void>((resolve) => http.close(() => resolve()));
      metricsHttp?.close();
      metricsHttp?.closeAllConnections();
      for (const session of sessions) session.close(CloseCode.SERVICE_RESTART, 'server restarting');
      // Give clients a moment to complete the closing handshake, then cut the rest.
      const deadline = Date.now() + 2000;
      while (sessions.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      for (const session of sessions) session.ws.terminate();
      http.closeAllConnections();
      await server;
      wss.close();
      await hub.dispose();
      await hub.files?.close();
      await cluster.close();
      await store.close();
      log.info('stopped');
    })();
    return closed;
  };

  return {
    url: `ws://${shownHost}:${port}`,
    httpUrl: `http://${shownHost}:${port}`,
    metricsUrl: metricsHttp
      ? `http://${urlHost(resolved.metricsListen!.host)}:${(metricsHttp.address() as AddressInfo).port}`
      : undefined,
    port,
    store: store.description,
    engine: `${cluster.kind} node=${cluster.nodeId}`,
    get connections() {
      return sessions.size;
    },
    log,
    close,
  };
}

/**
 * A server WebSocket that knows its session, so that one set of listeners
 * serves every connection: ws calls them with the socket as `this`. Four
 * closures made per connection cost it ~270 B for its whole life.
 */
class SessionSocket extends WebSocket {
  session: Session | undefined = undefined;
}

/** The session of a socket made by this module's WebSocketServer. */
function sessionOf(ws: WebSocket): Session {
  return (ws as SessionSocket).session!;
}

function socketMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
  if (!isBinary) {
    sessionOf(this).close(CloseCode.UNSUPPORTED_DATA, 'protocol v1 frames are binary');
    return;
  }
  sessionOf(this).receive(toBytes(data));
}

function socketError(this: WebSocket, error: Error): void {
  const session = sessionOf(this);
  session.hub.log.debug({ err: error, session: session.id }, 'socket error');
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** A host as it appears in a URL: IPv6 addresses in brackets. */
function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

/**
 * Opens the attachment files beside the history store: the same data
 * directory, SQLite file or Redis (files/service.ts). For several nodes the
 * blobs must be shared too: S3, or one `--files-dir` they all mount.
 */
function openFiles(options: ResolvedOptions, log: Logger): Promise<FileService> {
  const dataDir = options.store === 'memory' ? options.dataDir : prepareDataDir(options.dataDir);
  return FileService.open(
    { store: options.store, dataDir, redisUrl: options.redisUrl, redisPrefix: options.redisPrefix, log },
    options.files,
  );
}

/** Opens the history store; SQLite failures (corrupt or unreadable file) name the file. */
function openStore(options: ResolvedOptions): HistoryStore {
  const { editWindowMs = DEFAULT_LIMITS.editWindowMs!, maxReactions = DEFAULT_LIMITS.maxReactions! } = options.limits;
  const rules = { editWindowMs, maxReactions };
  if (options.store !== 'sqlite') return createStore(options.store, { ...options, rules });
  const dir = prepareDataDir(options.dataDir);
  try {
    return createStore(options.store, { ...options, dataDir: dir, rules });
  } catch (error) {
    const file = join(dir, 'kuykan.db');
    throw new DataDirError(`cannot open the SQLite database ${file}: ${(error as Error).message}`, { cause: error });
  }
}
