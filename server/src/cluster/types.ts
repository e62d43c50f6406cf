/**
 * The cluster seam: what one server node shares with the others serving the
 * same chat: presence (numbered by a per-room version), names, node
 * liveness and the sweep of dead nodes, typing, and the ping barrier. The
 * `local` cluster is a single process; the `redis` cluster lets several
 * nodes act as one. (Room logs are the broker's, see broker/types.ts; the
 * Redis cluster's room feed also carries the other nodes' messages, which
 * it hands to the room's log subscription.) The `--engine` option picks it.
 *
 * Presence is decided by the cluster and replicated to each node's rooms as
 * numbered events (a per-room version), which rooms apply in order; the same
 * holds for messages with their seq.
 *
 * @module
 */

import type { ChatMessage } from '@kuykan/protocol';

/** A change of a room's member list, numbered by the room's presence version. */
export interface PresenceEvent {
  /** Presence version after this change (1, 2, …). */
  version: number;
  kind: 'join' | 'leave';
  /** User identity (name key or token subject). */
  userKey: string;
  name: string;
  /** v2: the user is a bot [BOT-1]. */
  bot?: boolean;
}

/** A room's members at one presence version. */
export interface PresenceSnapshot {
  version: number;
  /** userKey → display name. */
  members: Map<string, string>;
  /** v2: the userKeys of members that are bots [BOT-1]. */
  bots?: Set<string>;
}

/**
 * v2: an event for one user's sessions wherever they are connected: a read
 * marker that moved [READ-2] or a mention [MENTION-2]. Addressed by name
 * key; `identity` narrows it to the user holding that identity (a later
 * user of the same name gets nothing).
 */
export type UserEvent =
  | {
      kind: 'readMarker';
      identity: string;
      room: string;
      seq: number;
      /** The session that moved the marker (it gets no event). */
      session: string;
    }
  | {
      kind: 'mention';
      identity?: string;
      room: string;
      seq: number;
      messageId: string;
      from: string;
      text: string;
    };

/** What a cluster needs from a loaded room to feed it events from other nodes. */
export interface RoomFeed {
  /** A committed message (from any node); `epoch` names its log. */
  message(epoch: string, message: ChatMessage): void;
  presence(event: PresenceEvent): void;
  /** Typing of a user connected to another node. */
  typing(userKey: string, name: string, active: boolean): void;
  /** Events may have been missed (the cluster reconnected): catch up from the log. */
  resync(): void;
}

/** Who holds a name: the user as its first session logged in. */
export interface NameHolder {
  readonly identity: string;
  readonly name: string;
  readonly bot: boolean;
}

/** A user as the cluster sees it. */
export interface ClusterUser {
  readonly key: string;
  readonly name: string;
  readonly bot?: boolean;
}

/** Shared state of the nodes of one chat. */
export interface Cluster {
  readonly kind: 'local' | 'redis';
  /** This node's id (unique among the nodes of a chat). */
  readonly nodeId: string;
  /** Whether the cluster can serve requests now. */
  available(): boolean;
  /** Starts receiving `feed` events for a room; resolves with the presence to start from. */
  openRoom(room: string, feed: RoomFeed): Promise<PresenceSnapshot>;
  /** Stops feeding a room (it was dropped). */
  closeRoom(room: string): void;
  /** The room's members now (to fill a presence gap). */
  presence(room: string): Promise<PresenceSnapshot>;
  /** How many members each room has now, all nodes: the room list's counts of rooms not loaded here [ROOM-9]. */
  memberCounts(rooms: readonly string[]): Promise<number[]>;
  /**
   * This node holds `user` in the room (its first session here joined).
   * Returns the join event when the user was not a member anywhere.
   */
  join(room: string, user: ClusterUser): Promise<PresenceEvent | undefined>;
  /**
   * This node no longer holds `user` in the room (last session left, or its
   * grace ended). Returns the leave event when no node holds the user any more.
   */
  leave(room: string, user: ClusterUser): Promise<PresenceEvent | undefined>;
  /** Tells the other nodes that a user is typing (or stopped). */
  typing(room: string, user: ClusterUser, active: boolean): void;
  /**
   * v2: hands a user event to the other nodes, which deliver it to the
   * user's sessions there (this node delivers its own). Resolves once the
   * event is on its way, ahead of anything this node publishes later (a
   * barrier on another node then covers it) [READ-2, PING-3]. Absent on a
   * cluster without the channel: events then reach this node's sessions only.
   */
  notifyUser?(nameKey: string, event: UserEvent): Promise<void> | void;
  /** v2: receives the user events other nodes send (see {@link notifyUser}). */
  onUserEvent?(listener: (nameKey: string, event: UserEvent) => void): void;
  /**
   * Resolves when every event other nodes published before this call has
   * reached this node's rooms: the cross-node half of the ping barrier [PING-3].
   */
  barrier(): Promise<void>;
  /**
   * Claims a name for this node [NAME-5]: resolves with the user holding it
   * (`user` when nobody held it; else the user as its first session, on any
   * node, logged in), or undefined when another user holds it anywhere.
   * `secret` is the digest of the login key, undefined without one.
   */
  claimName(nameKey: string, secret: string | undefined, user: NameHolder): Promise<NameHolder | undefined>;
  /** v2: the user holding a name on any node, if any [DM-1]. Absent: this node's users are all there is. */
  nameHolder?(nameKey: string): Promise<NameHolder | undefined>;
  /** This node no longer holds the name (its last session's grace ended). */
  releaseName(nameKey: string): void;
  /**
   * Called when the node lost its place in the cluster (Redis restarted or
   * declared the node dead): every session must reconnect.
   */
  onLost(listener: (reason: string) => void): void;
  close(): Promise<void>;
}
