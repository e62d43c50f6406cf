/**
 * Online users: name uniqueness by confusable skeleton [NAME-5], multi-session users
 * bound by the login key or token subject [LOGIN-3, LOGIN-5], and the grace
 * during which a disconnected user's name stays reserved [PRES-4].
 *
 * @module
 */

import { createHash, timingSafeEqual } from 'node:crypto';
import { ErrorCode, ProtocolError } from '@kuykan/protocol';
import type { Cluster, NameHolder, UserEvent } from './cluster/types.js';
import { anonymousIdentity, keyIdentity } from './identity.js';
import { nameSkeleton } from './skeleton.js';

/** Anything a user can be logged in through (a session). */
export interface UserSession {
  readonly id: string;
  /** v2: whether the session takes a user event (its version, its rooms) [READ-2, MENTION-2]. */
  accepts?(event: UserEvent): boolean;
  /** v2: sends a user event it accepts. */
  notify?(event: UserEvent): void;
}

/** One online user, with all its sessions. */
export interface User {
  /** Key for idempotency and presence: the name key, or `sub:<subject>` with token auth. */
  readonly key: string;
  /** The user's identity (§8, identity.ts): authorship, read markers and direct rooms. */
  readonly identity: string;
  /** Normalized display name. */
  readonly name: string;
  /** v2: a bot, as its first session said [BOT-1]. */
  readonly bot: boolean;
  /** Its sessions on this node: an array, as most users have one (a Set of one costs ~150 B). */
  readonly sessions: UserSession[];
  /**
   * SHA-256 of the login key (or of the token subject), compared in constant
   * time; its bytes as a latin1 string, which costs each user ~170 B less
   * than a Buffer of its own.
   */
  readonly secret: string | undefined;
  graceTimer: NodeJS.Timeout | undefined;
}

function digest(value: string | undefined): Buffer | undefined {
  return value === undefined ? undefined : createHash('sha256').update(value).digest();
}

function addSession(user: User, session: UserSession): void {
  if (!user.sessions.includes(session)) user.sessions.push(session);
}

export class Users {
  private readonly byName = new Map<string, User>();
  /** Token users by `sub:<subject>`: one subject is one user, whatever its `name` claim [LOGIN-5]. */
  private readonly byIdentity = new Map<string, User>();

  constructor(
    private readonly graceMs: () => number,
    /** Holds names for the whole chat when several nodes serve it. */
    private readonly cluster: Pick<Cluster, 'claimName' | 'releaseName' | 'nameHolder'>,
    /** How names are compared: case-insensitively [NAME-5] (test faults may replace it). */
    private readonly nameKeyOf: (name: string) => string = nameSkeleton,
  ) {}

  /**
   * Logs `session` in as `name`. `secret` is the login key (or token subject):
   * a name that is online can only be claimed again with the same secret.
   */
  async claim(
    session: UserSession,
    name: string,
    secret: string | undefined,
    identity?: string,
    bot = false,
  ): Promise<User> {
    const known = identity === undefined ? undefined : this.byIdentity.get(identity);
    if (known) {
      clearTimeout(known.graceTimer);
      known.graceTimer = undefined;
      addSession(known, session);
      return known;
    }
    const key = this.nameKeyOf(name);
    const presented = digest(secret);
    // A token's subject, else the name with its key; a keyless user is someone new each time [LOGIN-10].
    const userIdentity = identity ?? (presented ? keyIdentity(key, presented) : anonymousIdentity());
    let holder: NameHolder | undefined;
    if (!this.byName.has(key)) {
      holder = await this.cluster.claimName(key, presented?.toString('hex'), { identity: userIdentity, name, bot });
      if (!holder) throw new ProtocolError(ErrorCode.NAME_TAKEN, `the name "${name}" is in use`);
    }
    // Checked again after the wait: another session of this node may have claimed it meanwhile.
    const existing = this.byName.get(key);
    if (existing) {
      const same =
        existing.secret !== undefined &&
        presented !== undefined &&
        timingSafeEqual(Buffer.from(existing.secret, 'latin1'), presented);
      if (!same) throw new ProtocolError(ErrorCode.NAME_TAKEN, `the name "${existing.name}" is in use`);
      clearTimeout(existing.graceTimer);
      existing.graceTimer = undefined;
      addSession(existing, session);
      return existing;
    }
    const user: User = {
      key: identity ?? key,
      identity: userIdentity,
      name,
      // The flag of the user's first session counts, on whichever node it was [BOT-1].
      bot: holder?.bot ?? bot,
      sessions: [session],
      secret: presented?.toString('latin1'),
      graceTimer: undefined,
    };
    this.byName.set(key, user);
    if (identity !== undefined) this.byIdentity.set(identity, user);
    return user;
  }

  /** Detaches a closed session; the name is released after the grace if no session returns. */
  release(session: UserSession, user: User): void {
    const at = user.sessions.indexOf(session);
    if (at >= 0) user.sessions.splice(at, 1);
    if (user.sessions.length > 0) return;
    clearTimeout(user.graceTimer);
    user.graceTimer = setTimeout(() => {
      if (user.sessions.length > 0) return;
      const key = this.nameKeyOf(user.name);
      this.byName.delete(key);
      if (this.byIdentity.get(user.key) === user) this.byIdentity.delete(user.key);
      this.cluster.releaseName(key);
    }, this.graceMs());
    user.graceTimer.unref();
  }

  /** The online user (or one within its grace) holding a name [NAME-5]. */
  find(name: string): User | undefined {
    return this.byName.get(this.nameKeyOf(name));
  }

  /** The user holding a name on any node: this node's, else the one the cluster knows [DM-1]. */
  async holder(name: string): Promise<NameHolder | undefined> {
    const local = this.find(name);
    if (local) return { identity: local.identity, name: local.name, bot: local.bot };
    return this.cluster.nameHolder?.(this.nameKeyOf(name));
  }

  /** The same, by the name's key (see {@link keyOf}). */
  findByKey(nameKey: string): User | undefined {
    return this.byName.get(nameKey);
  }

  /** The key names are compared by [NAME-5]. */
  keyOf(name: string): string {
    return this.nameKeyOf(name);
  }

  get size(): number {
    return this.byName.size;
  }

  /** Cancels all grace timers (shutdown). */
  clear(): void {
    for (const user of this.byName.values()) clearTimeout(user.graceTimer);
    this.byName.clear();
    this.byIdentity.clear();
  }
}
