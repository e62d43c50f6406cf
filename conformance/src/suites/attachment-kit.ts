/**
 * What the attachment suites (§17) share: a room of v2 users on a server
 * offering `files`, an upload (slot and PUT), downloads, and checks of HTTP
 * refusals and of the headers every download carries.
 *
 * @module
 */

import { Capability, type UploadSlotFrame } from '@kuykan/protocol';
import type { TestContext, UserConn } from '../context.js';
import { expect } from '../failure.js';
import { type HttpReply, json, png, resolveHttp, send } from './http.js';
import { v2Room } from './v2.js';

/** v2 users in one room, on a server that offers files. */
export async function filesRoom(ctx: TestContext, n: number) {
  ctx.needV2();
  ctx.need(Capability.FILES);
  return v2Room(ctx, n);
}

/** Asks for a slot and PUTs `bytes` with its token; returns the slot, the answer and its JSON. */
export async function upload(
  ctx: TestContext,
  user: UserConn,
  room: string,
  name: string,
  bytes: Buffer,
  mediaType: string,
) {
  const slot = await user.conn.ok('ATT-1', { type: 'upload', room, name, size: bytes.length, mediaType });
  const reply = await put(ctx, user, slot, bytes);
  return { slot, reply, file: json(reply) ?? {} };
}

export function put(
  ctx: TestContext,
  user: UserConn,
  slot: UploadSlotFrame,
  bytes: Buffer,
  extra: Parameters<typeof send>[4] = {},
) {
  const headers = { authorization: `Bearer ${slot.token}`, ...extra.headers };
  return send('PUT', resolveHttp(user.conn.ws.url, slot.url), bytes, ctx.settings.timeoutMs, { ...extra, headers });
}

/** Uploads a file that must be accepted (201) and returns its id. */
export async function uploaded(
  ctx: TestContext,
  user: UserConn,
  room: string,
  name = 'pic.png',
  bytes = png(8, 8),
): Promise<string> {
  const { reply, file } = await upload(ctx, user, room, name, bytes, 'image/png');
  expect(
    'ATT-1',
    reply?.status === 201 && typeof file.fileId === 'string',
    `a PUT of ${bytes.length} bytes answered ${show(reply)}`,
  );
  return file.fileId as string;
}

export function get(ctx: TestContext, user: UserConn, url: string | URL, headers: Record<string, string> = {}) {
  const target = typeof url === 'string' ? resolveHttp(user.conn.ws.url, url) : url;
  return send('GET', target, undefined, ctx.settings.timeoutMs, { headers }) as Promise<HttpReply>;
}

export const show = (reply: HttpReply | undefined) =>
  reply ? `HTTP ${reply.status} ${reply.body.toString('utf8').slice(0, 200)}` : 'no answer (connection dropped)';

/** Asserts an HTTP refusal with `status` and a JSON body naming `code`. */
export function httpRefused(
  requirement: string,
  reply: HttpReply | undefined,
  status: number,
  code: number,
  what: string,
) {
  expect(
    requirement,
    reply?.status === status && json(reply)?.code === code,
    `${what} answered ${show(reply)}, expected HTTP ${status} with code ${code}`,
  );
}

/** The headers every download carries [ATT-4]. */
export function safeHeaders(reply: HttpReply, what: string) {
  expect(
    'ATT-4',
    reply.headers['x-content-type-options'] === 'nosniff',
    `${what} is served without X-Content-Type-Options: nosniff`,
  );
  const csp = String(reply.headers['content-security-policy'] ?? '');
  expect(
    'ATT-4',
    /\bsandbox\b/.test(csp) && /default-src 'none'/.test(csp),
    `${what} is served with Content-Security-Policy "${csp}"`,
  );
}
