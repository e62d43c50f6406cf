/**
 * Online users: name uniqueness ignoring case [NAME-5], multi-session users
 * bound by the login key or token subject [LOGIN-3, LOGIN-5], and the grace
 * during which a disconnected user's name stays reserved [PRES-4].
 *
 * @module
 */

import { createHash, timingSafeEqual } from 'node:crypto';
import { ErrorCode, nameKey, ProtocolError } from '@kuykan/protocol';

/** Anything a user can be logged in through (a session). */
export interface UserSession {
  readonly id: string;
}

/** One online user, with all its sessions. */
export interface User {
  /** Identity for idempotency and presence: the name key, or `sub:<subject>` with token auth. */
  readonly key: string;
  /** Normalized display name. */
  readonly name: string;
  readonly sessions: Set<UserSession>;
  /** SHA-256 of the login key (or of the token subject), compared in constant time. */
  readonly secret: Buffer | undefined;
  graceTimer: NodeJS.Timeout | undefined;
}

function digest(value: string | undefined): Buffer | undefined {
  return value === undefined ? undefined : createHash('sha256').update(value).digest();
}

export class Users {
  private readonly byName = new Map<string, User>();

  constructor(
    private readonly graceMs: () => number,
    /** TEST ONLY fault: compare names case-sensitively. */
    private readonly caseSensitive = false,
  ) {}

  private nameKeyOf(name: string): string {
    return this.caseSensitive ? name : nameKey(name);
  }

  /**
   * Logs `session` in as `name`. `secret` is the login key (or token subject):
   * a name that is online can only be claimed again with the same secret.
   */
  claim(session: UserSession, name: string, secret: string | undefined, identity?: string): User {
    const key = this.nameKeyOf(name);
    const existing = this.byName.get(key);
    const presented = digest(secret);
    if (existing) {
      const same =
        existing.secret !== undefined && presented !== undefined && timingSafeEqual(existing.secret, presented);
      if (!same) throw new ProtocolError(ErrorCode.NAME_TAKEN, `the name "${existing.name}" is in use`);
      clearTimeout(existing.graceTimer);
      existing.graceTimer = undefined;
      existing.sessions.add(session);
      return existing;
    }
    const user: User = {
      key: identity ?? key,
      name,
      sessions: new Set([session]),
      secret: presented,
      graceTimer: undefined,
    };
    this.byName.set(key, user);
    return user;
  }

  /** Detaches a closed session; the name is released after the grace if no session returns. */
  release(session: UserSession, user: User): void {
    user.sessions.delete(session);
    if (user.sessions.size > 0) return;
    clearTimeout(user.graceTimer);
    user.graceTimer = setTimeout(() => {
      if (user.sessions.size === 0) this.byName.delete(this.nameKeyOf(user.name));
    }, this.graceMs());
    user.graceTimer.unref();
  }

  get size(): number {
    return this.byName.size;
  }

  /** Cancels all grace timers (shutdown). */
  clear(): void {
    for (const user of this.byName.values()) clearTimeout(user.graceTimer);
    this.byName.clear();
  }
}
