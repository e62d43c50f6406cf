/**
 * One ioredis connection as the server uses it: calls fail fast with a
 * retryable UNAVAILABLE (501) while Redis is unreachable, instead of queueing
 * or hanging, and recover when it returns.
 *
 * @module
 */

import { ErrorCode, ProtocolError } from '@kuykan/protocol';
import { Redis } from 'ioredis';

/** Redis replies that mean "not now" rather than "broken". */
const UNAVAILABLE_REPLIES = /^(LOADING|BUSY|OOM|READONLY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|NOREPLICAS)\b/;

/**
 * A new connection with the server's reconnection policy. `name` is set with
 * CLIENT SETNAME, so operators (and fault tests) can tell a node's
 * connections apart in CLIENT LIST.
 */
export function connectRedis(url: string, name?: string, options: { autoResubscribe?: boolean } = {}): Redis {
  return new Redis(url, {
    ...(name === undefined ? {} : { connectionName: name }),
    ...options,
    // While disconnected, calls fail at once (UNAVAILABLE) instead of queueing.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    // A command in flight when the connection drops is not resent: its
    // outcome is unknown, and the client's retry (same clientId) settles it.
    autoResendUnfulfilledCommands: false,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(50 * 2 ** times, 2000),
  });
}

export class RedisClient<R extends Redis = Redis> {
  private lastError: Error | undefined;
  private waiting: Promise<void> | undefined;

  constructor(
    readonly redis: R,
    /** How long a call waits for a (re)connection before failing with UNAVAILABLE. */
    private readonly connectWaitMs = 1500,
    /** What is unavailable, for the message peers see. */
    private readonly what = 'history store',
  ) {
    redis.on('error', (error: Error) => {
      this.lastError = error;
    });
    redis.on('ready', () => {
      this.lastError = undefined;
    });
  }

  available(): boolean {
    return this.redis.status === 'ready';
  }

  /**
   * Resolves once connected; fails with UNAVAILABLE after `connectWaitMs`.
   * Calls arriving meanwhile share one wait.
   */
  ready(): Promise<void> {
    const { redis } = this;
    if (redis.status === 'ready') return Promise.resolve();
    if (redis.status === 'end') return Promise.reject(this.unavailable(new Error('the connection is closed')));
    this.waiting ??= new Promise<void>((resolve, reject) => {
      const done = (error?: Error) => {
        clearTimeout(timer);
        redis.off('ready', onReady);
        redis.off('end', onEnd);
        this.waiting = undefined;
        if (error) reject(this.unavailable(error));
        else resolve();
      };
      const onReady = () => done();
      const onEnd = () => done(new Error('connection ended'));
      const timer = setTimeout(() => done(this.lastError ?? new Error('not connected')), this.connectWaitMs);
      redis.on('ready', onReady);
      redis.on('end', onEnd);
    });
    return this.waiting;
  }

  /** The error peers see (no host or port in it); the Redis error is its `cause`. */
  unavailable(cause: unknown): ProtocolError {
    return new ProtocolError(ErrorCode.UNAVAILABLE, `${this.what} unavailable, retry later`, { cause });
  }

  /**
   * Runs a Redis call, mapping connection failures and "try later" replies to
   * UNAVAILABLE (501); other Redis errors (a script bug) stay INTERNAL.
   */
  async call<T>(run: (redis: R) => Promise<T>): Promise<T> {
    await this.ready();
    try {
      return await run(this.redis);
    } catch (error) {
      const isReply = error instanceof Error && error.name === 'ReplyError';
      if (!isReply || UNAVAILABLE_REPLIES.test((error as Error).message)) throw this.unavailable(error);
      throw error;
    }
  }

  async close(): Promise<void> {
    const { redis } = this;
    if (redis.status === 'end') return;
    if (redis.status !== 'ready') {
      redis.disconnect();
      return;
    }
    try {
      await redis.quit();
    } catch {
      redis.disconnect();
    }
  }
}

/** The URL without its password, for logs and `/healthz`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}
