#!/usr/bin/env node
/**
 * `kuykan-server`: runs the reference server from flags or environment variables.
 *
 * @module
 */

import { parseArgs } from 'node:util';
import { type Limits, resolveLimits } from '@kuykan/protocol';
import { prepareDataDir } from './datadir.js';
import { parseFaults } from './faults.js';
import { type FileOptions, resolveFileOptions } from './files/options.js';
import { announcer, LOG_FORMATS, type LogFormat } from './log.js';
import { startServer } from './server.js';
import { SERVER_VERSION } from './version.js';

const USAGE = `Usage: kuykan-server [options]

Options (environment variable in brackets):
  --port N           TCP port, 0 for any free one [KUYKAN_PORT, then PORT] (default 8080)
  --host HOST        interface to listen on [KUYKAN_HOST]               (default 0.0.0.0)
  --engine KIND      local | redis: one process, or several nodes on one Redis
                     acting as one chat [KUYKAN_ENGINE]                  (default local)
  --store KIND       sqlite | memory | redis [KUYKAN_STORE]
                     (default sqlite; redis with --engine redis, which needs it)
  --data DIR         directory of the SQLite file [KUYKAN_DATA]         (default ./data)
  --redis-url URL    Redis of the store and engine [KUYKAN_REDIS_URL]   (default redis://127.0.0.1:6379)
  --redis-prefix P   prefix of every Redis key: one chat per prefix [KUYKAN_REDIS_PREFIX] (default kuykan:)
  --history-length N messages kept per room in Redis, 0 for all [KUYKAN_HISTORY_LENGTH] (default 0)
  --max-connections N           connections this node accepts, then HTTP 503 [KUYKAN_MAX_CONNECTIONS] (default 20000)
  --max-connections-per-address N  connections from one IP address, then HTTP 429; 0 for no cap, as behind
                     a load balancer where every client has its address [KUYKAN_MAX_CONNECTIONS_PER_ADDRESS] (default 256)
  --origins LIST     comma-separated allowed Origins [KUYKAN_ORIGINS]   (default: any)
  --jwt-secret S     require HS256 tokens signed with S [KUYKAN_JWT_SECRET]
  --jwks-file F      require tokens signed by a key in the JWKS file F [KUYKAN_JWKS_FILE]
  --metrics-token T  require "Authorization: Bearer T" on /metrics [KUYKAN_METRICS_TOKEN] (default: open)
  --metrics-listen HOST:PORT  serve /metrics and /healthz on this address only, e.g. 127.0.0.1:9100
                     [KUYKAN_METRICS_LISTEN] (default: on the chat port)
  --limits JSON      override advertised limits, e.g. '{"sendRate":50}' [KUYKAN_LIMITS]
  --files-dir DIR    attachments on disk [KUYKAN_FILES_DIR] (default DATA/files; a temporary
                     directory with --store memory)
  --s3-bucket B      attachments in an S3-compatible bucket instead [KUYKAN_S3_BUCKET]; credentials
                     from KUYKAN_S3_ACCESS_KEY_ID and KUYKAN_S3_SECRET_ACCESS_KEY, else AWS's usual chain
  --s3-endpoint URL  S3-compatible endpoint, path-style [KUYKAN_S3_ENDPOINT] (default: AWS)
  --s3-region R      [KUYKAN_S3_REGION]                                 (default us-east-1)
  --max-upload-bytes N   largest attachment [KUYKAN_MAX_UPLOAD_BYTES]   (default 26214400, 25 MiB)
  --upload-quota-bytes N bytes of attachments per user [KUYKAN_UPLOAD_QUOTA_BYTES] (default 1 GiB)
  --file-secret S    signs upload tokens and file URLs; the same on every node [KUYKAN_FILE_SECRET]
                     (default: made once, kept in DATA/file-secret, or in Redis with --store redis)
  --log-level L      fatal|error|warn|info|debug|trace|silent [KUYKAN_LOG_LEVEL] (default info;
                     the listening line is written at any level)
  --log-format F     json | pretty [KUYKAN_LOG_FORMAT] (default pretty on a terminal, else json)
  --help             show this help

Test only: KUYKAN_FAULTS=name,... injects protocol faults (see server/README.md).`;

/** `host:port`, `[v6]:port` or `:port` (all interfaces); undefined when malformed. */
function hostPort(text: string): { host: string; port: number } | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(text);
  const port = Number(match?.[3]);
  if (!match || port > 65535) return undefined;
  return { host: match[1] ?? (match[2] || '0.0.0.0'), port };
}

