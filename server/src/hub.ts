/**
 * The state one server node shares between its sessions: options, broker,
 * cluster, users, rooms, metrics and logger.
 *
 * @module
 */

import type { ChatMessage } from '@kuykan/protocol';
import { CloseCode } from '@kuykan/protocol';
import type { Logger } from 'pino';
import { type TokenKeys, tokenKeys } from './auth.js';
import type { Broker } from './broker/types.js';
import type { Cluster, PresenceEvent, RoomFeed } from './cluster/types.js';
import { faultyFanOut } from './faults/fanout.js';
import { nameKeyOf, type WirePolicy, wirePolicy } from './faults/wire.js';
import type { FileService } from './files/index.js';
import type { Metrics } from './metrics.js';
import { UserNotifier } from './notify.js';
import type { ResolvedOptions } from './options.js';
import { directFanOut } from './room/fanout.js';
import { type JoinSnapshot, type Peer, Room, type RoomContext } from './rooms.js';
import type { ChatStore } from './store/types.js';
import { Users } from './users.js';
import { SERVER_PROTOCOL_VERSIONS } from './version.js';

/** What a hub serves protocol version 2 with (PROTOCOL.md §16). */
export interface HubExtras {
  /** The store of version 2's log, read markers and direct rooms; without it the node speaks version 1 only. */
  chat?: ChatStore;
}

export class Hub {
  readonly users: Users;
  /** Rooms by normalized name; a promise so concurrent first joins open the log once. */
  private readonly rooms = new Map<string, Promise<Room>>();
  /** The same rooms once opened, so an idle room is recognized synchronously. */
  private readonly opened = new Map<string, Room>();
  /** Token verification keys; undefined when the server needs no token. */
  readonly tokenKeys: TokenKeys | undefined;
  private readonly roomContext: RoomContext;
  /** Frame limits and error shape of every session. */
  readonly wire: WirePolicy;
  /** v2: the store of entries, read markers and direct rooms (the broker's store); undefined: version 1 only. */
  readonly chat: ChatStore | undefined;
  /** v2: attachments (§17), when a file service is plugged in at start-up (attachments.ts). */
  files: FileService | undefined;
  /** Protocol versions this node speaks, most preferred first [HS-3, VER-1]. */
  readonly versions: readonly number[];
  /** v2: read markers and mentions for users' sessions on every node. */
  readonly notifier: UserNotifier;

  constructor(
    readonly options: ResolvedOptions,
    /** The room logs (the Broker): appends, history and the rooms' subscriptions. */
    readonly store: Broker,
    readonly cluster: Cluster,
    readonly metrics: Metrics,
    readonly log: Logger,
    extras: HubExtras = {},
  ) {
    this.chat = extras.chat;
    this.versions = this.chat ? SERVER_PROTOCOL_VERSIONS : SERVER_PROTOCOL_VERSIONS.filter((v) => v < 2);
    this.users = new Users(() => options.limits.presenceGraceMs, cluster, nameKeyOf(options.faults));
    this.notifier = new UserNotifier(this.users, cluster);
    this.wire = wirePolicy(options.limits.maxFrameBytes, options.faults);
    this.tokenKeys = tokenKeys(options);
    this.roomContext = {
      cluster,
      broker: store,
      timing: options.limits,
      fanOut: faultyFanOut(directFanOut, options.faults),
      log,
      countDelivered: (recipients) => metrics.framesSent('message', recipients),
      reset: (room) => void this.resetRoom(room),
      idle: (room) => this.unloadRoom(room),
    };
  }

  get limits() {
    return this.options.limits;
  }

  /** The room with this normalized name, opening its log on first use [ROOM-3]. */
  room(name: string): Promise<Room> {
    let room = this.rooms.get(name);
    if (!room) {
      room = this.openRoom(name);
      room.catch(() => {
        if (this.rooms.get(name) === room) this.rooms.delete(name);
        this.cluster.closeRoom(name);
      });
      this.rooms.set(name, room);
    }
    return room;
  }

