/**
 * fast-check commands of the model-based test: connect, login, join, leave,
 * send (with retries of the same clientId), history, typing, disconnect,
 * reconnect-and-resume, and a sync barrier followed by the oracle.
 * Indices are resolved modulo the current sizes, so shrinking stays valid.
 *
 * @module
 */

import { Capability, ErrorCode } from '@kuykan/protocol';
import fc from 'fast-check';
import { expect } from '../failure.js';
import type { ModelSession, ModelUser, World } from './world.js';

type Cmd = fc.AsyncCommand<World, World, false>;
const MAX_SESSIONS = 5;

const pick = <T>(items: T[], n: number): T | undefined => (items.length === 0 ? undefined : items[n % items.length]);

async function openSession(world: World, user: ModelUser | undefined): Promise<ModelSession> {
  const { ctx } = world;
  const n = world.sessions.length;
  const u = await ctx.user(`m${n}`, user ? { name: user.name, key: user.key } : {});
  const modelUser = user ?? { name: u.name, key: u.key };
  if (!user) world.users.push(modelUser);
  const session: ModelSession = {
    n,
    user: modelUser,
    conn: u.conn,
    open: true,
    cursor: 0,
    views: new Map(),
    pending: new Map(),
    rooms: new Set(),
    resumed: false,
  };
  world.sessions.push(session);
  return session;
}

class Connect implements Cmd {
  constructor(
    readonly userN: number,
    readonly fresh: boolean,
  ) {}
  check = (w: World) => w.openSessions().length < MAX_SESSIONS;
  async run(_m: World, w: World) {
    const reuse = !this.fresh || w.users.length >= 3;
    await openSession(w, reuse ? pick(w.users, this.userN) : undefined);
  }
  toString = () => `connect(${this.fresh ? 'new user' : `user ${this.userN}`})`;
}

class Join implements Cmd {
  constructor(
    readonly s: number,
    readonly r: number,
  ) {}
  check = (w: World) => w.openSessions().length > 0;
  async run(_m: World, w: World) {
    await this.join(pick(w.openSessions(), this.s)!, w);
  }
  async join(s: ModelSession, w: World) {
    const room = pick(w.rooms, this.r)!;
    const id = s.conn.id();
    s.pending.set(id, { kind: 'join', room: room.name, logLength: room.log.length });
    s.rooms.add(room.name);
    await s.conn.ok('ROOM-3', { type: 'join', id, room: room.name });
  }
  toString = () => `join(s${this.s}, r${this.r})`;
}

class Leave implements Cmd {
  constructor(readonly s: number) {}
  check = (w: World) => w.openSessions().some((s) => s.rooms.size > 0);
  async run(_m: World, w: World) {
    const s = pick(
      w.openSessions().filter((x) => x.rooms.size > 0),
      this.s,
    )!;
    const room = [...s.rooms][0]!;
    const id = s.conn.id();
    s.pending.set(id, { kind: 'leave', room });
    s.rooms.delete(room);
    await s.conn.ok('ROOM-8', { type: 'leave', id, room });
  }
  toString = () => `leave(s${this.s})`;
}

class Send implements Cmd {
  constructor(
    readonly s: number,
    readonly text: string,
    readonly retry: boolean,
  ) {}
  check = (w: World) => w.openSessions().some((s) => s.rooms.size > 0);
  async run(_m: World, w: World) {
    const s = pick(
      w.openSessions().filter((x) => x.rooms.size > 0),
      this.s,
    )!;
    const room = w.room([...s.rooms][this.s % s.rooms.size]!);
    const previous = [...room.sent.entries()].filter(([k]) => k.startsWith(`${s.user.key}:`)).at(-1);
    const clientId =
      this.retry && previous
        ? previous[0].slice((s.user.key ?? '').length + 1)
        : `m${room.log.length}-${w.ctx.random(1e9)}`;
    const text = this.retry && previous ? room.log[previous[1] - 1]!.text : this.text;
    const { ack } = await w.ctx.send(s.conn, room.name, text, clientId);
    if (this.retry && previous) {
      const original = room.log[previous[1] - 1]!;
      expect(
        'MSG-5',
        ack.seq === original.seq && ack.messageId === original.messageId && ack.ts === original.ts,
        `retry of ${clientId} answered seq ${ack.seq}, original ${original.seq}`,
      );
      return;
    }
    const ackAt = s.conn.log.indexOf(ack);
    const msgAt = s.conn.log.findIndex((f) => f.type === 'message' && f.messageId === ack.messageId);
    expect(
      'MSG-9',
      msgAt >= 0 && msgAt < ackAt,
      `${s.conn.label}: the ack of ${ack.messageId} came before its message`,
    );
    expect(
      'MSG-6',
      ack.seq === room.log.length + 1,
      `ack seq ${ack.seq} in ${room.name}, expected ${room.log.length + 1}`,
    );
    expect(
      'MSG-10',
      room.log.every((m) => m.messageId !== ack.messageId),
      `messageId ${ack.messageId} repeated`,
    );
    room.log.push({ seq: ack.seq, messageId: ack.messageId, ts: ack.ts, from: s.user.name, text, clientId });
    room.sent.set(`${s.user.key}:${clientId}`, ack.seq);
  }
  toString = () => `send(s${this.s}, ${JSON.stringify(this.text)}${this.retry ? ', retry' : ''})`;
}

