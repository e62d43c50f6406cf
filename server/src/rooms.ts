/**
 * Rooms as one node sees them: its joined connections and their users'
 * presence grace, join buffering, typing expiry, catch-up after a gap, and
 * handing an idle room back to its node. The member list replicated from
 * the cluster is room/members.ts; writing to the peers is room/fanout.ts;
 * what the room needs from its peers and its node is room/types.ts.
 *
 * Messages (by seq) and presence changes (by presence version) may come from
 * any node and in any order; each goes through a sequencer (the broker's log
 * subscription, the member replica) so members see them in order, once
 * (PROTOCOL.md §10, §11).
 *
 * @module
 */

import { type ChatMessage, PresenceKind, type ServerFrame } from '@kuykan/protocol';
import { type LogSubscription, roomResetError } from './broker/subscription.js';
import type { PresenceEvent, PresenceSnapshot, RoomFeed } from './cluster/types.js';
import { sendFrameToAll } from './room/fanout.js';
import { MemberReplica } from './room/members.js';
import type { JoinSnapshot, Peer, RoomContext } from './room/types.js';
import type { RoomState } from './store/index.js';
import type { User } from './users.js';

// Importers name the room's contract from here, beside the Room it describes.
export type { JoinSnapshot, Peer, RoomContext } from './room/types.js';

/** What a member that entered the room waits for. */
const ENTERED: Promise<void> = Promise.resolve();

/** A user with sessions joined to this room on this node. */
interface LocalMember {
  user: User;
  /**
   * The user's sessions among the room's peers: a count, since the room's
   * peer map knows which (a set of them cost each member ~150 B).
   */
  sessions: number;
  graceTimer: NodeJS.Timeout | undefined;
  /** Settles when the cluster counted the user in (their join is delivered). */
  entered: Promise<void>;
}

export class Room implements RoomFeed {
  /** Members of the whole room (all nodes), as of the presence version delivered. */
  private readonly members: MemberReplica;
  private readonly local = new Map<string, LocalMember>();
  /** Joined peers; a non-null buffer holds events while the peer's `joined` is prepared. */
  private readonly peers = new Map<Peer, Uint8Array[] | null>();
  private readonly typers = new Map<string, NodeJS.Timeout>();
  private readonly messages: LogSubscription<Peer>;
  private catchingUp: Promise<void> | undefined;
  private disposed = false;

  constructor(
    readonly name: string,
    from: RoomState,
    presence: PresenceSnapshot,
    private readonly context: RoomContext,
  ) {
    this.members = new MemberReplica(presence, {
      announce: (event, kind) => this.announce(event, kind),
      gap: () => this.resync(),
    });
    this.messages = context.broker.subscribe<Peer>(name, from, {
      deliver: (message, sender) => this.fanOut(message, sender),
      gap: () => this.resync(),
      reset: () => this.context.reset(this),
    });
  }

  /** The epoch of the room's log as loaded. */
  get epoch(): string {
    return this.messages.epoch;
  }

  /** Last seq delivered to members: the `joined.seq` snapshot [ROOM-5]. */
  get lastSeq(): number {
    return this.messages.last;
  }

  /** Whether no session of this node is in the room, nor any user within their grace. */
  get idle(): boolean {
    return this.local.size === 0 && this.peers.size === 0;
  }

  /** Whether the room was unloaded or reset: a join must open the room afresh. */
  get unloaded(): boolean {
    return this.disposed;
  }

  /** Present users, all nodes (including users within their grace). */
  get memberCount(): number {
    return this.members.size;
  }

  /**
   * Joins a peer [PRES-1, PRES-2, PRES-5]. Events delivered until {@link ready}
   * are buffered for the peer, so its `joined` snapshot and the live stream
   * meet without gap or overlap [MSG-7, PRES-7].
   */
  attach(peer: Peer): JoinSnapshot {
    const user = peer.user!;
    const isNewSession = !this.peers.has(peer);
    this.peers.set(peer, []);
    const snapshot = { seq: this.lastSeq, ...this.members.namesWith(user) };
    const member = this.local.get(user.key);
    if (member) {
      clearTimeout(member.graceTimer);
      member.graceTimer = undefined;
      if (isNewSession) {
        member.sessions++;
        this.context.fanOut.extraSession(this.name, this.peers, peer);
      }
      return { ...snapshot, entered: member.entered };
    }
    const entered = this.context.cluster.join(this.name, user).then((event) => this.members.applyOwn(event));
    const newcomer: LocalMember = { user, sessions: 1, graceTimer: undefined, entered };
    this.local.set(user.key, newcomer);
    // Once entered, the member shares one settled promise instead of keeping its own (48 B per member).
    entered.then(
      () => {
        newcomer.entered = ENTERED;
      },
      () => {}, // the join request reports it
    );
    return { ...snapshot, entered };
  }

  /** Ends the join buffering: sends what was delivered meanwhile, then goes live. */
  ready(peer: Peer): void {
    const buffered = this.peers.get(peer);
    if (!buffered) return;
    this.peers.set(peer, null);
    for (const bytes of buffered) peer.sendBytes(bytes);
  }

  /**
   * Removes a peer. An explicit leave announces the user's departure at once
   * when it was their last session [PRES-3]; a disconnect waits for the grace
   * [PRES-4]. Resolves when the others were told [PRES-6].
   */
  async detach(peer: Peer, how: 'leave' | 'disconnect'): Promise<void> {
    if (!this.peers.delete(peer)) return;
    const user = peer.user!;
    const member = this.local.get(user.key);
    if (!member) return;
    member.sessions--;
    if (member.sessions > 0) return;
    this.stopTyping(user);
    if (how === 'leave') {
      this.local.delete(user.key);
      await this.exit(member);
      this.unloadIfIdle();
      return;
    }
    member.graceTimer = setTimeout(() => {
      if (member.sessions > 0 || this.local.get(user.key) !== member) return;
      this.local.delete(user.key);
      void this.exit(member).then(() => this.unloadIfIdle());
    }, this.context.timing.presenceGraceMs);
    member.graceTimer.unref();
  }

