/**
 * The version 2 commands of the model-based test: edit, delete, react and
 * unreact a message of a joined room (refused as the model predicts when
 * the user is not the author or the message is gone), move a read marker,
 * and open a direct room. Each accepted change is checked against its ack
 * and committed to the model's truth.
 *
 * @module
 */

import { type ChatMessage, EntryKind, ErrorCode } from '@kuykan/protocol';
import fc from 'fast-check';
import { expectError } from '../context.js';
import { expect } from '../failure.js';
import { accept, type Cmd, joinedSession, pick } from './common.js';
import { newRoom, reacts } from './fold.js';
import type { ModelSession, World } from './world.js';

const EMOJI = ['👍', '❤️', '🎉'];

/** A v2 session in a room, the room, and a message of it (picked by `t`), if any. */
function target(w: World, sN: number, t: number) {
  const s = joinedSession(w, sN, true);
  if (!s) return undefined;
  const room = w.room([...s.rooms][sN % s.rooms.size]!);
  const message = pick(
    room.log.filter((e) => e.kind === undefined),
    t,
  );
  return message && { s, room, message, truth: room.truth.get(message.messageId)! };
}

const v2Joined = (w: World) => w.ctx.v2 && w.openSessions().some((s) => s.version >= 2 && s.rooms.size > 0);

class Change implements Cmd {
  constructor(
    readonly kind: 'edit' | 'delete' | 'react' | 'unreact',
    readonly s: number,
    readonly t: number,
    readonly n: number,
  ) {}
  check = v2Joined;
  async run(_m: World, w: World) {
    const found = target(w, this.s, this.t);
    if (!found) return;
    const { s, room, message, truth } = found;
    const clientId = `${this.kind}-${room.log.length}-${w.ctx.random(1e9)}`;
    const base = { room: room.name, target: message.messageId, clientId };
    const emoji = EMOJI[this.n % EMOJI.length]!;
    const text = `edit ${this.n}`;
    const reply =
      this.kind === 'edit'
        ? await s.conn.settled({ type: 'edit', ...base, text, mentions: truth.mentions })
        : this.kind === 'delete'
          ? await s.conn.settled({ type: 'delete', ...base })
          : await s.conn.settled({ type: 'react', ...base, emoji, on: this.kind === 'react' });
    const author = message.from === s.user.name;
    if (this.kind === 'edit' || this.kind === 'delete') {
      if (!author) return expectError(this.kind === 'edit' ? 'EDIT-1' : 'DEL-1', reply, ErrorCode.NOT_AUTHOR);
    }
    if (truth.deleted) return expectError('DEL-3', reply, ErrorCode.MESSAGE_DELETED);
    expect('LOG-1', reply.type === 'ack', `${this} was refused: ${JSON.stringify(reply)}`);
    if (this.kind === 'react' || this.kind === 'unreact') {
      // Reacting as the user already does (from any session), or taking back nothing, commits nothing [LOG-5].
      if (reacts(room, message.messageId, emoji, s.user.name) === (this.kind === 'react')) {
        expect(
          'LOG-5',
          reply.seq === 0 && reply.messageId === message.messageId,
          `${this} changes nothing but was acked ${JSON.stringify(reply)}`,
        );
        return;
      }
    }
    const entry: ChatMessage = {
      seq: reply.seq,
      messageId: reply.messageId,
      ts: reply.ts,
      from: s.user.name,
      text: this.kind === 'edit' ? text : '',
      clientId,
      kind:
        this.kind === 'edit'
          ? EntryKind.EDIT
          : this.kind === 'delete'
            ? EntryKind.DELETE
            : this.kind === 'react'
              ? EntryKind.REACT
              : EntryKind.UNREACT,
      target: message.messageId,
    };
    if (this.kind === 'react' || this.kind === 'unreact') entry.emoji = emoji;
    if (this.kind === 'edit' && truth.mentions?.length) entry.mentions = [...truth.mentions];
    accept(w, s, room.name, entry, 'LOG-1');
  }
  toString = () => `${this.kind}(s${this.s}, m${this.t}, ${this.n})`;
}

class Read implements Cmd {
  constructor(
    readonly s: number,
    readonly seq: number,
  ) {}
  check = v2Joined;
  async run(_m: World, w: World) {
    const s = joinedSession(w, this.s, true)!;
    const room = w.room([...s.rooms][this.s % s.rooms.size]!);
    // Mostly forward (the marker moves when the log has more), sometimes at or below it (nothing changes).
    const marker = w.marker(s.user, room.name);
    const ahead = room.log.length - marker;
    const seq = this.seq % 3 !== 0 && ahead > 0 ? marker + 1 + (this.seq % ahead) : this.seq % (marker + 1);
    await s.conn.ok('READ-1', { type: 'read', room: room.name, seq });
    if (seq <= marker) return;
    w.markers.set(`${s.user.name}\n${room.name}`, seq);
    // Every other v2 session of the user, joined or not, hears of it [READ-2].
    for (const other of w.openSessions())
      if (other !== s && other.user === s.user && other.version >= 2)
        other.expected.push(`readMarker ${room.name} ${seq}`);
  }
  toString = () => `read(s${this.s}, ${this.seq})`;
}

export class Direct implements Cmd {
  constructor(
    readonly s: number,
    readonly u: number,
  ) {}
  check = (w: World) => w.ctx.v2 && w.openSessions().some((s) => s.version >= 2);
  async run(_m: World, w: World) {
    const s = pick(
      w.openSessions().filter((x) => x.version >= 2),
      this.s,
    ) as ModelSession;
    const other = pick(w.users, this.u)!;
    const pair = [s.user.name, other.name].sort().join('\n');
    const known = w.pairs.get(pair);
    // "Online" includes the presence grace, which the model cannot time: only users with an open session.
    if (!known && !w.openSessions().some((x) => x.user === other)) return;
    const reply = await s.conn.settled({ type: 'dm', name: other.name });
    if (other === s.user) return expectError('DM-1', reply, ErrorCode.DIRECT_INVALID);
    expect('DM-2', reply.type === 'directRoom', `dm ${other.name} was refused: ${JSON.stringify(reply)}`);
    expect(
      'DM-2',
      reply.name === other.name && (known === undefined || reply.room === known),
      `dm ${other.name} answered ${JSON.stringify(reply)}, the pair's room is ${known}`,
    );
    if (known) return;
    w.pairs.set(pair, reply.room);
    w.rooms.push(newRoom(reply.room, [s.user.name, other.name]));
  }
  toString = () => `dm(s${this.s}, user ${this.u})`;
}

/** The v2 commands, given the session index arbitrary. */
export function changeArbitraries(s: fc.Arbitrary<number>): fc.Arbitrary<Cmd>[] {
  const t = fc.nat({ max: 9 });
  const change = (kind: Change['kind']) =>
    fc.tuple(s, t, fc.nat({ max: 5 })).map(([x, m, n]) => new Change(kind, x, m, n));
  return [
    change('edit'),
    change('delete'),
    change('react'),
    change('react'),
    change('unreact'),
    fc.tuple(s, fc.nat({ max: 40 })).map(([x, seq]) => new Read(x, seq)),
    fc.tuple(s, fc.nat({ max: 3 })).map(([x, u]) => new Direct(x, u)),
  ];
}
