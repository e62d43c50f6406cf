/**
 * The model of the model-based test: users, sessions, rooms and their logs
 * (built from acks, in seq order), and the oracle that reads each
 * connection's frames in arrival order and checks them against the model.
 *
 * @module
 */

import type { ChatMessage, JoinedFrame, ServerFrame } from '@kuykan/protocol';
import type { TestContext } from '../context.js';
import { expect } from '../failure.js';
import type { WireClient } from '../wire.js';

export interface ModelUser {
  readonly name: string;
  readonly key: string | null;
}

/** What one connection has seen of one room. */
interface RoomView {
  /** Next seq this connection must receive. */
  nextSeq: number;
  /** Members as built from `joined.members` and `presence`. */
  members: Set<string>;
}

export interface ModelSession {
  readonly n: number;
  readonly user: ModelUser;
  readonly conn: WireClient;
  open: boolean;
  /** Frames of `conn.log` already read by the oracle. */
  cursor: number;
  /** Joined rooms, as read from replies. */
  readonly views: Map<string, RoomView>;
  /** Requests in flight whose replies change the view: id → what. */
  readonly pending: Map<
    number,
    { kind: 'join' | 'resume' | 'leave'; room: string; fromSeq?: number; logLength?: number }
  >;
  /** Rooms this session asked to join (model-side, for preconditions). */
  readonly rooms: Set<string>;
  resumed: boolean;
}

export interface ModelRoom {
  readonly name: string;
  epoch?: string;
  /** log[seq - 1] is the message with that seq. */
  readonly log: ChatMessage[];
  /** clientIds used per user key: clientId → seq. */
  readonly sent: Map<string, number>;
  /** Users who disconnected while joined: they may still be members during the grace. */
  readonly maybe: Set<string>;
}

/** The whole model of one property run. */
export class World {
  readonly users: ModelUser[] = [];
  readonly sessions: ModelSession[] = [];
  readonly rooms: ModelRoom[];
  constructor(
    readonly ctx: TestContext,
    roomNames: string[],
  ) {
    this.rooms = roomNames.map((name) => ({ name, log: [], sent: new Map(), maybe: new Set() }));
  }

  room(name: string): ModelRoom {
    return this.rooms.find((r) => r.name === name)!;
  }

  openSessions(): ModelSession[] {
    return this.sessions.filter((s) => s.open);
  }

  /** Users with an open session joined to the room: certainly members. */
  definiteMembers(room: string): Set<string> {
    return new Set(
      this.openSessions()
        .filter((s) => s.rooms.has(room))
        .map((s) => s.user.name),
    );
  }

  /** Reads the frames a session received since the last scan, in order. */
  scan(session: ModelSession): void {
    const log = session.conn.log;
    for (; session.cursor < log.length; session.cursor++) this.read(session, log[session.cursor]!);
  }

  private read(s: ModelSession, f: ServerFrame): void {
    const label = s.conn.label;
    if (f.type === 'joined') {
      this.readJoined(s, f);
      return;
    }
    if ((f.type === 'ok' || f.type === 'error') && f.id !== undefined) {
      const what = s.pending.get(f.id);
      if (what?.kind === 'leave' && f.type === 'ok') s.views.delete(what.room);
      if (what) s.pending.delete(f.id);
      return;
    }
    if (f.type === 'message') {
      const view = s.views.get(f.room);
      expect('MSG-7', view, `${label} received a message of ${f.room}, which it has not joined`);
      expect(
        'MSG-7',
        f.seq >= view.nextSeq,
        `${label} received seq ${f.seq} of ${f.room} again (expected ${view.nextSeq} next)`,
      );
      expect(
        'MSG-8',
        f.seq === view.nextSeq,
        `${label} received seq ${f.seq} of ${f.room} where ${view.nextSeq} was next`,
      );
      const logged = this.room(f.room).log[f.seq - 1];
      expect(
        'MSG-12',
        logged && logged.messageId === f.messageId && logged.text === f.text && logged.ts === f.ts,
        `${label}: message seq ${f.seq} does not match its ack`,
      );
      view.nextSeq++;
      return;
    }
    if (f.type === 'presence') {
      const view = s.views.get(f.room);
      if (!view) return;
      // Each change is announced once: a join for a member, or a leave for a non-member, is a duplicate.
      if (f.kind === 'join') {
        expect(
          'PRES-2',
          !view.members.has(f.name),
          `${label} got presence join of ${f.name}, already a member of ${f.room}`,
        );
        view.members.add(f.name);
      } else {
        expect(
          'PRES-3',
          view.members.has(f.name),
          `${label} got presence leave of ${f.name}, not a member of ${f.room}`,
        );
        view.members.delete(f.name);
      }
      return;
    }
    if (f.type === 'userTyping') {
      expect('TYPE-1', f.name !== s.user.name, `${label} received its own user's typing`);
      expect('TYPE-1', f.ttlMs === this.ctx.limits.typingTtlMs, `userTyping ttlMs ${f.ttlMs}`);
    }
  }

  private readJoined(s: ModelSession, f: JoinedFrame): void {
    const what = s.pending.get(f.id);
    s.pending.delete(f.id);
    const room = this.room(f.room);
    expect('ROOM-4', room, `joined names unknown room ${f.room}`);
    room.epoch ??= f.epoch;
    // The log as it was when the join was sent: sends are awaited one at a time, so that is the join's point.
    const at = what?.logLength ?? room.log.length;
    const tail = (from: number) =>
      room.log
        .slice(from, at)
        .map((m) => m.messageId)
        .join(',');
    const got = f.messages.map((m) => m.messageId).join(',');
    const existing = s.views.get(f.room);
    if (what?.kind === 'resume' && f.epoch === room.epoch) {
      expect(
        'RES-1',
        f.recovered === true,
        `resume of ${f.room} from seq ${what.fromSeq} answered recovered=${String(f.recovered)}`,
      );
      expect(
        'RES-1',
        got === tail(what.fromSeq ?? 0),
        `resume of ${f.room} from seq ${what.fromSeq} returned seqs [${f.messages.map((m) => m.seq).join(',')}]`,
      );
    } else if (!existing) {
      const recent = this.ctx.limits.joinRecent;
      expect(
        'ROOM-6',
        got === tail(Math.max(0, at - recent)),
        `joined ${f.room} carries seqs [${f.messages.map((m) => m.seq).join(',')}]`,
      );
    }
    expect('ROOM-5', f.seq === at, `joined ${f.room} seq ${f.seq}, log had ${at}`);
    const nextSeq = existing ? existing.nextSeq : f.seq + 1;
    s.views.set(f.room, { nextSeq, members: new Set(f.members) });
  }

  /** The oracle after a barrier on every open session: nothing lost, presence converged. */
  checkSynced(): void {
    for (const s of this.openSessions()) {
      this.scan(s);
      for (const [name, view] of s.views) {
        const room = this.room(name);
        expect(
          'MSG-7',
          view.nextSeq - 1 === room.log.length,
          `${s.conn.label} got ${name} up to seq ${view.nextSeq - 1}, log has ${room.log.length}`,
        );
        const definite = this.definiteMembers(name);
        const seen = [...view.members].sort().join(',');
        for (const m of definite)
          expect('PRES-7', view.members.has(m), `${s.conn.label} sees members of ${name} as [${seen}], missing ${m}`);
        for (const m of view.members) {
          expect(
            'PRES-7',
            definite.has(m) || room.maybe.has(m),
            `${s.conn.label} sees members of ${name} as [${seen}], ${m} is not a member`,
          );
        }
      }
    }
  }
}
