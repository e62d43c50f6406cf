/**
 * The model of the model-based test: users, their sessions (of version 1
 * or 2), rooms (direct ones included) with their logs and folded truth,
 * read markers, and what each session must be sent next. The oracle in
 * `oracle.ts` reads each connection's frames in arrival order against it.
 *
 * @module
 */

import type { ChatMessage } from '@kuykan/protocol';
import type { TestContext } from '../context.js';
import type { WireClient } from '../wire.js';
import { type ModelRoom, messagesUpTo, newRoom, served, servedV1 } from './fold.js';
import { checkSynced, read } from './oracle.js';

export interface ModelUser {
  readonly name: string;
  readonly key: string | null;
}

/** What one connection has seen of one room. */
export interface RoomView {
  /** v2: next seq this connection must receive. v1: one past the last message it received. */
  nextSeq: number;
  /** Members as built from `joined.members` and `presence`. */
  members: Set<string>;
  /** v2: the records the connection holds, folded as a client folds (by messageId). */
  records: Map<string, ChatMessage>;
}

/** What a `joined` must hold, computed when the join was sent. */
export interface JoinExpectation {
  readonly resume: boolean;
  /** v2: the gap as `seq:kind:text`, or the latest records as the server must serve them. */
  readonly gap?: string;
  readonly records?: ChatMessage[];
  /** v1: `seq:text` of the messages it shows. */
  readonly shown?: string;
  readonly seq: number;
  readonly readSeq?: number;
  readonly unread?: number;
  readonly mentions?: number;
  readonly peer?: string;
  /** Resume: the records the client held, which the gap is folded into. */
  readonly held?: Map<string, ChatMessage>;
}

/** A request in flight whose reply changes the view. */
export type Pending = { kind: 'leave'; room: string } | { kind: 'join'; room: string; expect: JoinExpectation };

export interface ModelSession {
  readonly n: number;
  readonly user: ModelUser;
  readonly conn: WireClient;
  /** The protocol version the session speaks. */
  readonly version: number;
  open: boolean;
  /** Frames of `conn.log` already read by the oracle. */
  cursor: number;
  readonly views: Map<string, RoomView>;
  readonly pending: Map<number, Pending>;
  /** Rooms this session joined (model-side, for preconditions). */
  readonly rooms: Set<string>;
  resumed: boolean;
  /** v2 events the session must receive next, in order: `readMarker room seq` or `mention room seq`. */
  readonly expected: string[];
}

/** The whole model of one property run. */
export class World {
  readonly users: ModelUser[] = [];
  readonly sessions: ModelSession[] = [];
  readonly rooms: ModelRoom[];
  /** Read markers by `name\nroom` [READ-1]. */
  readonly markers = new Map<string, number>();
  /** Direct rooms by the pair's names, sorted and joined by a newline. */
  readonly pairs = new Map<string, string>();
  constructor(
    readonly ctx: TestContext,
    roomNames: string[],
  ) {
    this.rooms = roomNames.map((name) => newRoom(name));
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

  marker(user: ModelUser, room: string): number {
    return this.markers.get(`${user.name}\n${room}`) ?? 0;
  }

  /** What a join of `room` by `s` must be answered with now (resuming after `from` when given). */
  expectJoin(
    s: ModelSession,
    room: ModelRoom,
    from?: { seq: number; held: Map<string, ChatMessage> },
  ): JoinExpectation {
    const seq = room.log.length;
    const name = s.user.name;
    if (s.version < 2) {
      const messages = from ? room.log.slice(from.seq).filter((e) => e.kind === undefined) : messagesUpTo(room, seq);
      const shown = messages.map((m) => servedV1(room, m.messageId)).filter((x) => x !== undefined);
      return {
        resume: from !== undefined,
        seq,
        shown: (from ? shown : shown.slice(-this.ctx.limits.joinRecent)).join(','),
      };
    }
    const readSeq = this.marker(s.user, room.name);
    const unreadList = messagesUpTo(room, seq).filter(
      (m) => m.seq > readSeq && m.from !== name && !room.truth.get(m.messageId)!.deleted,
    );
    const mentioning = unreadList.filter((m) => room.direct || room.truth.get(m.messageId)!.mentions?.includes(name));
    const counts = {
      readSeq,
      unread: unreadList.length,
      mentions: mentioning.length,
      peer: room.direct?.find((n) => n !== name),
    };
    if (from) {
      // A message in the gap may come as it was sent or folded (FOLD-2 settles either); an edit
      // entry of a deleted message has lost its text [DEL-2].
      const gap = room.log.slice(from.seq).map((e) => {
        if (e.kind !== 'edit') return `${e.seq}:${e.kind ?? 'message'}`;
        return `${e.seq}:edit:${room.truth.get(e.target!)?.deleted ? '' : e.text}`;
      });
      return { resume: true, seq, gap: gap.join(','), held: from.held, ...counts };
    }
    const latest = messagesUpTo(room, seq).slice(-this.ctx.limits.joinRecent);
    return { resume: false, seq, records: latest.map((m) => served(room, m.messageId, name)), ...counts };
  }

  /** Reads the frames a session received since the last scan, in order. */
  scan(session: ModelSession): void {
    const log = session.conn.log;
    for (; session.cursor < log.length; session.cursor++) read(this, session, log[session.cursor]!);
  }

  /** The oracle after a barrier on every open session: nothing lost, state and presence converged. */
  checkSynced(): void {
    checkSynced(this);
  }
}
