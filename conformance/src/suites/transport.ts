/**
 * §2–§3 Transport and frames: subprotocol, binary-only, malformed and
 * unknown frames, unknown keys, nil, integers, extension types.
 *
 * @module
 */

import { CloseCode, ErrorCode, encodeFrame, FrameType, SUBPROTOCOL } from '@kuykan/protocol';
import { expectError } from '../context.js';
import { expect, Failure } from '../failure.js';
import type { TestCase } from '../runner.js';
import { ext, raw, stillServing } from './helpers.js';

const section = 'transport';

export const transport: TestCase[] = [
  {
    id: 'transport/subprotocol-selected',
    section,
    covers: ['WIRE-1'],
    title: 'the server selects kuykan.v1 when the client offers it',
    async run(ctx) {
      const { conn } = await ctx.session();
      expect('WIRE-1', conn.ws.protocol === SUBPROTOCOL, `server selected subprotocol "${conn.ws.protocol}"`);
    },
  },
  {
    id: 'transport/unknown-subprotocol-refused',
    section,
    covers: ['WIRE-2'],
    title: 'an upgrade offering no spoken subprotocol is answered with HTTP 400',
    async run(ctx) {
      for (const protocols of [['kuykan.v999'], []]) {
        try {
          const conn = await ctx.connect('bad-proto', { protocols });
          conn.close();
          throw new Failure('WIRE-2', `upgrade offering [${protocols.join(',')}] was accepted`);
        } catch (error) {
          if (error instanceof Failure) throw error;
          const status = (error as { status?: number }).status;
          expect(
            'WIRE-2',
            status === 400,
            `upgrade offering [${protocols.join(',')}] failed with ${status ?? (error as Error).message}, not HTTP 400`,
          );
        }
      }
    },
  },
  {
    id: 'transport/trailing-bytes-malformed',
    section,
    covers: ['WIRE-3', 'WIRE-9'],
    title: 'a binary message with bytes after the frame is BAD_FRAME and the connection stays open',
    async run(ctx) {
      const user = await ctx.user();
      const ping = encodeFrame({ type: 'ping', id: 41 });
      user.conn.sendRaw(new Uint8Array([...ping, 0xc0]), 'ping + trailing nil');
      expectError(
        'WIRE-3',
        await user.conn.next((f) => f.type === 'error' || f.type === 'pong', 'reply'),
        ErrorCode.BAD_FRAME,
      );
      await stillServing('WIRE-9', user);
    },
  },
  {
    id: 'transport/text-message-closes-1003',
    section,
    covers: ['WIRE-4', 'CLOSE-1'],
    title: 'a text WebSocket message closes the connection with 1003',
    async run(ctx) {
      const { conn } = await ctx.session();
      conn.sendRaw('{"t":9,"i":1}');
      const info = await conn.waitClose('after a text message');
      expect('WIRE-4', info.code === CloseCode.UNSUPPORTED_DATA, `closed with ${info.code}, expected 1003`);
    },
  },
  {
    id: 'transport/no-compression',
    section,
    covers: ['WIRE-7'],
    title: 'the server declines permessage-deflate by default',
    async run(ctx) {
      const conn = await ctx.connect('deflate', { perMessageDeflate: true });
      const extensions = conn.ws.extensions;
      expect('WIRE-7', !String(extensions).includes('permessage-deflate'), `server negotiated ${extensions}`);
    },
  },
  {
    id: 'transport/unknown-keys-ignored',
    section,
    covers: ['WIRE-8'],
    title: 'unknown map keys in a request are ignored',
    async run(ctx) {
      const user = await ctx.user();
      const room = ctx.room();
      user.conn.sendRaw(raw({ t: FrameType.join, i: 7, r: room, zz: [1, 2], future: { a: 1 } }), 'join + unknown keys');
      const reply = await user.conn.next((f) => 'id' in f && f.id === 7, 'reply to join #7');
      expect('WIRE-8', reply.type === 'joined', `join with unknown keys answered ${reply.type}`);
      user.conn.sendRaw(raw({ t: FrameType.ping, i: 8, x: 'ignored' }), 'ping + unknown key');
      const pong = await user.conn.next((f) => 'id' in f && f.id === 8, 'reply to ping #8');
      expect('WIRE-8', pong.type === 'pong', `ping with unknown key answered ${pong.type}`);
    },
  },
  {
    id: 'transport/malformed-frames',
    section,
    covers: ['WIRE-9', 'REQ-4', 'REQ-2', 'ERR-1'],
    title:
      'malformed frames are answered with BAD_FRAME (with the request id when valid) and the connection stays open',
    async run(ctx) {
      const user = await ctx.user();
      const cases: { bytes: Uint8Array; id?: number; note: string }[] = [
        { bytes: raw([FrameType.ping, 1]), note: 'an array, not a map' },
        { bytes: raw('ping'), note: 'a string' },
        { bytes: new Uint8Array([0xc1]), note: 'reserved byte 0xc1' },
        { bytes: raw({ i: 3 }), note: 'no t' },
        { bytes: raw({ t: -1, i: 4 }), id: 4, note: 'negative t' },
        { bytes: raw({ t: 'ping', i: 5 }), id: 5, note: 't is a string' },
        { bytes: raw({ t: FrameType.join, i: 6, r: 5 }), id: 6, note: 'room is a number' },
        { bytes: raw({ t: FrameType.send, i: 7, r: 'x', c: 'c1' }), id: 7, note: 'send without text' },
        { bytes: raw({ t: FrameType.typing, i: 8, r: 'x', a: 'yes' }), id: 8, note: 'active is a string' },
        { bytes: raw({ t: FrameType.ping }), note: 'ping without id' },
      ];
      for (const c of cases) {
        user.conn.sendRaw(c.bytes, c.note);
        const reply = await user.conn.next((f) => f.type === 'error' || f.type === 'pong', `error for ${c.note}`);
        expectError('WIRE-9', reply, ErrorCode.BAD_FRAME);
        if (c.id !== undefined && reply.type === 'error') {
          expect('REQ-4', reply.id === c.id, `error for "${c.note}" carries id ${String(reply.id)}, expected ${c.id}`);
        }
      }
      await stillServing('WIRE-9', user);
    },
  },
  {
    id: 'transport/unknown-type',
    section,
    covers: ['WIRE-10'],
    title: 'an unknown type or a server-to-client type from a client is UNKNOWN_TYPE and the connection stays open',
    async run(ctx) {
      const user = await ctx.user();
      for (const [t, id] of [
        [40, 21],
        [200, 22],
        [FrameType.welcome, 23],
        [FrameType.message, 24],
      ] as const) {
        user.conn.sendRaw(raw({ t, i: id }), `type ${t}`);
        const reply = await user.conn.next((f) => f.type === 'error', `error for type ${t}`);
        expectError('WIRE-10', reply, ErrorCode.UNKNOWN_TYPE);
        expect('REQ-4', reply.type === 'error' && reply.id === id, `UNKNOWN_TYPE for type ${t} lacks request id ${id}`);
      }
      await stillServing('WIRE-10', user);
    },
  },
  {
    id: 'transport/nil-equals-absent',
    section,
    covers: ['WIRE-11'],
    title: 'an optional field that is nil means the same as absent',
    async run(ctx) {
      const user = await ctx.user();
      const room = ctx.room();
      user.conn.sendRaw(raw({ t: FrameType.join, i: 30, r: room, e: null, s: null }), 'join with nil epoch and seq');
      const joined = await user.conn.next((f) => 'id' in f && f.id === 30, 'reply to join #30');
      expect('WIRE-11', joined.type === 'joined', `join with nil epoch/seq answered ${joined.type}`);
      expect(
        'WIRE-11',
        joined.type === 'joined' && joined.recovered === undefined,
        'join with nil epoch/seq was treated as a resume',
      );
      if (ctx.has('history')) {
        user.conn.sendRaw(
          raw({ t: FrameType.history, i: 31, r: room, b: null, a: null, l: null }),
          'history with nil fields',
        );
        const page = await user.conn.next((f) => 'id' in f && f.id === 31, 'reply to history #31');
        expect('WIRE-11', page.type === 'page', `history with nil fields answered ${page.type}`);
      }
    },
  },
  {
    id: 'transport/integer-rules',
    section,
    covers: ['WIRE-12', 'WIRE-13'],
    title: 'floats, negative or oversize integers and extension types are malformed',
    async run(ctx) {
      const user = await ctx.user();
      const room = ctx.room();
      await ctx.join(user, room);
      const cases: { value: Record<string, unknown>; req: string; note: string }[] = [
        { value: { t: FrameType.ping, i: 1.5 }, req: 'WIRE-12', note: 'float request id' },
        { value: { t: FrameType.ping, i: 2 ** 32 }, req: 'WIRE-12', note: 'request id 2^32' },
        { value: { t: FrameType.history, i: 50, r: room, l: 2.5 }, req: 'WIRE-12', note: 'float limit' },
        { value: { t: FrameType.history, i: 51, r: room, b: -3 }, req: 'WIRE-12', note: 'negative before' },
        { value: { t: FrameType.history, i: 52, r: room, a: 2 ** 53 }, req: 'WIRE-12', note: 'after 2^53' },
        { value: { t: FrameType.join, i: 53, r: ext() }, req: 'WIRE-13', note: 'extension type as room' },
        { value: { t: FrameType.ping, i: 54, x: ext() }, req: 'WIRE-13', note: 'extension type in an unknown key' },
      ];
      for (const c of cases) {
        user.conn.sendRaw(raw(c.value), c.note);
        const reply = await user.conn.next(
          (f) => f.type === 'error' || f.type === 'pong' || f.type === 'page' || f.type === 'joined',
          `reply to ${c.note}`,
        );
        expectError(c.req, reply, ErrorCode.BAD_FRAME);
      }
      await stillServing('WIRE-12', user);
    },
  },
];
