/**
 * The state one server node shares between its sessions: options, store,
 * users, rooms, metrics and logger.
 *
 * @module
 */

import { CloseCode } from '@kuykan/protocol';
import type { Logger } from 'pino';
import { type TokenKeys, tokenKeys } from './auth.js';
import type { Metrics } from './metrics.js';
import type { ResolvedOptions } from './options.js';
import { Room } from './rooms.js';
import type { HistoryStore } from './store/index.js';
import { Users } from './users.js';

export class Hub {
  readonly users: Users;
  /** Rooms by normalized name; a promise so concurrent first joins open the log once. */
  private readonly rooms = new Map<string, Promise<Room>>();
  /** Token verification keys; undefined when the server needs no token. */
  readonly tokenKeys: TokenKeys | undefined;

  constructor(
    readonly options: ResolvedOptions,
    readonly store: HistoryStore,
    readonly metrics: Metrics,
    readonly log: Logger,
  ) {
    this.users = new Users(() => options.limits.presenceGraceMs, options.faults.has('case-sensitive-names'));
    this.tokenKeys = tokenKeys(options);
  }

  get limits() {
    return this.options.limits;
  }

  /** The room with this normalized name, opening its log on first use [ROOM-3]. */
  room(name: string): Promise<Room> {
    let room = this.rooms.get(name);
    if (!room) {
      room = this.store
        .openRoom(name)
        .then((state) => new Room(name, state.epoch, state.lastSeq, this.options.limits, this.options.faults));
      room.catch(() => this.rooms.delete(name));
      this.rooms.set(name, room);
    }
    return room;
  }

  /**
   * Forgets a room whose log the store lost (e.g. Redis restarted empty): its
   * members are disconnected with SERVICE_RESTART, rejoin a freshly opened
   * room and, seeing a new epoch, redraw instead of trusting a gap [RES-2].
   */
  async resetRoom(room: Room): Promise<void> {
    const loaded = this.rooms.get(room.name);
    // Only this room object: a late send of the old room must not drop the reopened one.
    if (loaded && (await loaded.catch(() => undefined)) === room && this.rooms.get(room.name) === loaded) {
      this.rooms.delete(room.name);
      this.log.warn({ room: room.name }, 'room log lost in the store: members reconnect to a new epoch');
    }
    room.closeAll(CloseCode.SERVICE_RESTART, 'room history was reset, rejoin');
    room.dispose();
  }

  /** Rooms currently loaded, for listing and metrics. */
  async loadedRooms(): Promise<Room[]> {
    return Promise.all(this.rooms.values());
  }

  get roomCount(): number {
    return this.rooms.size;
  }

  async dispose(): Promise<void> {
    for (const room of await Promise.allSettled(this.rooms.values())) {
      if (room.status === 'fulfilled') room.value.dispose();
    }
    this.users.clear();
  }
}
