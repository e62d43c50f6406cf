/**
 * Server options and their defaults.
 *
 * @module
 */

import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_LIMITS, type Limits, resolveLimits } from '@kuykan/protocol';
import type { AdmissionOptions } from './admission.js';
import type { EngineKind } from './cluster/index.js';
import { type FaultName, parseFaults } from './faults.js';
import { type FileOptions, type ResolvedFileOptions, resolveFileOptions } from './files/options.js';
import { defaultLogFormat, type LogFormat } from './log.js';
import type { StoreKind } from './store/index.js';

/** Options of {@link startServer}. Every field is optional. */
export interface ServerOptions {
  /** TCP port; 0 picks a free one. [8080] */
  port?: number;
  /** Interface to listen on. ['0.0.0.0'] */
  host?: string;
  /** `redis` lets several nodes on one Redis act as one chat (needs the Redis store). ['local'] */
  engine?: EngineKind;
  /** History store. ['redis' with the Redis engine, else 'sqlite'] */
  store?: StoreKind;
  /** Directory of the SQLite file. ['./data'] */
  dataDir?: string;
  /** Redis store: connection URL. ['redis://127.0.0.1:6379'] */
  redisUrl?: string;
  /** Redis: prefix of every key; one chat per prefix (with the local engine, one process). ['kuykan:'] */
  redisPrefix?: string;
  /** Redis store: messages kept per room, at least `limits.maxRecoverable`; 0 keeps every message (PROTOCOL.md §12 Retention). [0] */
  historyLength?: number;
  /** Limits overriding `DEFAULT_LIMITS`; advertised in `welcome`. Checked by `resolveLimits` (unknown keys, non-integers and values under `LIMIT_MINIMUMS` throw). */
  limits?: Partial<Limits>;
  /** Allowed `Origin` values for browser upgrades; empty allows all. [[]] */
  origins?: string[];
  /** HS256 secret: when set, login requires a JWT in `hello` (name from `name`, identity from `sub`). */
  jwtSecret?: string;
  /** A JWKS file of public keys (RS256, ES256, EdDSA…) to verify tokens with, instead of a secret. */
  jwksFile?: string;
  /** When set, `/metrics` answers only requests with `Authorization: Bearer <metricsToken>` (401 otherwise). [unset: open] */
  metricsToken?: string;
  /**
   * When set, `/metrics` (and `/healthz`) are served on this separate address,
   * e.g. `127.0.0.1:9100`, and no longer on the chat port. [unset: the chat port]
   */
  metricsListen?: { host: string; port: number };
  /** pino level. ['info'] */
  logLevel?: string;
  /** `json` lines or `pretty` ones for a person. ['pretty' when stdout is a terminal, else 'json'] */
  logFormat?: LogFormat;
  /** Directory served at `/` (the built web client). [clients/web/dist when it exists] */
  webRoot?: string;
  /** Unsent bytes per connection before it is closed as a slow consumer (4004); same as `limits.maxBufferedBytes`. [8 MiB] */
  maxBufferedBytes?: number;
  /** Connection caps, the upgrade header deadline and login failure delays (admission.ts). */
  admission?: Partial<AdmissionOptions>;
  /** Attachments: the file store (filesystem or S3), upload limits and the signing secret (files/options.ts). */
  files?: FileOptions;
  /** TEST ONLY: faults that make the server break one requirement each (see faults.ts). [[]] */
  faults?: readonly FaultName[];
}

/** Options with every default filled in. */
export interface ResolvedOptions {
  port: number;
  host: string;
  engine: EngineKind;
  store: StoreKind;
  dataDir: string;
  redisUrl: string;
  redisPrefix: string;
  historyLength: number;
  limits: Limits;
  origins: string[];
  jwtSecret: string | undefined;
  jwksFile: string | undefined;
  metricsToken: string | undefined;
  metricsListen: { host: string; port: number } | undefined;
  logLevel: string;
  logFormat: LogFormat;
  webRoot: string | undefined;
  maxBufferedBytes: number;
  admission: Partial<AdmissionOptions>;
  files: ResolvedFileOptions;
  faults: ReadonlySet<FaultName>;
}

/** Where the web client's build lands in this repository. */
function defaultWebRoot(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  // src/ and dist/ both sit one level below server/.
  const candidate = resolve(here, '../../clients/web/dist');
  return existsSync(candidate) ? candidate : undefined;
}

export function resolveOptions(options: ServerOptions): ResolvedOptions {
  const engine = options.engine ?? 'local';
  const store = options.store ?? (engine === 'redis' ? 'redis' : 'sqlite');
  if (engine === 'redis' && store !== 'redis') {
    throw new Error(
      `the Redis engine keeps history in Redis so that any node can serve any room: use the redis store (--store redis), not "${store}"`,
    );
  }
  // The slow-consumer cap is advertised with the limits [SEC-1]; the older option still sets it.
  // The upload cap too: `files.maxUploadBytes` (--max-upload-bytes) is the advertised maxUploadBytes.
  const maxUploadBytes = options.files?.maxUploadBytes;
  const limits = resolveLimits({
    ...options.limits,
    ...(options.maxBufferedBytes === undefined ? {} : { maxBufferedBytes: options.maxBufferedBytes }),
    ...(maxUploadBytes === undefined ? {} : { maxUploadBytes }),
  });
  // The file service enforces what welcome advertises: one upload cap and one upload rate [LIMIT-1].
  const files = resolveFileOptions({
    slotRate: { perSecond: limits.uploadRate!, burst: limits.uploadBurst! },
    ...options.files,
    maxUploadBytes: limits.maxUploadBytes!,
  });
  return {
    port: options.port ?? 8080,
    host: options.host ?? '0.0.0.0',
    engine,
    store,
    dataDir: options.dataDir ?? './data',
    redisUrl: options.redisUrl ?? 'redis://127.0.0.1:6379',
    redisPrefix: options.redisPrefix ?? 'kuykan:',
    historyLength: options.historyLength ?? 0,
    limits,
    origins: options.origins ?? [],
    jwtSecret: options.jwtSecret,
    jwksFile: options.jwksFile,
    metricsToken: options.metricsToken || undefined,
    metricsListen: options.metricsListen,
    logLevel: options.logLevel ?? 'info',
    logFormat: options.logFormat ?? defaultLogFormat(),
    webRoot: options.webRoot ?? defaultWebRoot(),
    maxBufferedBytes: limits.maxBufferedBytes ?? DEFAULT_LIMITS.maxBufferedBytes!,
    admission: options.admission ?? {},
    files,
    faults: new Set(parseFaults(options.faults ?? [])),
  };
}