  /**
   * Hands an idle room back to its node, which unloads it: checked after the
   * leave was delivered, so the remaining members were told first [PRES-6].
   */
  private unloadIfIdle(): void {
    if (this.idle && !this.disposed) this.context.idle(this);
  }

  /** Tells the cluster this node no longer holds the user; a failure is logged (the node's TTL cleans up). */
  private async exit(member: LocalMember): Promise<void> {
    await member.entered.catch(() => {});
    try {
      await this.members.applyOwn(await this.context.cluster.leave(this.name, member.user));
    } catch (error) {
      this.context.log.warn({ err: error, room: this.name, user: member.user.name }, 'presence leave failed');
    }
  }

  /**
   * The one entry point of messages into the room, whichever node committed
   * them (this node's append, or another node's through the cluster feed, in
   * any order and maybe twice): delivered in seq order, once [MSG-7, MSG-8].
   * Resolves once the message was written to the room's local members
   * [MSG-9]. A message of another epoch means the log was replaced: the room
   * is reset.
   */
  message(epoch: string, message: ChatMessage, sender?: Peer): Promise<void> {
    return this.messages.offer(epoch, message, sender);
  }

  /** Resolves once a seq was delivered here (e.g. the original of a retried send). */
  delivered(seq: number): Promise<void> {
    return this.messages.delivered(seq);
  }

  /** Resolves when nothing is held back waiting for a gap: the local half of the ping barrier [PING-3]. */
  async settled(): Promise<void> {
    await Promise.all([this.messages.settled(), this.members.settled()]);
  }

  // RoomFeed: events from other nodes (their messages come in through `message` above).

  presence(event: PresenceEvent): void {
    this.members.offer(event);
  }

  typing(userKey: string, name: string, active: boolean): void {
    this.sendToAll(
      { type: 'userTyping', room: this.name, name, active, ttlMs: this.context.timing.typingTtlMs },
      userKey,
    );
  }

  /**
   * Catches up from the broker's log after a gap that did not fill or a reconnect:
   * missing messages from the log, presence from the cluster's member list.
   * A log that lost its epoch or the gap resets the room.
   */
  resync(): void {
    if (this.disposed) return;
    this.catchingUp ??= this.catchUp()
      .catch((error: unknown) => this.context.log.warn({ err: error, room: this.name }, 'room catch-up failed'))
      .finally(() => {
        this.catchingUp = undefined;
      });
  }

  private async catchUp(): Promise<void> {
    if (!(await this.messages.catchUp())) return;
    this.members.sync(await this.context.cluster.presence(this.name));
  }

  private fanOut(message: ChatMessage, sender: Peer | undefined): void {
    this.context.countDelivered(this.peers.size);
    this.context.fanOut.message(this.name, this.peers, message, sender);
  }

  /** Sends a frame to every joined peer except the sessions of the user `exceptKey`. */
  private sendToAll(frame: ServerFrame, exceptKey?: string): void {
    sendFrameToAll(this.peers, frame, exceptKey === undefined ? undefined : (peer) => peer.user?.key === exceptKey);
  }

  /** Tells the other members that a user came or went; a bot's join says so [BOT-1]. */
  private announce({ userKey, name, bot }: PresenceEvent, kind: PresenceKind): void {
    const isBot = kind === PresenceKind.JOIN && bot === true;
    this.sendToAll({ type: 'presence', room: this.name, name, kind, ...(isBot ? { bot: true } : {}) }, userKey);
  }

  /** Relays a typing indication to everyone but the typing user [TYPE-1]; it expires after the TTL. */
  setTyping(user: User, active: boolean): void {
    clearTimeout(this.typers.get(user.key));
    if (active) {
      const timer = setTimeout(() => this.typers.delete(user.key), this.context.timing.typingTtlMs);
      timer.unref();
      this.typers.set(user.key, timer);
    } else {
      this.typers.delete(user.key);
    }
    this.typing(user.key, user.name, active);
    this.context.cluster.typing(this.name, user, active);
  }

  /** Ends a user's typing indication if it is active [TYPE-5]. */
  stopTyping(user: User): void {
    if (this.typers.has(user.key)) this.setTyping(user, false);
  }

  /** Closes every joined peer's connection (the room is being reloaded). */
  closeAll(code: number, reason: string): void {
    for (const peer of [...this.peers.keys()]) peer.close(code, reason);
  }

  /**
   * Cancels timers and fails pending deliveries. A room dropped while the
   * node lives on (`release`) also gives up its users' places in the room at
   * once; a stopping node keeps them, and the other nodes clear them when its
   * TTL runs out, so users reconnecting elsewhere cause no presence change.
   */
  dispose(release: boolean): void {
    this.disposed = true;
    const dropped = roomResetError();
    this.messages.stop(dropped);
    this.members.stop(dropped);
    for (const member of this.local.values()) {
      clearTimeout(member.graceTimer);
      if (release) {
        this.context.cluster.leave(this.name, member.user).catch((error: unknown) => {
          this.context.log.warn({ err: error, room: this.name }, 'presence leave of a dropped room failed');
        });
      }
    }
    this.local.clear();
    for (const timer of this.typers.values()) clearTimeout(timer);
  }
}
