/**
 * Edge inputs a hand-written server gets wrong: control characters other
 * than LF and tab, DEL and lone surrogates in text (MSG-2), integral floats
 * and integers above 2^53 − 1 (WIRE-12), and extension types in frames that
 * have a valid request id (REQ-4, WIRE-13).
 *
 * @module
 */

import { ErrorCode, FrameType } from '@kuykan/protocol';
import { encode } from '@msgpack/msgpack';
import { expectError, showError } from '../context.js';
import { expect } from '../failure.js';
import type { TestCase } from '../runner.js';
import type { WireClient } from '../wire.js';
import { ext, messagesOf, stillServing, usersInRoom } from './helpers.js';
import { float64, uint64, wireMap } from './wire-map.js';

const section = 'edge-inputs';

/** Sends raw bytes and returns the next frame answering `id` (or an error without id). */
async function answer(conn: WireClient, bytes: Uint8Array, id: number, note: string) {
  conn.avoidIds([id]);
  conn.sendRaw(bytes, note);
  return conn.next((f) => ('id' in f && f.id === id) || (f.type === 'error' && f.id === undefined), `reply to ${note}`);
}

export const edgeInputs: TestCase[] = [
  {
    id: 'edge-inputs/control-text',
    section,
    covers: ['MSG-2'],
    title: 'text with CR, DEL, a C1 control or a lone surrogate is TEXT_INVALID and never delivered',
    async run(ctx) {
      const { room, users } = await usersInRoom(ctx, 2);
      const [a, b] = users as [(typeof users)[0], (typeof users)[0]];
      let id = 500;
      for (const text of ['line\r\nbreak', 'carriage\rreturn', 'delete\u007f', 'c1 \u009b31m', 'vertical\u000btab']) {
        const reply = await a.conn.request({ type: 'send', id: id++, room, clientId: `ctl${id}`, text });
        expectError('MSG-2', reply, ErrorCode.TEXT_INVALID);
      }
      // A lone surrogate cannot be valid UTF-8, so a server may also refuse the string itself as malformed.
      for (const [text, note] of [
        ['high \ud800 alone', 'lone high surrogate'],
        ['low \udc00 alone', 'lone low surrogate'],
        ['reversed \udc00\ud800', 'reversed pair'],
      ] as const) {
        const i = id++;
        const reply = await answer(
          a.conn,
          encode({ t: FrameType.send, i, r: room, c: `sur${i}`, x: text }),
          i,
          `send with a ${note}`,
        );
        expect(
          'MSG-2',
          reply.type === 'error' && (reply.code === ErrorCode.TEXT_INVALID || reply.code === ErrorCode.BAD_FRAME),
          `text with a ${note} answered ${showError(reply)}, expected TEXT_INVALID`,
        );
      }
      await ctx.sync(a, b);
      const got = messagesOf(b, room);
      expect('MSG-2', got.length === 0, `invalid text was delivered: ${JSON.stringify(got.map((m) => m.text))}`);
    },
  },
  {
    id: 'edge-inputs/wire-numbers',
    section,
    covers: ['WIRE-12', 'REQ-4'],
    title: 'integral floats and integers above 2^53 − 1 are BAD_FRAME, answered with the request id when it is valid',
    async run(ctx) {
      const user = await ctx.user();
      const room = ctx.room();
      const joined = await ctx.join(user, room);
      const epoch = joined.epoch;
      const withId: { map: Record<string, unknown>; note: string }[] = [
        { map: { t: FrameType.history, i: 601, r: room, l: float64(3) }, note: 'history limit 3.0 (float64)' },
        { map: { t: FrameType.history, i: 602, r: room, b: float64(2) }, note: 'history before 2.0 (float64)' },
        { map: { t: FrameType.join, i: 603, r: room, e: epoch, s: float64(0) }, note: 'join seq 0.0 (float64)' },
        { map: { t: FrameType.history, i: 604, r: room, a: uint64(2n ** 53n) }, note: 'history after 2^53 (uint64)' },
        {
          map: { t: FrameType.join, i: 605, r: room, e: epoch, s: uint64(2n ** 64n - 1n) },
          note: 'join seq 2^64−1 (uint64)',
        },
        { map: { t: FrameType.typing, i: 606, r: room, a: float64(1) }, note: 'typing active 1.0' },
      ];
      for (const c of withId) {
        const id = c.map.i as number;
        const reply = await answer(user.conn, wireMap(c.map), id, c.note);
        expectError('WIRE-12', reply, ErrorCode.BAD_FRAME);
        expect('REQ-4', reply.type === 'error' && reply.id === id, `error for ${c.note} carries no id ${id}`);
      }
      for (const [map, note] of [
        [{ t: FrameType.ping, i: float64(610) }, 'ping with request id 610.0 (float64)'],
        [{ t: FrameType.ping, i: uint64(2n ** 32n) }, 'ping with request id 2^32 (uint64)'],
        [{ t: float64(FrameType.ping), i: 612 }, 'frame type 9.0 (float64)'],
      ] as const) {
        user.conn.avoidIds([610, 612]);
        user.conn.sendRaw(wireMap(map), note);
        const reply = await user.conn.next((f) => f.type === 'error' || f.type === 'pong', `reply to ${note}`);
        expectError('WIRE-12', reply, ErrorCode.BAD_FRAME);
      }
      await stillServing('WIRE-12', user);
    },
  },
  {
    id: 'edge-inputs/extension-types',
    section,
    covers: ['WIRE-13', 'REQ-4'],
    title: 'a frame holding an extension type is BAD_FRAME and the error carries its valid request id',
    async run(ctx) {
      const user = await ctx.user();
      const room = ctx.room();
      await ctx.join(user, room);
      const cases: { value: Record<string, unknown>; note: string }[] = [
        { value: { t: FrameType.send, i: 701, r: room, c: 'x1', x: ext() }, note: 'extension type as text' },
        { value: { t: FrameType.ping, i: 702, zz: ext() }, note: 'extension type in an unknown key' },
        { value: { t: FrameType.history, i: 703, r: room, l: ext() }, note: 'extension type as limit' },
        { value: { t: FrameType.join, i: 704, r: room, zz: [1, { y: ext() }] }, note: 'nested extension type' },
      ];
      for (const c of cases) {
        const id = c.value.i as number;
        const reply = await answer(user.conn, encode(c.value), id, c.note);
        expectError('WIRE-13', reply, ErrorCode.BAD_FRAME);
        expect(
          'REQ-4',
          reply.type === 'error' && reply.id === id,
          `error for ${c.note} carries id ${reply.type === 'error' ? String(reply.id) : '-'}, expected ${id}`,
        );
      }
      await stillServing('WIRE-13', user);
    },
  },
];
