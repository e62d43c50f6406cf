/**
 * Helpers shared by the version 2 suites (§16, §17): rooms of v2 users,
 * change requests (edit, delete, react) that wait out rate limits, the
 * folded records a v2 session is served, and the proof that a refused
 * request changed nothing.
 *
 * @module
 */

import {
  type AckFrame,
  Capability,
  type ChatMessage,
  ErrorCode,
  type ErrorFrame,
  type MessageFrame,
  type ServerFrame,
  validateReaction,
} from '@kuykan/protocol';
import { delay, expectError, type TestContext, type UserConn } from '../context.js';
import { expect } from '../failure.js';
import { messagesOf, usersInRoom } from './helpers.js';

let clientIds = 0;

/** A clientId no request of this run used yet. */
export function freshId(label = 'v'): string {
  return `${label}${clientIds++}-${Date.now().toString(36)}`;
}

/** `n` v2 users in one fresh room (skips the test as "not offered" on a version 1 server). */
export async function v2Room(ctx: TestContext, n: number, label = 'u') {
  ctx.needV2();
  return usersInRoom(ctx, n, label);
}

/** Fields a v2 `send` may add. */
export interface SendExtras {
  readonly replyTo?: string;
  readonly mentions?: string[];
  readonly files?: string[];
}

/** Sends a message (v2 extras allowed) and returns its ack; a refusal fails `requirement`. */
export async function post(
  user: UserConn,
  room: string,
  text: string,
  extras: SendExtras = {},
  requirement = 'MSG-1',
): Promise<AckFrame> {
  return user.conn.ok(requirement, { type: 'send', room, clientId: freshId('s'), text, ...extras });
}

/** Edits a message; a refusal fails `requirement`. */
export function edit(
  user: UserConn,
  room: string,
  target: string,
  text: string,
  mentions?: string[],
  requirement = 'EDIT-3',
) {
  return user.conn.ok(requirement, { type: 'edit', room, target, clientId: freshId('e'), text, mentions });
}

/** Deletes a message; a refusal fails `requirement`. */
export function remove(user: UserConn, room: string, target: string, requirement = 'DEL-1') {
  return user.conn.ok(requirement, { type: 'delete', room, target, clientId: freshId('d') });
}

/**
 * What a refusal test aims at, all by the room's first user: a message of
 * another room, a message, an edit entry of it, and a deleted message.
 */
export async function refusalTargets(ctx: TestContext) {
  const { room, users } = await v2Room(ctx, 2);
  const [a, b] = users as [UserConn, UserConn];
  const other = ctx.room('other');
  await ctx.join(a, other);
  const elsewhere = await post(a, other, 'in another room');
  const message = await post(a, room, 'a message');
  const edited = await edit(a, room, message.messageId, 'a message, edited');
  const deleted = await post(a, room, 'deleted soon');
  await remove(a, room, deleted.messageId);
  return { room, a, b, elsewhere, message, edited, deleted };
}

/** Adds (or with `on` false removes) a reaction; a refusal fails `requirement`. */
export function react(user: UserConn, room: string, target: string, emoji: string, on = true, requirement = 'REACT-2') {
  return user.conn.ok(requirement, { type: 'react', room, target, clientId: freshId('r'), emoji, on });
}

/**
 * The entry an ack acknowledged, as the requesting connection received it:
 * one `message` frame with the ack's messageId, seq and ts, before the ack
 * [LOG-1, MSG-9, MSG-12].
 */
export function entryOf(user: UserConn, ack: AckFrame, requirement = 'LOG-1'): MessageFrame {
  const log = user.conn.log;
  const at = log.indexOf(ack);
  const entries = log.filter((f): f is MessageFrame => f.type === 'message' && f.messageId === ack.messageId);
  expect(requirement, entries.length === 1, `${user.conn.label} received ${entries.length} entries ${ack.messageId}`);
  const entry = entries[0]!;
  expect(requirement, log.indexOf(entry) < at, `${user.conn.label}: the ack of ${ack.messageId} came before its entry`);
  expect(
    requirement,
    entry.seq === ack.seq && entry.ts === ack.ts && entry.room === ack.room,
    `entry ${JSON.stringify({ seq: entry.seq, ts: entry.ts })} differs from its ack ${JSON.stringify({ seq: ack.seq, ts: ack.ts })}`,
  );
  return entry;
}

/** The one entry with `messageId` a watcher received (after a barrier). */
export async function seenBy(user: UserConn, room: string, messageId: string, requirement = 'LOG-1') {
  await user.conn.barrier();
  const entries = user.conn.log.filter(
    (f): f is MessageFrame => f.type === 'message' && f.room === room && f.messageId === messageId,
  );
  expect(requirement, entries.length === 1, `${user.conn.label} received ${entries.length} copies of ${messageId}`);
  return entries[0]!;
}

/**
 * The message records of a room as `user` is served them now, folded
 * [FOLD-1]: every page of history, or a fresh join of a twin session when
 * `history` is not offered (then only the latest `joinRecent`).
 */
