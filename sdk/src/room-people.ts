/**
 * Who is in a room: its members (v2: which of them are bots) and who is
 * typing, with each typing indication ending after its ttl [TYPE-3].
 *
 * @module
 */

import { PresenceKind } from '@kuykan/protocol';
import type { PresenceContext, TypingContext } from './types.js';

/** @internal */
export class RoomPeople {
  readonly #members = new Set<string>();
  readonly #bots = new Set<string>();
  readonly #typers = new Map<string, ReturnType<typeof setTimeout>>();

  readonly #onPresence: (ctx: PresenceContext) => void;
  readonly #onTyping: (ctx: TypingContext) => void;

  constructor(onPresence: (ctx: PresenceContext) => void, onTyping: (ctx: TypingContext) => void) {
    this.#onPresence = onPresence;
    this.#onTyping = onTyping;
  }

  /** Present users, sorted, each once. */
  get members(): readonly string[] {
    return [...this.#members].sort();
  }

  /** The members that are bots, sorted. */
  get bots(): readonly string[] {
    return [...this.#bots].sort();
  }

  /** Users typing now, sorted. */
  get typing(): readonly string[] {
    return [...this.#typers.keys()].sort();
  }

  /** Takes in a `joined`: its members and bots, each difference from what was known reported as presence. */
  joined(members: readonly string[], bots: readonly string[] = []): void {
    const now = new Set(members);
    for (const name of this.members) if (!now.has(name)) this.presence(name, PresenceKind.LEAVE);
    for (const name of members) if (!this.#members.has(name)) this.presence(name, PresenceKind.JOIN);
    for (const bot of bots) this.#bots.add(bot);
  }

  /** A user joined or left. */
  presence(name: string, kind: PresenceKind, bot?: boolean): void {
    if (kind === PresenceKind.JOIN) {
      this.#members.add(name);
      if (bot) this.#bots.add(name);
    } else {
      this.#members.delete(name);
      this.#bots.delete(name);
      this.setTyping(name, false, 0);
    }
    this.#onPresence({ name, kind, members: this.members, ...(bot ? { bot } : {}) });
  }

  /** A user started or stopped typing; an indication ends after `ttlMs` unless refreshed. */
  setTyping(name: string, active: boolean, ttlMs: number): void {
    clearTimeout(this.#typers.get(name));
    if (active) {
      const timer = setTimeout(() => this.setTyping(name, false, 0), ttlMs);
      (timer as { unref?: () => void }).unref?.();
      this.#typers.set(name, timer);
    } else if (!this.#typers.delete(name)) {
      return;
    }
    this.#onTyping({ name, active, typing: this.typing });
  }

  /** Stops every typing timer. */
  dispose(): void {
    for (const timer of this.#typers.values()) clearTimeout(timer);
    this.#typers.clear();
  }
}
