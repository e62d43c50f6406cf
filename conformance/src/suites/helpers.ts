/**
 * Small helpers shared by the suites: raw wire maps, padding strings to a
 * code-point length, and a logged-in pair in one room.
 *
 * @module
 */

import type { ServerFrame } from '@kuykan/protocol';
import { ExtData, encode } from '@msgpack/msgpack';
import type { TestContext, UserConn } from '../context.js';
import { expect } from '../failure.js';

/** Encodes any value as MessagePack, bypassing the codec's validation (for malformed-input tests). */
export function raw(value: unknown): Uint8Array {
  return encode(value);
}

/** A MessagePack extension value (forbidden by WIRE-13). */
export function ext(): ExtData {
  return new ExtData(7, new Uint8Array([1, 2, 3]));
}

/** `base` padded with `fill` to exactly `length` code points. */
export function padTo(base: string, length: number, fill = 'x'): string {
  const chars = [...base];
  while (chars.length < length) chars.push(fill);
  return chars.slice(0, length).join('');
}

/** `n` logged-in users, all joined to one fresh room. */
export async function usersInRoom(
  ctx: TestContext,
  n: number,
  label = 'u',
): Promise<{ room: string; users: UserConn[] }> {
  const room = ctx.room();
  const users: UserConn[] = [];
  for (let i = 0; i < n; i++) {
    const user = await ctx.user(`${label}${i}`);
    await ctx.join(user, room);
    users.push(user);
  }
  await ctx.sync(...users);
  for (const user of users) user.conn.take((f) => f.type === 'presence');
  return { room, users };
}

/** Presence events of `room` still unread on a connection. */
export function presenceOf(user: UserConn, room: string) {
  return user.conn.take<Extract<ServerFrame, { type: 'presence' }>>((f) => f.type === 'presence' && f.room === room);
}

/** Messages of `room` still unread on a connection. */
export function messagesOf(user: UserConn, room: string) {
  return user.conn.take<Extract<ServerFrame, { type: 'message' }>>((f) => f.type === 'message' && f.room === room);
}

/** Checks the connection is still open and serving (ping barrier). */
export async function stillServing(requirement: string, user: UserConn | { conn: UserConn['conn'] }): Promise<void> {
  expect(
    requirement,
    user.conn.open,
    `${user.conn.label} was closed (${user.conn.closeInfo?.code}) but must stay open`,
  );
  await user.conn.barrier();
}
