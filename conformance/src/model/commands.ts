/**
 * fast-check commands of the model-based test: connect (a new user or
 * another session of one, speaking version 1 or 2), join, leave, send
 * (with retries of the same clientId, and in v2 replies and mentions),
 * history, typing, disconnect, reconnect-and-resume, and a sync barrier
 * followed by the oracle. Indices are resolved modulo the current sizes, so
 * shrinking stays valid. The v2 changes are in `changes.ts`.
 *
 * @module
 */

import { Capability, type ChatMessage, ErrorCode, previewText } from '@kuykan/protocol';
import fc from 'fast-check';
import { expectError } from '../context.js';
import { expect } from '../failure.js';
import { changeArbitraries, Direct } from './changes.js';
import { accept, type Cmd, joinedSession, pick } from './common.js';
import { expectRecord as compare, served } from './fold.js';
import type { ModelSession, ModelUser, World } from './world.js';

export type { Cmd };

const MAX_SESSIONS = 6;

async function openSession(world: World, user: ModelUser | undefined, v1: boolean): Promise<ModelSession> {
  const { ctx } = world;
  const n = world.sessions.length;
  const versions = v1 ? [1] : undefined;
  const u = await ctx.user(`m${n}`, user ? { name: user.name, key: user.key, versions } : { versions });
  const modelUser = user ?? { name: u.name, key: u.key };
  if (!user) world.users.push(modelUser);
  const session: ModelSession = {
    n,
    user: modelUser,
    conn: u.conn,
    version: u.conn.version,
    open: true,
    cursor: 0,
    views: new Map(),
    pending: new Map(),
    rooms: new Set(),
    resumed: false,
    expected: [],
  };
  world.sessions.push(session);
  return session;
}

class Connect implements Cmd {
  constructor(
    readonly userN: number,
    readonly fresh: boolean,
    readonly v1: boolean,
  ) {}
  check = (w: World) => w.openSessions().length < MAX_SESSIONS;
  async run(_m: World, w: World) {
    const reuse = !this.fresh || w.users.length >= 3;
    await openSession(w, reuse ? pick(w.users, this.userN) : undefined, this.v1);
  }
  toString = () => `connect(${this.fresh ? 'new user' : `user ${this.userN}`}${this.v1 ? ', v1' : ''})`;
}

export class Join implements Cmd {
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
    if (room.direct) {
      // A direct room's members only, and only in v2 [DM-3]; a v1 session has nothing defined there.
      if (s.version < 2) return;
      if (!room.direct.includes(s.user.name)) {
        const reply = await s.conn.settled({ type: 'join', room: room.name });
        expectError('DM-3', reply, ErrorCode.FORBIDDEN);
        return;
      }
    }
    const id = s.conn.id();
    s.pending.set(id, { kind: 'join', room: room.name, expect: w.expectJoin(s, room) });
    s.rooms.add(room.name);
    await s.conn.ok(room.direct ? 'DM-3' : 'ROOM-3', { type: 'join', id, room: room.name });
  }
  toString = () => `join(s${this.s}, r${this.r})`;
}

class Leave implements Cmd {
  constructor(readonly s: number) {}
  check = (w: World) => w.openSessions().some((s) => s.rooms.size > 0);
  async run(_m: World, w: World) {
    const s = joinedSession(w, this.s)!;
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
    readonly replyTo?: number,
    readonly mention?: number,
  ) {}
  check = (w: World) => w.openSessions().some((s) => s.rooms.size > 0);
  async run(_m: World, w: World) {
    const s = joinedSession(w, this.s)!;
    const room = w.room([...s.rooms][this.s % s.rooms.size]!);
    const mine = [...room.sent.entries()].filter(([k, e]) => k.startsWith(`${s.user.key}:`) && e.kind === undefined);
    const previous = this.retry ? mine.at(-1)?.[1] : undefined;
    if (previous) {
      const ack = await s.conn.ok('MSG-5', {
        type: 'send',
        room: room.name,
        clientId: previous.clientId!,
        text: previous.text || 'x',
      });
      expect(
        'MSG-5',
        ack.seq === previous.seq && ack.messageId === previous.messageId && ack.ts === previous.ts,
        `retry of ${previous.clientId} answered seq ${ack.seq}, original ${previous.seq}`,
      );
      return;
    }
    const v2 = s.version >= 2;
    const messages = room.log.filter((e) => e.kind === undefined);
    const target = v2 && this.replyTo !== undefined ? pick(messages, this.replyTo) : undefined;
    const name = v2 && this.mention !== undefined ? pick(w.users, this.mention)?.name : undefined;
    const clientId = `m${room.log.length}-${w.ctx.random(1e9)}`;
    const reply = await s.conn.settled({
      type: 'send',
      room: room.name,
      clientId,
      text: this.text,
      replyTo: target?.messageId,
      mentions: name ? [name] : undefined,
    });
    if (target && room.truth.get(target.messageId)!.deleted)
      return expectError('REPLY-1', reply, ErrorCode.MESSAGE_DELETED);
    expect('MSG-1', reply.type === 'ack', `send was refused: ${JSON.stringify(reply)}`);
    const original = target && served(room, target.messageId, s.user.name);
    const entry: ChatMessage = {
      seq: reply.seq,
      messageId: reply.messageId,
      ts: reply.ts,
      from: s.user.name,
      text: this.text,
      clientId,
    };
    if (original)
      entry.reply = { messageId: original.messageId, from: original.from, text: previewText(original.text) };
    if (name) entry.mentions = [name];
    accept(w, s, room.name, entry, 'MSG-9');
  }
  toString = () =>
    `send(s${this.s}, ${JSON.stringify(this.text)}${this.retry ? ', retry' : ''}${this.replyTo !== undefined ? `, reply ${this.replyTo}` : ''}${this.mention !== undefined ? `, @${this.mention}` : ''})`;
}

