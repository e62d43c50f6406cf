/**
 * Names of every Redis key and channel Kuykan uses, under one prefix, so a
 * deployment (or a test run) owns exactly the keys that start with it.
 *
 * Per room (`<r>` is the escaped room name):
 * - `room:<r>:epoch|seq|ts|entries|messages|visible|dedupe|read` — the
 *   store (store/redis.ts); `room:<r>:log`, a stream of an older store, is
 *   read once into `entries` (store/redis-migrate.ts);
 * - `room:<r>:members` — hash userKey → name: the room's members, all nodes;
 * - `room:<r>:bots` — set of the members' userKeys that are bots [BOT-1];
 * - `room:<r>:holders` — hash userKey → `,node,node,`: nodes holding the user;
 * - `room:<r>:pv` — the room's presence version;
 * - `room:<r>:events` — pub/sub channel of messages, presence and typing.
 * Per node: `node:<id>` (liveness, with a TTL), `node:<id>:rooms` and
 * `node:<id>:names` (what to clean up when it dies), `node:<id>:events`
 * (barrier tokens); `nodes:sweeping` the nodes whose sweep is under way. Per name: `name:<n>` (hash: `s` secret digest, `n:<id>`
 * per holding node). `nodes` is the set of node ids; `rooms` the room index.
 * Direct rooms: `direct` (hash room → JSON), `direct:used` (counter),
 * `direct:of:<identity>` (sorted set of an identity's direct rooms by use).
 * `users:events` is the channel of events for users on any node.
 *
 * @module
 */

/**
 * Room names are user text and may contain `:` (or anything else §6 allows),
 * so they are escaped before going into a key: `%`, `:`, `{` and `}` become
 * `%XX`. The escaped name holds no `:`, so `room:<escaped>:` is a unique
 * prefix per room — room "a:log" becomes `room:a%3Alog:…` and cannot reach
 * the keys of room "a" (`room:a:log`, …). Escaping `%` keeps the mapping
 * one-to-one; escaping the braces keeps a name from acting as a Redis Cluster
 * hash tag. Everything else (Thai, emoji…) is kept as UTF-8, readable in
 * `redis-cli`. User names are escaped the same way.
 */
export function escapeKeyPart(text: string): string {
  return text.replace(/[%:{}]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** Stands for the variable part of a split key; escaped names and node ids never contain it. */
const MARK = '{}';

export type RoomKeyPart =
  | 'epoch'
  | 'seq'
  | 'ts'
  | 'log'
  | 'entries'
  | 'messages'
  | 'visible'
  | 'first'
  | 'dedupe'
  | 'read'
  | 'members'
  | 'bots'
  | 'holders'
  | 'pv'
  | 'events';

export class RedisKeys {
  constructor(readonly prefix: string) {}

  room(room: string, part: RoomKeyPart): string {
    return this.roomByEscaped(escapeKeyPart(room), part);
  }

  roomByEscaped(escaped: string, part: RoomKeyPart): string {
    return `${this.prefix}room:${escaped}:${part}`;
  }

  /** The hash of room name → last seq. */
  get rooms(): string {
    return `${this.prefix}rooms`;
  }

  /** Hash of direct room name → JSON of the room and its members [DM-1]. */
  get direct(): string {
    return `${this.prefix}direct`;
  }

  /** The counter that orders direct rooms by last use [DM-4]. */
  get directUsed(): string {
    return `${this.prefix}direct:used`;
  }

  /** Sorted set of an identity's direct rooms, scored by last use. */
  directOf(identity: string): string {
    return `${this.prefix}direct:of:${escapeKeyPart(identity)}`;
  }

  /** The channel of user events (read markers, mentions) for every node [READ-2, MENTION-2]. */
  get userEvents(): string {
    return `${this.prefix}users:events`;
  }

  get nodes(): string {
    return `${this.prefix}nodes`;
  }

  /** The set of nodes whose sweep started and has not finished (it runs in batches). */
  get sweeping(): string {
    return `${this.prefix}nodes:sweeping`;
  }

  /**
   * A room key split around the escaped room name, for scripts that reach the
   * keys of rooms they read from a set: key = head + escaped room + tail.
   */
  roomKeyAround(part: RoomKeyPart): [head: string, tail: string] {
    const key = this.roomByEscaped(MARK, part);
    const at = key.indexOf(MARK);
    return [key.slice(0, at), key.slice(at + MARK.length)];
  }

  /** A node's liveness key split around its id: key = head + id + tail. */
  nodeKeyAround(): [head: string, tail: string] {
    const key = this.node(MARK);
    const at = key.indexOf(MARK);
    return [key.slice(0, at), key.slice(at + MARK.length)];
  }

  node(id: string, part?: 'rooms' | 'names' | 'events'): string {
    return part ? `${this.prefix}node:${id}:${part}` : `${this.prefix}node:${id}`;
  }

  name(nameKey: string): string {
    return `${this.prefix}name:${escapeKeyPart(nameKey)}`;
  }
}
