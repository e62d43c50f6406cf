/**
 * Events for one user's sessions, wherever they are connected (v2): read
 * markers [READ-2] and mentions [MENTION-2]. This node delivers to its own
 * sessions and hands the event to the cluster for the others; events from
 * other nodes arrive through the cluster and are delivered the same way.
 * Mentions are rate limited per recipient user and the excess dropped
 * [MENTION-3].
 *
 * @module
 */

import { type ChatMessage, previewText } from '@kuykan/protocol';
import type { Cluster, UserEvent } from './cluster/types.js';
import { TokenBucket } from './ratelimit.js';
import type { DirectRoom } from './store/types.js';
import type { User, Users } from './users.js';

/** `mention` events a user receives per second, and their burst [MENTION-3]. */
export const MENTION_RATE = 5;
export const MENTION_BURST = 20;

export class UserNotifier {
  private readonly mentionBuckets = new WeakMap<User, TokenBucket>();

  constructor(
    private readonly users: Users,
    private readonly cluster: Cluster,
  ) {
    cluster.onUserEvent?.((nameKey, event) => this.deliver(nameKey, event));
  }

  /**
   * Sends an event to the sessions of the user holding a name key, on every
   * node; resolves once the other nodes' share is on its way (see
   * `Cluster.notifyUser`).
   */
  async notify(nameKey: string, event: UserEvent): Promise<void> {
    this.deliver(nameKey, event);
    await this.cluster.notifyUser?.(nameKey, event);
  }

  /**
   * A user's read marker moved: their other sessions learn it [READ-2].
   * The `ok` waits for it, so a session pinging any node after the `ok` has
   * the event before its `pong` [PING-3].
   */
  readMarker(user: User, room: string, seq: number, session: string): Promise<void> {
    return this.notify(this.users.keyOf(user.name), {
      kind: 'readMarker',
      identity: user.identity,
      room,
      seq,
      session,
    });
  }

  /**
   * A message was committed: every mentioned user, and in a direct room the
   * other member, hears of it, except its sender [MENTION-2, MENTION-4].
   */
  mentioned(room: string, message: ChatMessage, sender: User, direct: DirectRoom | undefined): void {
    const peer = direct?.members.find((m) => m.identity !== sender.identity);
    // Most messages mention nobody outside a direct room: they cost no preview and no name skeleton.
    if (!peer && !message.mentions?.length) return;
    const event = {
      kind: 'mention',
      room,
      seq: message.seq,
      messageId: message.messageId,
      from: message.from,
      text: previewText(message.text),
    } as const;
    const own = this.users.keyOf(sender.name);
    const told = new Set([own]);
    if (peer) {
      const key = this.users.keyOf(peer.name);
      told.add(key);
      void this.notify(key, { ...event, identity: peer.identity });
    }
    for (const name of message.mentions ?? []) {
      const key = this.users.keyOf(name);
      if (told.has(key)) continue;
      told.add(key);
      void this.notify(key, event);
    }
  }

  /** Delivers an event to this node's sessions of the user that take it. */
  private deliver(nameKey: string, event: UserEvent): void {
    const user = this.users.findByKey(nameKey);
    if (!user || (event.identity !== undefined && user.identity !== event.identity)) return;
    const sessions = [...user.sessions].filter((session) => session.accepts?.(event));
    if (sessions.length === 0) return;
    if (event.kind === 'mention' && this.bucketOf(user).take() > 0) return;
    for (const session of sessions) session.notify?.(event);
  }

  private bucketOf(user: User): TokenBucket {
    let bucket = this.mentionBuckets.get(user);
    if (!bucket) {
      bucket = new TokenBucket(MENTION_RATE, MENTION_BURST);
      this.mentionBuckets.set(user, bucket);
    }
    return bucket;
  }
}
