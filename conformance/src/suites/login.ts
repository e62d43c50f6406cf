/**
 * §3.3, §6 and §8: login before other requests, name normalization and
 * validation, case-insensitive uniqueness, multi-session keys, token auth.
 *
 * @module
 */

import { Capability, ErrorCode } from '@kuykan/protocol';
import { expectError } from '../context.js';
import { expect } from '../failure.js';
import type { TestCase } from '../runner.js';
import { padTo, presenceOf, usersInRoom } from './helpers.js';

const section = 'login';

/** The `name` (else `sub`) claim of a JWT, if the token is one. */
function tokenName(token: string | undefined): string | undefined {
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { name?: unknown; sub?: unknown };
    const name = typeof claims.name === 'string' ? claims.name : claims.sub;
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}

export const login: TestCase[] = [
  {
    id: 'login/requests-need-login',
    section,
    covers: ['REQ-5'],
    title: 'requests other than hello, login and ping before login get NOT_LOGGED_IN',
    async run(ctx) {
      const { conn } = await ctx.session();
      const room = ctx.room();
      const requests = [
        { type: 'join', room },
        { type: 'leave', room },
        { type: 'send', room, clientId: 'c1', text: 'hi' },
        { type: 'history', room },
        { type: 'rooms' },
        { type: 'typing', room, active: true },
      ] as const;
      for (const frame of requests) {
        const id = conn.id();
        const reply = await conn.request({ ...frame, id } as never);
        expectError('REQ-5', reply, ErrorCode.NOT_LOGGED_IN, id);
      }
    },
  },
  {
    id: 'login/normalized-name',
    section,
    covers: ['LOGIN-1', 'NAME-1'],
    title: 'loggedIn.name is the NFC-normalized, trimmed name, and others see that name',
    async run(ctx) {
      const { room, users } = await usersInRoom(ctx, 1);
      const base = ctx.name('n');
      const sent = `  ${base}e\u0301 `;
      const user = await ctx.user('nfd', { name: sent });
      const expected = `${base}\u00e9`;
      expect(
        'NAME-1',
        user.name === expected,
        `login "${sent}" gave name ${JSON.stringify(user.name)}, expected ${JSON.stringify(expected)}`,
      );
      await ctx.join(user, room);
      await ctx.sync(users[0]!);
      const seen = presenceOf(users[0]!, room).map((p) => p.name);
      expect(
        'LOGIN-1',
        seen.includes(expected),
        `others saw presence of ${JSON.stringify(seen)}, expected ${JSON.stringify(expected)}`,
      );
    },
  },
  {
    id: 'login/name-length',
    section,
    covers: ['NAME-2', 'LIMIT-1', 'LOGIN-2'],
    title: 'names of 1 to maxNameLength code points are accepted, longer or empty ones refused',
    async run(ctx) {
      const max = ctx.limits.maxNameLength;
      const { conn } = await ctx.session();
      for (const name of ['', '   ', padTo(ctx.name('L'), max + 1, 'ก')]) {
        const reply = await conn.request({ type: 'login', name, key: ctx.key() });
        expectError('NAME-2', reply, ErrorCode.NAME_INVALID);
      }
      // The same session may try again after refusals [LOGIN-2].
      const exact = padTo(ctx.name('L'), max, 'ก');
      const ok = await conn.request({ type: 'login', name: exact, key: ctx.key() });
      expect('LIMIT-1', ok.type === 'loggedIn', `name of exactly maxNameLength (${max}) code points was refused`);
    },
  },
  {
    id: 'login/forbidden-characters',
    section,
    covers: ['NAME-3', 'LOGIN-2'],
    title: 'names with control, format, private-use, unassigned or separator characters are refused',
    async run(ctx) {
      const { conn } = await ctx.session();
      const base = ctx.name('f');
      for (const bad of ['\u0007', '\u200b', '\ue000', '\u0378', '\u2028', '\u2029', '\u0085']) {
        const reply = await conn.request({ type: 'login', name: `${base}${bad}x`, key: ctx.key() });
        expectError('NAME-3', reply, ErrorCode.NAME_INVALID);
      }
      const ok = await conn.request({ type: 'login', name: base, key: ctx.key() });
      expect('LOGIN-2', ok.type === 'loggedIn', 'a session could not log in after refused names');
    },
  },
  {
    id: 'login/any-script',
    section,
    covers: ['NAME-4'],
    title: 'names in Thai (with combining marks), Arabic, CJK and with emoji are accepted',
    async run(ctx) {
      for (const script of ['สมชาย', 'น้ำ', 'سلام', '你好', 'Zoë😀']) {
        const name = `${script}${ctx.prefix.slice(1, 5)}${ctx.random(1000)}`;
        const user = await ctx.user('script', { name });
        expect('NAME-4', user.name === name.normalize('NFC'), `name ${name} came back as ${user.name}`);
        user.conn.close();
      }
    },
  },
  {
    id: 'login/case-insensitive-unique',
    section,
    covers: ['NAME-5', 'LOGIN-3'],
    title: 'a name online under another case or key is NAME_TAKEN; the same key joins the user',
    async run(ctx) {
      const name = `${ctx.name('Case')}Ab`;
      const first = await ctx.user('first', { name });
      for (const variant of [name, name.toUpperCase(), name.toLowerCase(), ` ${name.toLowerCase()} `]) {
        const { conn } = await ctx.session('other');
        const reply = await conn.request({ type: 'login', name: variant, key: ctx.key() });
        expectError(variant === name ? 'LOGIN-3' : 'NAME-5', reply, ErrorCode.NAME_TAKEN);
      }
      const same = await ctx.user('same-key', { name: name.toUpperCase(), key: first.key });
      expect('LOGIN-3', same.name.toLowerCase() === name.toLowerCase(), `same-key login named ${same.name}`);
    },
  },
  {
    id: 'login/name-held-during-grace',
    section,
    covers: ['LOGIN-3'],
    title: 'a name stays taken while its user is within the presence grace',
    async run(ctx) {
      const { users } = await usersInRoom(ctx, 1);
      const held = users[0]!;
      held.conn.kill();
      await held.conn.closed;
      const { conn } = await ctx.session('taker');
      const reply = await conn.request({ type: 'login', name: held.name, key: ctx.key() });
      expectError('LOGIN-3', reply, ErrorCode.NAME_TAKEN);
      // The owner's key still logs in (multi-session / reconnect).
      const back = await ctx.user('back', { name: held.name, key: held.key });
      expect('LOGIN-3', back.name === held.name, 'owner could not log in again with its key');
    },
  },
  {
    id: 'login/second-login',
    section,
    covers: ['LOGIN-4'],
    title: 'a second login on a logged-in session gets ALREADY_LOGGED_IN',
    async run(ctx) {
      const user = await ctx.user();
      const id = user.conn.id();
      const reply = await user.conn.request({ type: 'login', id, name: ctx.name(), key: ctx.key() });
      expectError('LOGIN-4', reply, ErrorCode.ALREADY_LOGGED_IN, id);
    },
  },
  {
    id: 'login/token-auth',
    section,
    covers: ['LOGIN-5'],
    title: 'on a token-auth server a missing or invalid token is UNAUTHORIZED and a valid one names the user',
    async run(ctx) {
      ctx.need(Capability.TOKEN_AUTH);
      for (const token of [undefined, 'not-a-token', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.AAAA']) {
        const conn = await ctx.connect('token');
        conn.send({ type: 'hello', versions: [1], client: 'kuykan-conformance', token });
        await conn.next((f) => f.type === 'welcome', 'welcome');
        const reply = await conn.request({ type: 'login', name: ctx.name() });
        expectError('LOGIN-5', reply, ErrorCode.UNAUTHORIZED);
      }
      // With a valid token (--token / --token-cmd) the token's name wins over login.name.
      const { conn } = await ctx.session('valid');
      const claimed = tokenName(await ctx.settings.token?.());
      const reply = await conn.request({ type: 'login', name: ctx.name('ignored') });
      expect('LOGIN-5', reply.type === 'loggedIn', `login with a valid token was refused: ${JSON.stringify(reply)}`);
      if (claimed !== undefined && reply.type === 'loggedIn') {
        expect(
          'LOGIN-5',
          reply.name === claimed.normalize('NFC').trim(),
          `token names ${JSON.stringify(claimed)} but the session is ${JSON.stringify(reply.name)}`,
        );
      }
    },
  },
  {
    id: 'login/key-never-echoed',
    section,
    covers: ['LOGIN-6', 'SEC-7'],
    title: 'login keys never appear in any frame sent to any client',
    async run(ctx) {
      // Every frame of every test is scanned for keys; this test makes the key's owner busy.
      const { room, users } = await usersInRoom(ctx, 2);
      const twin = await ctx.user('twin', { name: users[0]!.name, key: users[0]!.key });
      await ctx.join(twin, room);
      await ctx.send(users[0]!, room, `my key is secret ${ctx.random(10)}`);
      await twin.conn.request({ type: 'rooms' });
      await ctx.sync(...users, twin);
    },
  },
];