class History implements Cmd {
  constructor(
    readonly s: number,
    readonly limit: number,
  ) {}
  check = (w: World) => w.ctx.has(Capability.HISTORY) && w.openSessions().some((s) => s.rooms.size > 0);
  async run(_m: World, w: World) {
    const s = joinedSession(w, this.s)!;
    const room = w.room([...s.rooms][0]!);
    const page = await s.conn.ok('HIST-1', { type: 'history', room: room.name, limit: this.limit });
    const shown = room.log.filter(
      (e) => e.kind === undefined && !(s.version < 2 && room.truth.get(e.messageId)!.deleted),
    );
    const want = shown.slice(-this.limit);
    const text = (m: ChatMessage) => (s.version < 2 ? room.truth.get(m.messageId)!.text : m.text);
    const got = page.messages.map((m) => `${m.seq}:${m.messageId}`).join(',');
    expect(
      'HIST-5',
      got === want.map((m) => `${m.seq}:${m.messageId}`).join(','),
      `history of ${room.name} limit ${this.limit} returned seqs [${page.messages.map((m) => m.seq).join(',')}], the log has ${room.log.length}`,
    );
    page.messages.forEach((m, i) => {
      if (s.version >= 2) expectRecord(m, want[i]!);
      else expect('VER-4', m.text === text(want[i]!), `a v1 page serves seq ${m.seq} as ${JSON.stringify(m.text)}`);
    });
    expect(
      'HIST-3',
      page.more === shown.length > this.limit,
      `history more=${page.more} with ${shown.length} messages, limit ${this.limit}`,
    );
    function expectRecord(got: ChatMessage, logged: ChatMessage) {
      compare('FOLD-1', `history of ${room.name}`, got, served(room, logged.messageId, s.user.name), true);
    }
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
    const s = joinedSession(w, this.s)!;
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
    s.expected.length = 0;
    for (const room of s.rooms) w.room(room).maybe.add(s.user.name);
  }
  toString = () => `disconnect(s${this.s})`;
}

class Resume implements Cmd {
  constructor(readonly s: number) {}
  check = (w: World) =>
    w.ctx.has(Capability.RESUME) &&
    w.openSessions().length < MAX_SESSIONS &&
    w.sessions.some((s) => !s.open && !s.resumed && s.views.size > 0);
  async run(_m: World, w: World) {
    const old = pick(
      w.sessions.filter((s) => !s.open && !s.resumed && s.views.size > 0),
      this.s,
    )!;
    old.resumed = true;
    const s = await openSession(w, old.user, old.version < 2);
    for (const [name, view] of old.views) {
      const room = w.room(name);
      if (room.epoch === undefined) continue;
      const id = s.conn.id();
      const from = { seq: view.nextSeq - 1, held: view.records };
      s.pending.set(id, { kind: 'join', room: name, expect: w.expectJoin(s, room, from) });
      s.rooms.add(name);
      await s.conn.ok('RES-1', { type: 'join', id, room: name, epoch: room.epoch, seq: from.seq });
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
export async function prologue(w: World, v2 = false): Promise<void> {
  for (const rooms of [[0], [0, 1]]) {
    const s = await openSession(w, undefined, false);
    for (const r of rooms) await new Join(s.n, r).join(s, w);
  }
  if (!v2) return;
  // And what the v2 property is about from the first command: a second session of the first user
  // (in no room), a v1 session of the second in room 0, a third user in room 1, and the first two's direct room.
  const [a, b] = w.users as [ModelUser, ModelUser];
  await openSession(w, a, false);
  const old = await openSession(w, b, true);
  await new Join(old.n, 0).join(old, w);
  const third = await openSession(w, undefined, false);
  await new Join(third.n, 1).join(third, w);
  await new Direct(0, 1).run(w, w);
}

const TEXTS = ['hi', 'สวัสดี', '👋🏽', 'a\nb', 'same'];

/** Every command, with weights that keep sends and syncs frequent; `v2` adds replies, mentions and the changes. */
export function commandArbitraries(v2 = false): fc.Arbitrary<Cmd>[] {
  const s = fc.nat({ max: 7 });
  const send = fc.tuple(s, fc.constantFrom(...TEXTS), fc.boolean()).map(([x, t, retry]) => new Send(x, t, retry));
  const commands = [
    send,
    send,
    fc.tuple(fc.nat({ max: 3 }), fc.boolean(), fc.boolean()).map(([u, fresh, v1]) => new Connect(u, fresh, v2 && v1)),
    fc.tuple(s, fc.nat({ max: 5 })).map(([x, r]) => new Join(x, r)),
    s.map((x) => new Leave(x)),
    fc.tuple(s, fc.constantFrom('hi', 'again')).map(([x, t]) => new Send(x, t, false)),
    fc.tuple(s, fc.integer({ min: 1, max: 5 })).map(([x, l]) => new History(x, l)),
    fc.tuple(s, fc.boolean()).map(([x, a]) => new Typing(x, a)),
    s.map((x) => new Disconnect(x)),
    s.map((x) => new Resume(x)),
    fc.constant(new Sync()),
  ];
  if (!v2) return commands;
  const extras = fc
    .tuple(s, fc.constantFrom(...TEXTS), fc.option(fc.nat({ max: 9 })), fc.option(fc.nat({ max: 3 })))
    .map(([x, t, r, m]) => new Send(x, t, false, r ?? undefined, m ?? undefined));
  // Missing entries and resuming is what the v2 property is about: disconnects and resumes twice as often.
  const away = [s.map((x) => new Disconnect(x)), s.map((x) => new Resume(x))];
  return [...commands, extras, extras, ...away, ...changeArbitraries(s)];
}
