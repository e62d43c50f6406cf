/**
 * §3.1 strict decoding, §5.4 error precedence and §4 limit rules: what a
 * lenient decoder would accept or alter is refused, so that two
 * implementations agree on every input.
 *
 * @module
 */

import { CloseCode, ErrorCode, LIMIT_MINIMUMS, type Limits } from '@kuykan/protocol';
import { expectError } from '../context.js';
import { expect } from '../failure.js';
import type { TestCase } from '../runner.js';
import { raw, stillServing } from './helpers.js';

const section = 'strict-input';

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'hex'));
/** MessagePack of a string under 256 bytes (fixstr or str8). */
const str = (text: string): string => {
  const bytes = Buffer.from(text, 'utf8');
  const head =
    bytes.length < 32 ? (0xa0 + bytes.length).toString(16) : `d9${bytes.length.toString(16).padStart(2, '0')}`;
  return head + bytes.toString('hex');
};
/** A ping map `{t: 9, i: id}` with `extra` entries (already encoded) appended. */
const ping = (id: number, extra: string[] = []): Uint8Array =>
  hex(
    `${(0x82 + extra.length).toString(16) + str('t')}09${str('i')}${id.toString(16).padStart(2, '0')}${extra.join('')}`,
  );

export const strictInput: TestCase[] = [
  {
    id: 'strict-input/no-floats',
    section,
    covers: ['WIRE-12', 'WIRE-19'],
    title: 'a float anywhere, even an integral one, is BAD_FRAME with the request id when it is valid',
    async run(ctx) {
      const user = await ctx.user();
      const cases: { bytes: Uint8Array; id?: number; note: string }[] = [
        { bytes: hex(`82${str('t')}cb4022000000000000${str('i')}31`), id: 0x31, note: 't is 9.0' },
        { bytes: hex(`82${str('t')}09${str('i')}cb401c000000000000`), note: 'i is 7.0' },
        { bytes: ping(0x32, [`${str('zz')}ca3f800000`]), id: 0x32, note: 'float32 1.0 under an unknown key' },
      ];
      for (const c of cases) {
        user.conn.sendRaw(c.bytes, c.note);
        const reply = await user.conn.next((f) => f.type === 'error' || f.type === 'pong', `reply to ${c.note}`);
        expectError('WIRE-12', reply, ErrorCode.BAD_FRAME);
        if (reply.type === 'error') {
          expect(
            'WIRE-19',
            reply.id === c.id,
            `error for "${c.note}" carries id ${String(reply.id)}, expected ${c.id}`,
          );
        }
      }
      await stillServing('WIRE-12', user);
    },
  },
  {
    id: 'strict-input/utf8-refused-never-altered',
    section,
    covers: ['WIRE-15'],
    title: 'strings that are not UTF-8 (stray, overlong, surrogate, in keys) are BAD_FRAME, never repaired',
    async run(ctx) {
      const user = await ctx.user();
      const room = ctx.room();
      await ctx.join(user, room);
      const send = (id: number, text: string) =>
        hex(
          `85${str('t')}05${str('i')}${id.toString(16)}${str('r')}${str(room)}${str('c')}${str(`c${id}`)}${str('x')}${text}`,
        );
      const cases: { bytes: Uint8Array; note: string }[] = [
        { bytes: send(0x41, 'a361ff62'), note: 'text 61 ff 62' },
        { bytes: send(0x42, 'a3c08061'), note: 'text with overlong NUL c0 80' },
        { bytes: send(0x43, 'a3eda080'), note: 'text with the surrogate ed a0 80' },
        { bytes: hex(`83${str('t')}03${str('i')}44${str('r')}a46c6fff79`), note: 'room lo\\xffy' },
        { bytes: ping(0x45, ['a2c1b401']), note: 'a key written as overlong "t"' },
      ];
      for (const c of cases) {
        user.conn.sendRaw(c.bytes, c.note);
        const reply = await user.conn.next((f) => 'id' in f && f.id !== undefined, `reply to ${c.note}`);
        expectError('WIRE-15', reply, ErrorCode.BAD_FRAME);
      }
      await stillServing('WIRE-15', user);
    },
  },
  {
    id: 'strict-input/keys-unique-strings',
    section,
    covers: ['WIRE-16', 'WIRE-8'],
    title: 'duplicate or non-string keys are BAD_FRAME; __proto__ and constructor are ignored like any unknown key',
    async run(ctx) {
      const user = await ctx.user();
      for (const [bytes, note] of [
        [ping(0x51, [`${str('t')}05`]), 'a second t'],
        [ping(0x52, ['0102']), 'the integer key 1'],
      ] as const) {
        user.conn.sendRaw(bytes, note);
        expectError(
          'WIRE-16',
          await user.conn.next((f) => f.type === 'error' || f.type === 'pong', note),
          ErrorCode.BAD_FRAME,
        );
      }
      user.conn.sendRaw(ping(0x53, [`${str('__proto__')}80`, `${str('constructor')}01`]), 'prototype keys');
      const reply = await user.conn.next((f) => 'id' in f && f.id === 0x53, 'reply to a ping with prototype keys');
      expect('WIRE-8', reply.type === 'pong', `a ping with __proto__ and constructor keys answered ${reply.type}`);
    },
  },
  {
    id: 'strict-input/depth-and-size-caps',
    section,
    covers: ['WIRE-17', 'WIRE-18'],
    title: 'nesting and map sizes are capped exactly at MAX_DEPTH and MAX_MAP_ENTRIES, unknown keys included',
    async run(ctx) {
      const user = await ctx.user();
      const next = (id: number, note: string) =>
        user.conn.next((f) => f.type === 'error' || ('id' in f && f.id === id), note);
      user.conn.sendRaw(ping(0x61, [`${str('zz')}${'91'.repeat(5)}c0`]), '6 levels under an unknown key');
      const six = await next(0x61, 'reply to 6 levels');
      expect('WIRE-17', six.type === 'pong', `6 levels of nesting answered ${six.type}`);
      user.conn.sendRaw(ping(0x62, [`${str('zz')}${'91'.repeat(6)}c0`]), '7 levels under an unknown key');
      expectError('WIRE-17', await next(0x62, 'reply to 7 levels'), ErrorCode.BAD_FRAME);
      const entries = (count: number, id: number) => {
        let map = `de${count.toString(16).padStart(4, '0')}${str('t')}09${str('i')}${id.toString(16)}`;
        for (let n = 0; n < count - 2; n++) map += `${str(`k${n}`)}00`;
        return hex(map);
      };
      user.conn.sendRaw(entries(256, 0x63), 'a map of 256 entries');
      const full = await next(0x63, 'reply to 256 entries');
      expect('WIRE-18', full.type === 'pong', `a map of 256 entries answered ${full.type}`);
      user.conn.sendRaw(entries(257, 0x64), 'a map of 257 entries');
      expectError('WIRE-18', await next(0x64, 'reply to 257 entries'), ErrorCode.BAD_FRAME);
    },
  },
  {
    id: 'strict-input/names-people-can-trust',
    section,
    covers: ['NAME-3', 'NAME-5', 'NAME-6', 'NAME-7'],
    title: 'look-alike, mixed-script, invisible and line-forging names are refused; emoji sequences are not',
    async run(ctx) {
      const owner = await ctx.user('alice');
      // The same name in full-width letters has the same skeleton [NAME-5].
      const wide = [...owner.name].map((c) => (/[a-z]/.test(c) ? String.fromCodePoint(c.codePointAt(0)! + 0xfee0) : c));
      const { conn } = await ctx.session('impostor');
      const taken = await conn.request({ type: 'login', name: wide.join(''), key: ctx.key() });
      expectError('NAME-5', taken, ErrorCode.NAME_TAKEN);
      for (const [requirement, name] of [
        ['NAME-6', `${ctx.name('m')}\u0430`],
        ['NAME-3', `${ctx.name('i')}\u3164`],
        ['NAME-3', `${ctx.name('v')}\ufe0f`],
        ['NAME-7', `${ctx.name('f')}: hi`.slice(-20)],
      ] as const) {
        expectError(requirement, await conn.request({ type: 'login', name, key: ctx.key() }), ErrorCode.NAME_INVALID);
      }
      const emoji = await conn.request({ type: 'login', name: `${ctx.name('e')}👩‍💻`, key: ctx.key() });
      expect(
        'NAME-6',
        emoji.type === 'loggedIn',
        `a name with the ZWJ sequence 👩‍💻 was refused: ${JSON.stringify(emoji)}`,
      );
    },
  },
  {
    id: 'strict-input/unknown-first-frame',
    section,
    covers: ['HS-2'],
    title: 'a first frame of an unknown type is answered HANDSHAKE_REQUIRED (not UNKNOWN_TYPE) and closed with 4002',
    async run(ctx) {
      const conn = await ctx.connect('unknown-first');
      conn.sendRaw(raw({ t: 99, i: 5 }), 'type 99 as first frame');
      expectError('HS-2', await conn.next((f) => f.type === 'error', 'error'), ErrorCode.HANDSHAKE_REQUIRED);
      const info = await conn.waitClose('after an unknown first frame');
      expect('HS-2', info.code === CloseCode.HANDSHAKE_VIOLATION, `closed with ${info.code}, expected 4002`);
    },
  },
  {
    id: 'strict-input/error-precedence',
    section,
    covers: ['ERR-3'],
    title: 'a request breaking several rules is answered with the first in the order of §5.4',
    async run(ctx) {
      const { conn } = await ctx.session();
      const first = await conn.request({ type: 'send', room: '', clientId: '', text: '' });
      expectError('ERR-3', first, ErrorCode.NOT_LOGGED_IN);
      const user = await ctx.user();
      const cases = [
        [{ type: 'send', room: 'has space', clientId: '', text: '' }, ErrorCode.ROOM_INVALID],
        [{ type: 'send', room: ctx.room(), clientId: '', text: '' }, ErrorCode.NOT_IN_ROOM],
        [{ type: 'join', room: 'has space', epoch: 'x' }, ErrorCode.ROOM_INVALID],
        [{ type: 'history', room: ctx.room(), before: 1, after: 1 }, ErrorCode.NOT_IN_ROOM],
      ] as const;
      for (const [frame, code] of cases) expectError('ERR-3', await user.conn.request(frame), code);
      const room = ctx.room();
      await ctx.join(user, room);
      expectError(
        'ERR-3',
        await user.conn.request({ type: 'send', room, clientId: '', text: '' }),
        ErrorCode.CLIENT_ID_INVALID,
      );
      expectError('ERR-3', await user.conn.request({ type: 'login', name: '', key: 'k' }), ErrorCode.ALREADY_LOGGED_IN);
    },
  },
  {
    id: 'strict-input/refusals-cost-no-token',
    section,
    covers: ['LIMIT-7'],
    title: 'sends refused for bad text consume no rate token: a full burst of valid sends follows them',
    async run(ctx) {
      const { welcome } = await ctx.session('limits');
      const burst = welcome.limits.sendBurst;
      if (burst > 200) return; // A huge burst would take long to exhaust; nothing to see.
      const user = await ctx.user();
      const room = ctx.room();
      await ctx.join(user, room);
      for (let n = 0; n < burst; n++) {
        expectError(
          'LIMIT-7',
          await user.conn.request({ type: 'send', room, clientId: `bad${n}`, text: ' ' }),
          ErrorCode.TEXT_INVALID,
        );
      }
      // Over a burst of refusals, a bucket that charged them would now be empty.
      const replies = await Promise.all(
        Array.from({ length: burst }, (_, n) =>
          user.conn.request({ type: 'send', room, clientId: `ok${n}`, text: 'hi' }),
        ),
      );
      const limited = replies.filter((r) => r.type === 'error').length;
      expect('LIMIT-7', limited === 0, `${limited} of ${burst} valid sends after ${burst} refused ones were refused`);
    },
  },
  {
    id: 'strict-input/limit-minimums',
    section,
    covers: ['LIMIT-6'],
    title: 'every advertised limit is an integer no smaller than LIMIT_MINIMUMS',
    async run(ctx) {
      const { welcome } = await ctx.session();
      const limits = welcome.limits as unknown as Record<string, number | undefined>;
      for (const [key, minimum] of Object.entries(LIMIT_MINIMUMS) as [keyof Limits, number][]) {
        const value = limits[key];
        if (value === undefined) continue;
        expect(
          'LIMIT-6',
          Number.isSafeInteger(value) && value >= minimum,
          `limit ${key} is ${value}, below ${minimum}`,
        );
      }
    },
  },
];