function fail(message: string, usage = true): never {
  process.stderr.write(`kuykan-server: ${message}\n${usage ? `\n${USAGE}\n` : ''}`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        engine: { type: 'string' },
        store: { type: 'string' },
        data: { type: 'string' },
        'redis-url': { type: 'string' },
        'redis-prefix': { type: 'string' },
        'history-length': { type: 'string' },
        'max-connections': { type: 'string' },
        'max-connections-per-address': { type: 'string' },
        origins: { type: 'string' },
        'jwt-secret': { type: 'string' },
        'jwks-file': { type: 'string' },
        'metrics-token': { type: 'string' },
        'metrics-listen': { type: 'string' },
        limits: { type: 'string' },
        'files-dir': { type: 'string' },
        's3-bucket': { type: 'string' },
        's3-endpoint': { type: 'string' },
        's3-region': { type: 'string' },
        'max-upload-bytes': { type: 'string' },
        'upload-quota-bytes': { type: 'string' },
        'file-secret': { type: 'string' },
        'log-level': { type: 'string' },
        'log-format': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const env = process.env;
  const pick = (flag: string, variable: string): string | undefined =>
    (values[flag] as string | undefined) ?? env[variable];

  // PORT is what most hosting platforms set; KUYKAN_PORT wins so a shell that exports PORT for
  // something else can still pick ours.
  const portText = pick('port', 'KUYKAN_PORT') ?? env.PORT ?? '8080';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`invalid port "${portText}"`);
  const engine = pick('engine', 'KUYKAN_ENGINE') ?? 'local';
  if (engine !== 'local' && engine !== 'redis') fail(`invalid engine "${engine}" (local or redis)`);
  const store = pick('store', 'KUYKAN_STORE') ?? (engine === 'redis' ? 'redis' : 'sqlite');
  if (store !== 'sqlite' && store !== 'memory' && store !== 'redis') {
    fail(`invalid store "${store}" (sqlite, memory or redis)`);
  }
  // engine redis with another store is refused by resolveOptions (options.ts), the one place that checks it.
  // Unset Redis options take their defaults from resolveOptions (options.ts).
  const redisUrl = pick('redis-url', 'KUYKAN_REDIS_URL');
  if (redisUrl !== undefined && (!/^rediss?:\/\//.test(redisUrl) || !URL.canParse(redisUrl))) {
    fail(`invalid Redis URL "${redisUrl}" (redis://host:port or rediss://…)`);
  }
  const redisPrefix = pick('redis-prefix', 'KUYKAN_REDIS_PREFIX');
  if (redisPrefix === '') fail('--redis-prefix must not be empty');
  /** A whole-number flag, or exit naming the flag and the bad value. */
  const wholeNumber = (flag: string, variable: string, meaning: string): number | undefined => {
    const text = pick(flag, variable);
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) fail(`invalid --${flag} "${text}" (${meaning})`);
    return value;
  };
  const historyLength = wholeNumber('history-length', 'KUYKAN_HISTORY_LENGTH', 'a whole number; 0 keeps every message');
  const maxConnections = wholeNumber('max-connections', 'KUYKAN_MAX_CONNECTIONS', 'a whole number');
  const maxConnectionsPerAddress = wholeNumber(
    'max-connections-per-address',
    'KUYKAN_MAX_CONNECTIONS_PER_ADDRESS',
    'a whole number; 0 for no cap',
  );
  let limits: Partial<Limits> | undefined;
  const limitsText = pick('limits', 'KUYKAN_LIMITS');
  if (limitsText) {
    const source = values.limits !== undefined ? '--limits' : 'KUYKAN_LIMITS';
    try {
      limits = JSON.parse(limitsText) as Partial<Limits>;
    } catch {
      fail(`${source} is not valid JSON: ${limitsText}`);
    }
    try {
      resolveLimits(limits);
    } catch (error) {
      fail(`${source} ${limitsText}: ${(error as Error).message}`);
    }
  }
  const files = fileOptions(pick, wholeNumber);
  const metricsListenText = pick('metrics-listen', 'KUYKAN_METRICS_LISTEN');
  const metricsListen = metricsListenText === undefined ? undefined : hostPort(metricsListenText);
  if (metricsListenText !== undefined && !metricsListen) {
    fail(`--metrics-listen: expected HOST:PORT (e.g. 127.0.0.1:9100), got "${metricsListenText}"`);
  }
  let faults: ReturnType<typeof parseFaults> = [];
  try {
    faults = parseFaults(env.KUYKAN_FAULTS ?? '');
  } catch (error) {
    fail((error as Error).message);
  }
  const logFormat = pick('log-format', 'KUYKAN_LOG_FORMAT') as LogFormat | undefined;
  if (logFormat !== undefined && !LOG_FORMATS.includes(logFormat))
    fail(`invalid log format "${logFormat}" (json or pretty)`);
  const dataDir = pick('data', 'KUYKAN_DATA') ?? './data';
  if (store === 'sqlite') {
    try {
      prepareDataDir(dataDir);
    } catch (error) {
      fail(`${values.data !== undefined ? '--data' : 'KUYKAN_DATA'}: ${(error as Error).message}`, false);
    }
  }
  const server = await startServer({
    port,
    host: pick('host', 'KUYKAN_HOST'),
    engine,
    store,
    dataDir,
    redisUrl,
    redisPrefix,
    historyLength,
    admission: {
      ...(maxConnections === undefined ? {} : { maxConnections }),
      ...(maxConnectionsPerAddress === undefined ? {} : { maxConnectionsPerAddress }),
    },
    origins: pick('origins', 'KUYKAN_ORIGINS')
      ?.split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    jwtSecret: pick('jwt-secret', 'KUYKAN_JWT_SECRET'),
    jwksFile: pick('jwks-file', 'KUYKAN_JWKS_FILE'),
    metricsToken: pick('metrics-token', 'KUYKAN_METRICS_TOKEN'),
    metricsListen,
    limits,
    files,
    logLevel: pick('log-level', 'KUYKAN_LOG_LEVEL') ?? 'info',
    logFormat,
    faults,
  });
  const [engineKind, nodeId] = server.engine.split(' node=');
  // Scripts and tests wait for this line: its message keeps the ws:// URL before any field that could hold one.
  announcer(server.log).info(
    {
      port: server.port,
      store: server.store,
      engine: engineKind,
      node: nodeId,
      version: SERVER_VERSION,
      nodeVersion: process.version,
    },
    `kuykan-server listening on ${server.httpUrl} (${server.url})`,
  );
  if (faults.length > 0) server.log.warn({ faults }, `TEST FAULTS ACTIVE: ${faults.join(', ')}`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    // Exit within 5 s even if a client hangs the close [issue: graceful shutdown].
    setTimeout(() => process.exit(1), 5000).unref();
    server.close().then(
      () => process.exit(0),
      (error) => {
        server.log.error({ err: error, signal }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** The attachment options (files/options.ts) from flags and environment; exits on a bad value. */
function fileOptions(
  pick: (flag: string, variable: string) => string | undefined,
  wholeNumber: (flag: string, variable: string, meaning: string) => number | undefined,
): FileOptions {
  const bucket = pick('s3-bucket', 'KUYKAN_S3_BUCKET');
  const endpoint = pick('s3-endpoint', 'KUYKAN_S3_ENDPOINT');
  if (endpoint !== undefined && !/^https?:\/\//.test(endpoint))
    fail(`invalid --s3-endpoint "${endpoint}" (http:// or https://)`);
  if (endpoint !== undefined && !bucket) fail('--s3-endpoint needs --s3-bucket');
  const accessKeyId = process.env.KUYKAN_S3_ACCESS_KEY_ID;
  const secretAccessKey = process.env.KUYKAN_S3_SECRET_ACCESS_KEY;
  const options: FileOptions = {
    filesDir: pick('files-dir', 'KUYKAN_FILES_DIR'),
    maxUploadBytes: wholeNumber('max-upload-bytes', 'KUYKAN_MAX_UPLOAD_BYTES', 'a whole number of bytes'),
    uploadQuotaBytes: wholeNumber('upload-quota-bytes', 'KUYKAN_UPLOAD_QUOTA_BYTES', 'a whole number of bytes'),
    secret: pick('file-secret', 'KUYKAN_FILE_SECRET'),
    ...(bucket
      ? {
          s3: {
            bucket,
            endpoint,
            region: pick('s3-region', 'KUYKAN_S3_REGION'),
            ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
          },
        }
      : {}),
  };
  try {
    resolveFileOptions(options);
  } catch (error) {
    fail((error as Error).message);
  }
  return options;
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`kuykan-server: ${message}\n`);
  process.exit(1);
});