export async function records(ctx: TestContext, user: UserConn, room: string): Promise<ChatMessage[]> {
  if (ctx.has(Capability.HISTORY)) {
    const all: ChatMessage[] = [];
    let after = 0;
    for (;;) {
      const page = await user.conn.ok('HIST-1', { type: 'history', room, after, limit: ctx.limits.historyPageMax });
      all.push(...page.messages);
      if (!page.more || page.messages.length === 0) return all;
      after = page.messages.at(-1)!.seq;
    }
  }
  // A user without a key cannot have a twin session (LOGIN-3): a stranger's view differs only in `me`.
  const twin = user.key === null ? await ctx.user('probe') : await ctx.user('twin', { name: user.name, key: user.key });
  const joined = await ctx.join(twin, room);
  twin.conn.close();
  return joined.messages;
}

/** The folded record of one message (fails `requirement` when it is not served). */
export async function recordOf(
  ctx: TestContext,
  user: UserConn,
  room: string,
  messageId: string,
  requirement = 'FOLD-1',
): Promise<ChatMessage> {
  const found = (await records(ctx, user, room)).find((m) => m.messageId === messageId);
  expect(requirement, found, `message ${messageId} of ${room} is not served in history`);
  return found;
}

/** Asserts a refusal with exactly `code` (and the request's id). */
export function refused(requirement: string, reply: unknown, code: ErrorCode, what: string): void {
  try {
    expectError(requirement, reply as ErrorFrame, code);
  } catch (error) {
    (error as Error).message = `${what}: ${(error as Error).message}`;
    throw error;
  }
}

/** The state refused requests must leave as it is. */
export interface Snapshot {
  readonly user: UserConn;
  readonly room: string;
  readonly records: ChatMessage[];
  readonly watchers: UserConn[];
}

/** Takes the room's records and drains the entries `watchers` (members of the room) received so far. */
export async function snapshot(
  ctx: TestContext,
  user: UserConn,
  room: string,
  watchers: UserConn[],
): Promise<Snapshot> {
  await ctx.sync(...watchers);
  for (const watcher of watchers) messagesOf(watcher, room);
  return { user, room, records: await records(ctx, user, room), watchers };
}

/**
 * Proves refused requests changed nothing since `snap`: the room's records
 * are as they were, and no watcher received an entry.
 */
export async function unchanged(ctx: TestContext, requirement: string, snap: Snapshot): Promise<void> {
  await ctx.sync(...snap.watchers);
  for (const watcher of snap.watchers) {
    const got = messagesOf(watcher, snap.room);
    expect(
      requirement,
      got.length === 0,
      `a refused request committed ${got.length} entries: ${watcher.conn.label} received seq ${got.map((m) => m.seq).join(',')}`,
    );
  }
  const after = await records(ctx, snap.user, snap.room);
  expect(
    requirement,
    JSON.stringify(after) === JSON.stringify(snap.records),
    `a refused request changed the room's records: ${diff(snap.records, after)}`,
  );
}

function diff(before: ChatMessage[], after: ChatMessage[]): string {
  for (let i = 0; i < Math.max(before.length, after.length); i++) {
    const a = JSON.stringify(before[i]);
    const b = JSON.stringify(after[i]);
    if (a !== b) return `record ${i} was ${a}, is ${b}`;
  }
  return 'no difference';
}

/** `n` distinct single RGI emoji (each one reaction by [REACT-1]). */
export function distinctEmoji(n: number): string[] {
  const out: string[] = [];
  for (let cp = 0x1f600; out.length < n && cp < 0x1faff; cp++) {
    const emoji = String.fromCodePoint(cp);
    if (validateReaction(emoji).ok) out.push(emoji);
  }
  return out;
}

/** The code point order of §9 [ROOM-11] (JavaScript's `<` compares UTF-16 units, which differs above U+FFFF). */
export function codePointCompare(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** The roomList entry of `room` as `user` is served it (paging from just before its name), if listed. */
export async function listed(user: UserConn, room: string, requirement = 'ROOM-9') {
  const after = [...room].slice(0, -1).join('');
  const page = await user.conn.ok(requirement, { type: 'rooms', after, limit: 50 });
  return page.rooms.find((r) => r.room === room);
}

/**
 * Logs in as `name` with `key` once the name is free again: its last
 * session closed at `closedAt` and the presence grace ran out (LOGIN-3).
 */
export async function loginWhenFree(
  ctx: TestContext,
  label: string,
  name: string,
  key: string | null,
  closedAt: number,
): Promise<UserConn> {
  const grace = ctx.limits.presenceGraceMs;
  await delay(Math.max(0, closedAt + grace - Date.now()));
  const deadline = closedAt + grace + 5_000;
  const { conn } = await ctx.session(label);
  for (;;) {
    const reply = await conn.settled({ type: 'login', name, key: key ?? undefined });
    if (reply.type === 'loggedIn') return { conn, name: reply.name, key };
    expect(
      'LOGIN-3',
      reply.code === ErrorCode.NAME_TAKEN && Date.now() < deadline,
      `login as ${name} after its user left was refused: ${reply.code} "${reply.message}"`,
    );
    await delay(200);
  }
}

/** A request built field by field (bad inputs): its reply after any rate-limit wait. */
export function ask(user: UserConn, frame: Record<string, unknown>): Promise<ServerFrame> {
  return user.conn.settled(frame as never) as Promise<ServerFrame>;
}
