/**
 * The single-process cluster: this node is the whole chat, so presence lives
 * in memory, names are checked by the node's own user table, and nothing
 * arrives from elsewhere.
 *
 * @module
 */

import { randomId } from '../ids.js';
import type { Cluster, ClusterUser, NameHolder, PresenceEvent, PresenceSnapshot } from './types.js';

export class LocalCluster implements Cluster {
  readonly kind = 'local';
  readonly nodeId = randomId(6);
  private readonly rooms = new Map<string, PresenceSnapshot>();

  available(): boolean {
    return true;
  }

  private state(room: string): PresenceSnapshot {
    let state = this.rooms.get(room);
    if (!state) {
      state = { version: 0, members: new Map(), bots: new Set() };
      this.rooms.set(room, state);
    }
    return state;
  }

  async openRoom(room: string): Promise<PresenceSnapshot> {
    return this.presence(room);
  }

  closeRoom(room: string): void {
    this.rooms.delete(room);
  }

  async memberCounts(rooms: readonly string[]): Promise<number[]> {
    return rooms.map((room) => this.rooms.get(room)?.members.size ?? 0);
  }

  async presence(room: string): Promise<PresenceSnapshot> {
    const { version, members, bots } = this.state(room);
    return { version, members: new Map(members), bots: new Set(bots) };
  }

  async join(room: string, user: ClusterUser): Promise<PresenceEvent | undefined> {
    const state = this.state(room);
    if (state.members.has(user.key)) return undefined;
    state.members.set(user.key, user.name);
    if (user.bot) state.bots?.add(user.key);
    state.version += 1;
    return { version: state.version, kind: 'join', userKey: user.key, name: user.name, bot: user.bot || undefined };
  }

  async leave(room: string, user: ClusterUser): Promise<PresenceEvent | undefined> {
    const state = this.state(room);
    if (!state.members.delete(user.key)) return undefined;
    state.bots?.delete(user.key);
    state.version += 1;
    return { version: state.version, kind: 'leave', userKey: user.key, name: user.name };
  }

  typing(): void {}

  /** No other node: this node delivers user events to its own sessions. */
  notifyUser(): void {}

  onUserEvent(): void {}

  async barrier(): Promise<void> {}

  /** The node's user table already enforces unique names [NAME-5]. */
  async claimName(_nameKey: string, _secret: string | undefined, user: NameHolder): Promise<NameHolder> {
    return user;
  }

  releaseName(): void {}

  onLost(): void {}

  async close(): Promise<void> {
    this.rooms.clear();
  }
}
