/**
 * Options of the file module and their defaults.
 *
 * @module
 */

import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { S3BlobStoreOptions } from './blobs/s3.js';

const MIB = 1024 * 1024;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** What an operator can set (flags `--files-dir`, `--s3-*`, `--max-upload-bytes`…). */
export interface FileOptions {
  /** Filesystem store directory. [`<dataDir>/files`; a temporary one with the memory store] */
  filesDir?: string;
  /** Use an S3-compatible bucket instead of the filesystem. */
  s3?: S3BlobStoreOptions;
  /** Secret signing upload tokens and URLs; every node needs the same. [generated once and kept] */
  secret?: string;
  /** Largest upload, in bytes; advertised to clients. [25 MiB] */
  maxUploadBytes?: number;
  /** Bytes of live files per user. [1 GiB] */
  uploadQuotaBytes?: number;
  /** Lifetime of an upload slot's token. [15 min] */
  slotTtlMs?: number;
  /** Lifetime of a signed download URL (rounded up to the hour, so URLs stay cacheable). [24 h] */
  fileUrlTtlMs?: number;
  /** Files never attached are collected this long after upload. [1 h] */
  unattachedGraceMs?: number;
  /** Files of deleted messages are collected this long after the deletion; blobs no file uses likewise. [1 h] */
  releasedGraceMs?: number;
  /** How often the collector runs; 0 turns the timer off. [5 min] */
  gcIntervalMs?: number;
  /** Records handled per collector batch. [200] */
  gcBatchSize?: number;
  /** Most pixels an image may decode to (width × height × frames). [50 MP] */
  maxImagePixels?: number;
  /** Longest side of a thumbnail, px. [320] */
  thumbSize?: number;
  /** Upload slots per user: a token bucket. [2 per second, bursts of 30] */
  slotRate?: { perSecond: number; burst: number };
  /** An upload whose body sends nothing for this long is cut off. [30 s] */
  uploadIdleMs?: number;
}

export const DEFAULT_FILE_OPTIONS = {
  maxUploadBytes: 25 * MIB,
  uploadQuotaBytes: 1024 * MIB,
  slotTtlMs: 15 * MINUTE,
  fileUrlTtlMs: 24 * HOUR,
  unattachedGraceMs: HOUR,
  releasedGraceMs: HOUR,
  gcIntervalMs: 5 * MINUTE,
  gcBatchSize: 200,
  maxImagePixels: 50_000_000,
  thumbSize: 320,
  slotRate: { perSecond: 2, burst: 30 },
  uploadIdleMs: 30_000,
} as const satisfies FileOptions;

export type ResolvedFileOptions = Required<Omit<FileOptions, 'filesDir' | 's3' | 'secret'>> &
  Pick<FileOptions, 'filesDir' | 's3' | 'secret'>;

/** Where the service keeps its metadata: the server's store kind and its settings. */
export interface FileContext {
  /** memory: everything in this process (files in a temporary directory); sqlite: the history database; redis: shared by nodes. */
  store: 'memory' | 'sqlite' | 'redis';
  /** The server's data directory. */
  dataDir: string;
  /** SQLite: the history store's database handle; without it the service opens `<dataDir>/kuykan.db` itself. */
  database?: Database.Database;
  redisUrl?: string;
  /** The chat's Redis key prefix; the file index uses `<prefix>files:`. ['kuykan:'] */
  redisPrefix?: string;
  log?: Logger;
}

export function resolveFileOptions(options: FileOptions = {}): ResolvedFileOptions {
  const resolved = { ...DEFAULT_FILE_OPTIONS, ...stripUndefined(options) } as ResolvedFileOptions;
  for (const key of ['maxUploadBytes', 'uploadQuotaBytes', 'slotTtlMs', 'fileUrlTtlMs', 'thumbSize'] as const) {
    if (!Number.isSafeInteger(resolved[key]) || resolved[key] <= 0) {
      throw new Error(`files: ${key} must be a whole number above 0, got ${resolved[key]}`);
    }
  }
  if (options.secret !== undefined && options.secret.length < 16) {
    throw new Error('files: the file secret must be at least 16 characters');
  }
  return resolved;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export { MIB };
