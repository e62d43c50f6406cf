/**
 * §5 and §15 Security: hostile input never affects other connections, and
 * the server stays able to accept new ones.
 *
 * @module
 */

import { FrameType } from '@kuykan/protocol';
import { expect } from '../failure.js';
import type { TestCase } from '../runner.js';
import { raw, stillServing, usersInRoom } from './helpers.js';

const section = 'security';

/** Inputs that have broken decoders elsewhere: deep nesting, huge declared lengths, bad UTF-8. */
export const HOSTILE: { bytes: Uint8Array; note: string }[] = [
  { bytes: new Uint8Array([0xdf, 0xff, 0xff, 0xff, 0xff]), note: 'map32 declaring 4G entries' },
  { bytes: new Uint8Array([0xdd, 0xff, 0xff, 0xff, 0xff]), note: 'array32 declaring 4G items' },
  { bytes: new Uint8Array([0xdb, 0x7f, 0xff, 0xff, 0xff, 0x61]), note: 'str32 declaring 2G bytes' },
  { bytes: new Uint8Array(Array(2000).fill(0x91)), note: '2000 nested arrays' },
  { bytes: new Uint8Array([0x82, 0xa1, 0x74, 0x09, 0xa1, 0x69, 0xa2, 0xff, 0xfe]), note: 'invalid UTF-8 in i' },
  {
    bytes: raw({ t: FrameType.send, i: 5, r: { a: { b: { c: { d: { e: 1 } } } } }, c: 'x', x: 'y' }),
    note: 'nested maps as room',
  },
  {
    bytes: raw({ t: FrameType.join, i: 6, r: 'x', __proto__: { polluted: true }, constructor: 1 }),
    note: 'prototype keys',
  },
  { bytes: new Uint8Array(0), note: 'empty message' },
];

export const security: TestCase[] = [
  {
    id: 'security/hostile-frames-isolated',
    section,
    covers: ['SEC-5', 'WIRE-14'],
    title: 'hostile frames on one connection leave other connections served and new ones accepted',
    async run(ctx) {
      const { room, users } = await usersInRoom(ctx, 2);
      const [victim, bystander] = users as [(typeof users)[0], (typeof users)[0]];
      for (const h of HOSTILE) {
        if (!victim.conn.open) break;
        victim.conn.sendRaw(h.bytes, h.note);
      }
      if (victim.conn.open) await victim.conn.barrier().catch(() => undefined);
      await stillServing('SEC-5', bystander);
      await ctx.send(bystander, room, 'still here');
      const fresh = await ctx.user('fresh');
      expect('SEC-5', fresh.conn.open, 'a new connection could not be opened after hostile input');
    },
  },
];
