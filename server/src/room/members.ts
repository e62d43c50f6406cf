/**
 * A loaded room's member list, replicated from the cluster: the members of
 * the whole room (all nodes) and which are bots, moved by presence events in
 * presence-version order, once, whichever node caused them [PRES-2]; a gap
 * that does not fill is reported so the room can resynchronize from a
 * snapshot of the cluster's list (PROTOCOL.md §11).
 *
 * @module
 */

import { PresenceKind } from '@kuykan/protocol';
import { GAP_WAIT_MS } from '../broker/subscription.js';
import type { PresenceEvent, PresenceSnapshot } from '../cluster/types.js';
import type { User } from '../users.js';
import { Sequencer } from './sequencer.js';

/** What the replica tells its room. */
export interface MemberReplicaHooks {
  /** A user came or went: tell the room's other members. */
  announce(event: PresenceEvent, kind: PresenceKind): void;
  /** A presence gap did not fill in time: resynchronize from the cluster. */
  gap(): void;
}

export class MemberReplica {
  /** userKey → name, as of the presence version delivered. */
  private readonly members: Map<string, string>;
  /** The userKeys of members that are bots. */
  private readonly bots: Set<string>;
  private readonly log: Sequencer<PresenceEvent>;

  constructor(
    presence: PresenceSnapshot,
    private readonly hooks: MemberReplicaHooks,
  ) {
    this.members = new Map(presence.members);
    this.bots = new Set(presence.bots);
    this.log = new Sequencer({
      last: presence.version,
      gapWaitMs: GAP_WAIT_MS,
      deliver: (_version, event) => this.apply(event),
      onGap: () => this.hooks.gap(),
    });
  }

  /** Present users, all nodes (including users within their grace). */
  get size(): number {
    return this.members.size;
  }

  /** The member names (and bot names) a joining `user` sees, the user included, sorted [ROOM-5, BOT-1]. */
  namesWith(user: User): { members: string[]; bots: string[] } {
    const members = [...new Set([...this.members.values(), user.name])].sort();
    const bots = [...this.members].filter(([key]) => this.bots.has(key)).map(([, name]) => name);
    if (user.bot && !this.bots.has(user.key)) bots.push(user.name);
    return { members, bots: [...new Set(bots)].sort() };
  }

  /** A presence event from any node, in any order, maybe twice. */
  offer(event: PresenceEvent): void {
    this.log.offer(event.version, event);
  }

  /** Applies a presence change this node caused, and waits until members saw it. */
  async applyOwn(event: PresenceEvent | undefined): Promise<void> {
    if (!event) return;
    this.log.offer(event.version, event);
    await this.log.delivered(event.version);
  }

  /** Resolves when no event is held back waiting for a gap. */
  settled(): Promise<void> {
    return this.log.settled();
  }

  /** Moves the member list to a snapshot, telling members what changed. */
  sync(snapshot: PresenceSnapshot): void {
    if (snapshot.version <= this.log.last) return;
    for (const [userKey, name] of this.members) {
      if (!snapshot.members.has(userKey)) this.apply({ version: 0, kind: 'leave', userKey, name });
    }
    for (const [userKey, name] of snapshot.members) {
      const bot = snapshot.bots?.has(userKey);
      if (!this.members.has(userKey)) this.apply({ version: 0, kind: 'join', userKey, name, bot });
    }
    this.log.skipTo(snapshot.version);
  }

  /** Fails pending deliveries (the room was dropped). */
  stop(error: Error): void {
    this.log.stop(error);
  }

  private apply(event: PresenceEvent): void {
    const present = this.members.has(event.userKey);
    if (event.kind === 'join') {
      this.members.set(event.userKey, event.name);
      if (event.bot) this.bots.add(event.userKey);
      if (!present) this.hooks.announce(event, PresenceKind.JOIN);
    } else {
      this.members.delete(event.userKey);
      this.bots.delete(event.userKey);
      if (present) this.hooks.announce(event, PresenceKind.LEAVE);
    }
  }
}
