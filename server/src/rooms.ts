/**
 * Rooms: who is joined, presence with multi-session users and grace
 * (PROTOCOL.md §11), typing expiry, and ordered fan-out that encodes each
 * frame once and writes the same bytes to every member (§10).
 *
 * @module
 */

import { type ChatMessage, encodeFrame, type Frame, PresenceKind } from '@kuykan/protocol';
import type { FaultName } from './faults.js';
import { binaryFrame } from './framing.js';
import type { User } from './users.js';

/** A joined connection as the room sees it. */
export interface Peer {
  readonly id: string;
  readonly user: User | undefined;
  sendBytes(bytes: Uint8Array): void;
  /** Writes an already framed WebSocket message (see framing.ts). */
  sendFramed(frame: Buffer): void;
  /** Closes the connection with a protocol close code. */
  close(code: number, reason: string): void;
}

interface Member {
  name: string;
  peers: Set<Peer>;
  graceTimer: NodeJS.Timeout | undefined;
}

interface RoomTiming {
  presenceGraceMs: number;
  typingTtlMs: number;
}

export class Room {
  /** Last seq delivered to members: the `joined.seq` snapshot [ROOM-5]. */
  lastSeq: number;
  private readonly members = new Map<string, Member>();
  /** Joined peers; a non-null buffer holds messages while the peer's `joined` is prepared. */
  private readonly peers = new Map<Peer, Uint8Array[] | null>();
  private readonly typing = new Map<string, NodeJS.Timeout>();
  /** TEST ONLY (reorder-fanout): a message held back to be sent after the next one. */
  private heldBack: { bytes: Uint8Array; timer: NodeJS.Timeout } | undefined;

  constructor(
    readonly name: string,
    readonly epoch: string,
    lastSeq: number,
    private readonly timing: RoomTiming,
    private readonly faults: ReadonlySet<FaultName>,
  ) {
    this.lastSeq = lastSeq;
  }

  /** Sorted names of present users (including users within their grace). */
  memberNames(): string[] {
    return [...this.members.values()].map((m) => m.name).sort();
  }

  get memberCount(): number {
    return this.members.size;
  }

  isJoined(peer: Peer): boolean {
    return this.peers.has(peer);
  }

  get peerCount(): number {
    return this.peers.size;
  }

  /**
   * Joins a peer, announcing a new member to the others [PRES-1, PRES-2, PRES-5].
   * Messages published until {@link ready} are buffered for the peer, so its
   * `joined` snapshot and the live stream meet without gap or overlap [MSG-7].
   * Returns the snapshot seq.
   */
  attach(peer: Peer): number {
    const user = peer.user!;
    this.peers.set(peer, []);
    const member = this.members.get(user.key);
    if (member) {
      clearTimeout(member.graceTimer);
      member.graceTimer = undefined;
      const isNewSession = !member.peers.has(peer);
      member.peers.add(peer);
      if (isNewSession && this.faults.has('presence-duplicate')) this.announce(user, PresenceKind.JOIN);
    } else {
      this.members.set(user.key, { name: user.name, peers: new Set([peer]), graceTimer: undefined });
      this.announce(user, PresenceKind.JOIN);
    }
    return this.lastSeq;
  }

  /** Ends the join buffering: sends what was published meanwhile, then goes live. */
  ready(peer: Peer): void {
    const buffered = this.peers.get(peer);
    if (!buffered) return;
    this.peers.set(peer, null);
    for (const bytes of buffered) peer.sendBytes(bytes);
  }

  /**
   * Removes a peer. An explicit leave announces the user's departure at once
   * when it was their last session [PRES-3]; a disconnect waits for the grace [PRES-4].
   */
  detach(peer: Peer, how: 'leave' | 'disconnect'): void {
    if (!this.peers.delete(peer)) return;
    const user = peer.user!;
    const member = this.members.get(user.key);
    if (!member) return;
    member.peers.delete(peer);
    if (member.peers.size > 0) return;
    this.stopTyping(user);
    if (how === 'leave') {
      this.members.delete(user.key);
      this.announce(user, PresenceKind.LEAVE);
      return;
    }
    member.graceTimer = setTimeout(() => {
      if (member.peers.size > 0 || this.members.get(user.key) !== member) return;
      this.members.delete(user.key);
      if (!this.faults.has('stale-presence')) this.announce(user, PresenceKind.LEAVE);
    }, this.timing.presenceGraceMs);
    member.graceTimer.unref();
  }

  /** Delivers a committed message to every joined peer, in seq order [MSG-7, MSG-8]; returns the recipient count. */
  publish(message: ChatMessage, sender: Peer): number {
    this.lastSeq = message.seq;
    const bytes = encodeFrame({ type: 'message', room: this.name, ...message });
    if (this.faults.has('reorder-fanout')) {
      this.publishReordered(bytes);
      return this.peers.size;
    }
    const framed = binaryFrame(bytes);
    for (const [peer, buffer] of this.peers) {
      if (buffer) buffer.push(bytes);
      else peer.sendFramed(framed);
      if (this.faults.has('duplicate-fanout') && peer !== sender && !buffer) peer.sendFramed(framed);
    }
    return this.peers.size;
  }

  private publishReordered(bytes: Uint8Array): void {
    const held = this.heldBack;
    if (!held) {
      const timer = setTimeout(() => {
        this.heldBack = undefined;
        this.sendToAll(bytes);
      }, 50);
      this.heldBack = { bytes, timer };
      return;
    }
    clearTimeout(held.timer);
    this.heldBack = undefined;
    this.sendToAll(bytes);
    this.sendToAll(held.bytes);
  }

  /** Sends a frame to every joined peer except those of `except` (a user). */
  sendToAll(frameOrBytes: Frame | Uint8Array, except?: User): void {
    const bytes = frameOrBytes instanceof Uint8Array ? frameOrBytes : encodeFrame(frameOrBytes);
    for (const [peer, buffer] of this.peers) {
      if (except && peer.user?.key === except.key) continue;
      if (buffer) buffer.push(bytes);
      else peer.sendBytes(bytes);
    }
  }

  private announce(user: User, kind: PresenceKind): void {
    this.sendToAll({ type: 'presence', room: this.name, name: user.name, kind }, user);
  }

  /** Relays a typing indication to everyone but the typing user [TYPE-1]; it expires after the TTL. */
  setTyping(user: User, active: boolean): void {
    clearTimeout(this.typing.get(user.key));
    if (active) {
      const timer = setTimeout(() => this.typing.delete(user.key), this.timing.typingTtlMs);
      timer.unref();
      this.typing.set(user.key, timer);
    } else {
      this.typing.delete(user.key);
    }
    this.sendToAll(
      { type: 'userTyping', room: this.name, name: user.name, active, ttlMs: this.timing.typingTtlMs },
      user,
    );
  }

  /** Ends a user's typing indication if it is active [TYPE-5]. */
  stopTyping(user: User): void {
    if (this.typing.has(user.key)) this.setTyping(user, false);
  }

  /** Closes every joined peer's connection (the room is being reloaded). */
  closeAll(code: number, reason: string): void {
    for (const peer of [...this.peers.keys()]) peer.close(code, reason);
  }

  /** Cancels timers (shutdown). */
  dispose(): void {
    for (const member of this.members.values()) clearTimeout(member.graceTimer);
    for (const timer of this.typing.values()) clearTimeout(timer);
    if (this.heldBack) clearTimeout(this.heldBack.timer);
  }
}
