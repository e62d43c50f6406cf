/**
 * The cluster's pub/sub: the subscriber connection (`kuykan:<node>:events`
 * in CLIENT LIST), the channels it listens to and what arrives on them:
 * each loaded room's events go to its feed (events.ts reads them), user
 * events [READ-2, MENTION-2] to the user listeners, and barrier tokens on
 * the node's own channel back to the barrier. It also publishes typing and
 * user events, best effort, on the engine connection.
 *
 * @module
 */

import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { connectRedis, RedisClient } from '../redis/client.js';
import type { RedisKeys } from '../redis/keys.js';
import { dispatchEvent, readUserEvent, typingEvent, userEvent } from './events.js';
import type { ClusterUser, RoomFeed, UserEvent } from './types.js';

export interface ChannelsOptions {
  url: string;
  nodeId: string;
  keys: RedisKeys;
  /** The engine connection: publishes go there, after the scripts sent before them. */
  engine: RedisClient;
  /** A barrier token came back on the node's channel. */
  token(token: string): void;
  log: Logger;
}

export class RedisChannels {
  /** The subscriber connection: pub/sub only. */
  private readonly sub: Redis;
  private readonly subClient: RedisClient;
  /** Whether the node channel (barrier tokens) is subscribed. */
  private listening = false;
  private readonly feeds = new Map<string, RoomFeed>();
  private readonly userListeners: Array<(nameKey: string, event: UserEvent) => void> = [];

  constructor(private readonly options: ChannelsOptions) {
    // Resubscribing is ours, not ioredis's: ioredis emits 'ready' before it
    // resubscribes, and a catch-up read then could miss what is published
    // before the SUBSCRIBE lands. Subscribed first, rooms then catch up.
    this.sub = connectRedis(options.url, `kuykan:${options.nodeId}:events`, { autoResubscribe: false });
    this.subClient = new RedisClient(this.sub, 1500, 'cluster engine');
    this.sub.on('message', (channel: string, payload: string) => this.receive(channel, payload));
    this.sub.on('ready', () => void this.resubscribe());
  }

  /** Whether the subscriber is connected and listening to the node channel. */
  available(): boolean {
    return this.subClient.available() && this.listening;
  }

  /**
   * On every (re)connection of the subscriber: subscribes to the node channel
   * and every loaded room's channel, then has each room catch up on what was
   * published while it was not subscribed [PRES-7].
   */
  private async resubscribe(): Promise<void> {
    const { keys, nodeId } = this.options;
    this.listening = false;
    const feeds = [...this.feeds];
    try {
      await this.sub.subscribe(keys.node(nodeId, 'events'), keys.userEvents, ...feeds.map(([channel]) => channel));
    } catch (error) {
      // The connection dropped again; its next 'ready' retries.
      this.options.log.warn({ err: error }, 'could not subscribe to the cluster channels');
      return;
    }
    this.listening = true;
    for (const [, feed] of feeds) feed.resync();
  }

  /** Starts feeding the room's events to `feed`; resolves once subscribed. */
  async openRoom(room: string, feed: RoomFeed): Promise<void> {
    const channel = this.options.keys.room(room, 'events');
    this.feeds.set(channel, feed);
    await this.subClient.call((sub) => sub.subscribe(channel));
  }

  closeRoom(room: string): void {
    const channel = this.options.keys.room(room, 'events');
    if (this.feeds.delete(channel)) void this.sub.unsubscribe(channel).catch(() => {});
  }

  typing(room: string, user: ClusterUser, active: boolean): void {
    const { engine, keys, nodeId } = this.options;
    if (!engine.available()) return; // typing is best effort [TYPE-2]
    const event = typingEvent(nodeId, user.key, user.name, active);
    engine.redis.publish(keys.room(room, 'events'), event).catch(() => {});
  }

  /**
   * Hands a user event to every other node (one channel for all: each node
   * delivers it to the user's sessions it holds, if any) [READ-2, MENTION-2].
   * Best effort, like typing: a node cut off from Redis reaches its own sessions only.
   */
  async notifyUser(nameKey: string, event: UserEvent): Promise<void> {
    const { engine, keys, nodeId } = this.options;
    if (!engine.available()) return;
    await engine.redis.publish(keys.userEvents, userEvent(nodeId, nameKey, event)).catch(() => {});
  }

  onUserEvent(listener: (nameKey: string, event: UserEvent) => void): void {
    this.userListeners.push(listener);
  }

  private receive(channel: string, payload: string): void {
    const { keys, nodeId } = this.options;
    if (channel === keys.node(nodeId, 'events')) {
      this.options.token(payload);
      return;
    }
    if (channel === keys.userEvents) {
      const received = readUserEvent(payload, nodeId);
      if (received) for (const listener of this.userListeners) listener(received.nameKey, received.event);
      return;
    }
    const feed = this.feeds.get(channel);
    if (!feed) return;
    if (!dispatchEvent(payload, feed, nodeId)) {
      this.options.log.warn({ channel }, 'unreadable event on a room channel');
    }
  }

  close(): Promise<void> {
    return this.subClient.close();
  }
}