class History implements Cmd {
  constructor(
    readonly s: number,
    readonly limit: number,
  ) {}
  check = (w: World) => w.ctx.has(Capability.HISTORY) && w.openSessions().some((s) => s.rooms.size > 0);
  async run(_m: World, w: World) {
    const s = pick(
      w.openSessions().filter((x) => x.rooms.size > 0),
      this.s,
    )!;
    const room = w.room([...s.rooms][0]!);
    const page = await s.conn.ok('HIST-1', { type: 'history', room: room.name, limit: this.limit });
    const want = room.log.slice(-this.limit);
    const got = page.messages.map((m) => `${m.seq}:${m.messageId}:${m.text}`).join(',');
    expect(
      'HIST-5',
      got === want.map((m) => `${m.seq}:${m.messageId}:${m.text}`).join(','),
      `history of ${room.name} limit ${this.limit} returned seqs [${page.messages.map((m) => m.seq).join(',')}], log has ${room.log.length}`,
    );
    expect(
      'HIST-3',
      page.more === room.log.length > this.limit,
      `history more=${page.more} with ${room.log.length} messages, limit ${this.limit}`,
    );
  }
  toString = () => `history(s${this.s}, ${this.limit})`;
}

class Typing implements Cmd {
  constructor(
    readonly s: number,
    readonly active: boolean,
  ) {}
  check = (w: World) => w.ctx.has(Capability.TYPING) && w.openSessions().some((s) => s.rooms.size > 0);
  async run(_m: World, w: World) {
    const s = pick(
      w.openSessions().filter((x) => x.rooms.size > 0),
      this.s,
    )!;
    const reply = await s.conn.request({ type: 'typing', room: [...s.rooms][0]!, active: this.active });
    if (reply.type === 'error' && reply.code === ErrorCode.RATE_LIMITED) return;
    expect('TYPE-1', reply.type === 'ok', `typing answered ${reply.type}`);
  }
  toString = () => `typing(s${this.s}, ${this.active})`;
}

class Disconnect implements Cmd {
  constructor(readonly s: number) {}
  check = (w: World) => w.openSessions().length > 0;
  async run(_m: World, w: World) {
    const s = pick(w.openSessions(), this.s)!;
    s.conn.kill();
    await s.conn.closed;
    s.open = false;
    w.scan(s);
    for (const room of s.rooms) w.room(room).maybe.add(s.user.name);
  }
  toString = () => `disconnect(s${this.s})`;
}

class Resume implements Cmd {
  constructor(readonly s: number) {}
  check = (w: World) =>
    w.openSessions().length < MAX_SESSIONS && w.sessions.some((s) => !s.open && !s.resumed && s.views.size > 0);
  async run(_m: World, w: World) {
    const old = pick(
      w.sessions.filter((s) => !s.open && !s.resumed && s.views.size > 0),
      this.s,
    )!;
    old.resumed = true;
    const s = await openSession(w, old.user);
    for (const [name, view] of old.views) {
      const room = w.room(name);
      if (room.epoch === undefined) continue;
      const id = s.conn.id();
      s.pending.set(id, { kind: 'resume', room: name, fromSeq: view.nextSeq - 1, logLength: room.log.length });
      s.rooms.add(name);
      await s.conn.ok('RES-1', { type: 'join', id, room: name, epoch: room.epoch, seq: view.nextSeq - 1 });
    }
  }
  toString = () => `reconnect-and-resume(s${this.s})`;
}

class Sync implements Cmd {
  check = () => true;
  async run(_m: World, w: World) {
    await Promise.all(w.openSessions().map((s) => s.conn.barrier()));
    w.checkSynced();
  }
  toString = () => 'sync';
}

/** The start of every run: two users, each in a room, one in both, so commands have something to act on. */
export async function prologue(w: World): Promise<void> {
  for (const rooms of [[0], [0, 1]]) {
    const s = await openSession(w, undefined);
    for (const r of rooms) await new Join(s.n, r).join(s, w);
  }
}

/** Every command, with weights that keep sends and syncs frequent. */
export function commandArbitraries(): fc.Arbitrary<Cmd>[] {
  const s = fc.nat({ max: 7 });
  const send = fc
    .tuple(s, fc.constantFrom('hi', 'สวัสดี', '👋🏽', 'a\nb', 'same'), fc.boolean())
    .map(([x, t, retry]) => new Send(x, t, retry));
  return [
    send,
    send,
    fc.tuple(fc.nat({ max: 3 }), fc.boolean()).map(([u, fresh]) => new Connect(u, fresh)),
    fc.tuple(s, fc.nat({ max: 3 })).map(([x, r]) => new Join(x, r)),
    s.map((x) => new Leave(x)),
    fc
      .tuple(s, fc.constantFrom('hi', 'สวัสดี', '👋🏽', 'a\nb', 'same'), fc.boolean())
      .map(([x, t, retry]) => new Send(x, t, retry)),
    fc.tuple(s, fc.constantFrom('hi', 'again')).map(([x, t]) => new Send(x, t, false)),
    fc.tuple(s, fc.integer({ min: 1, max: 5 })).map(([x, l]) => new History(x, l)),
    fc.tuple(s, fc.boolean()).map(([x, a]) => new Typing(x, a)),
    s.map((x) => new Disconnect(x)),
    s.map((x) => new Resume(x)),
    fc.constant(new Sync()),
  ];
}