  /**
   * Attaches a peer to a room, opening it if needed [ROOM-3]. The attach runs
   * in the same tick as the last check, so it never lands in a room that was
   * unloaded meanwhile (that room is replaced by a freshly opened one).
   *
   * The snapshot must cover every message committed before the join [ROOM-5].
   * A room opened by this join read the log after subscribing, so it does. A
   * room already loaded learns of other nodes' messages by pub/sub, which may
   * lag (a busy node reads its Redis socket late): the join first waits for
   * every cross-node event published before it (the cluster barrier) and for
   * the room to deliver what it holds.
   */
  async attach(
    name: string,
    peer: Peer,
    wanted: () => boolean,
  ): Promise<{ room: Room; snapshot: JoinSnapshot } | undefined> {
    for (;;) {
      const loaded = this.rooms.has(name);
      const room = await this.room(name);
      if (loaded) {
        await this.cluster.barrier();
        await room.settled().catch(() => {});
      }
      if (room.unloaded) continue;
      if (!wanted()) {
        // The peer went away while the room opened: a room nobody joined is not kept.
        this.unloadRoom(room);
        return undefined;
      }
      return { room, snapshot: room.attach(peer) };
    }
  }

  /**
   * Unloads a room no local session uses any more (its last member left or
   * their grace ended): timers stop, the cluster stops feeding it (Redis:
   * UNSUBSCRIBE) and the broker drops its cache of the room, so idle rooms pin
   * no memory on the node. The room's log and its members on other nodes
   * stay where they are; the next join opens it again.
   */
  private unloadRoom(room: Room): void {
    if (!room.idle || this.opened.get(room.name) !== room) return;
    this.forget(room);
    room.dispose(false);
  }

  /** Removes a loaded room from the node's table and from the cluster and broker. */
  private forget(room: Room): void {
    this.opened.delete(room.name);
    this.rooms.delete(room.name);
    this.cluster.closeRoom(room.name);
    this.store.unsubscribe(room.name);
    this.metrics.rooms.set(this.rooms.size);
  }

  /**
   * Subscribes to the room's events first, then reads its state, so nothing
   * published in between is missed; events that arrive before the room
   * exists are replayed into it (the sequencers drop what the state covers).
   */
  private async openRoom(name: string): Promise<Room> {
    let room: Room | undefined;
    const early: Array<(room: Room) => void> = [];
    const relay = (event: (room: Room) => void) => (room ? event(room) : early.push(event));
    const feed: RoomFeed = {
      // Nobody waits for another node's message: a dropped room's rejection is expected.
      message: (epoch: string, message: ChatMessage) =>
        relay((r) => void r.message(epoch, this.store.present(message)).catch(() => {})),
      presence: (event: PresenceEvent) => relay((r) => r.presence(event)),
      typing: (userKey: string, userName: string, active: boolean) => relay((r) => r.typing(userKey, userName, active)),
      resync: () => relay((r) => r.resync()),
    };
    const presence = await this.cluster.openRoom(name, feed);
    const from = await this.store.open(name);
    room = new Room(name, from, presence, this.roomContext);
    for (const event of early.splice(0)) event(room);
    this.opened.set(name, room);
    this.metrics.rooms.set(this.rooms.size);
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
      this.forget(room);
      this.log.warn({ room: room.name }, 'room log lost in the store: members reconnect to a new epoch');
    }
    room.closeAll(CloseCode.SERVICE_RESTART, 'room history was reset, rejoin');
    room.dispose(true);
  }

  /** Drops every room: the node lost its place in the cluster and its sessions were closed. */
  async resetAll(): Promise<void> {
    for (const room of await this.loadedRooms()) await this.resetRoom(room);
  }

  /** Rooms currently loaded, for listing and metrics. */
  async loadedRooms(): Promise<Room[]> {
    const settled = await Promise.allSettled(this.rooms.values());
    return settled.flatMap((room) => (room.status === 'fulfilled' ? [room.value] : []));
  }

  get roomCount(): number {
    return this.rooms.size;
  }

  async dispose(): Promise<void> {
    for (const room of await this.loadedRooms()) room.dispose(false);
    this.users.clear();
  }
}
