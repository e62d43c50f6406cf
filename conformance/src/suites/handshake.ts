/**
 * §7 Handshake: hello first, version choice, second hello, session ids,
 * advertised limits and capabilities, hello timeout.
 *
 * @module
 */

import { Capability, CloseCode, ErrorCode, FrameType, HELLO_TIMEOUT_MS, LIMITS_SCHEMA } from '@kuykan/protocol';
import { expectError } from '../context.js';
import { expect } from '../failure.js';
import type { TestCase } from '../runner.js';
import { raw } from './helpers.js';

const section = 'handshake';

export const handshake: TestCase[] = [
  {
    id: 'handshake/first-frame-not-hello',
    section,
    covers: ['HS-1', 'HS-2', 'CLOSE-1'],
    title: 'a first frame other than hello is refused and the connection closed with 4002',
    async run(ctx) {
      const a = await ctx.connect('no-hello');
      a.send({ type: 'login', id: 1, name: ctx.name() });
      expectError('HS-2', await a.next((f) => f.type === 'error', 'error'), ErrorCode.HANDSHAKE_REQUIRED);
      const closeA = await a.waitClose('after a first frame that is not hello');
      expect('HS-2', closeA.code === CloseCode.HANDSHAKE_VIOLATION, `closed with ${closeA.code}, expected 4002`);
      const b = await ctx.connect('bad-first');
      b.sendRaw(raw({ t: FrameType.hello, v: 'one' }), 'malformed hello');
      expectError('HS-2', await b.next((f) => f.type === 'error', 'error'), ErrorCode.BAD_FRAME);
      const closeB = await b.waitClose('after a malformed first frame');
      expect('HS-2', closeB.code === CloseCode.HANDSHAKE_VIOLATION, `closed with ${closeB.code}, expected 4002`);
    },
  },
  {
    id: 'handshake/highest-common-version',
    section,
    covers: ['HS-3'],
    title: 'welcome states the highest offered version the server speaks',
    async run(ctx) {
      const conn = await ctx.connect('versions');
      conn.send({
        type: 'hello',
        versions: [1, 7, 999],
        client: 'kuykan-conformance',
        token: await ctx.settings.token?.(),
      });
      const welcome = await conn.next((f) => f.type === 'welcome' || f.type === 'error', 'welcome');
      expect(
        'HS-3',
        welcome.type === 'welcome' && welcome.version === 1,
        `versions [1,7,999] answered ${JSON.stringify(welcome)}`,
      );
    },
  },
  {
    id: 'handshake/no-common-version',
    section,
    covers: ['HS-4'],
    title: 'hello offering only unknown versions gets UNSUPPORTED_VERSION and close 4001',
    async run(ctx) {
      const conn = await ctx.connect('version-999');
      conn.send({ type: 'hello', versions: [999], client: 'kuykan-conformance' });
      expectError(
        'HS-4',
        await conn.next((f) => f.type === 'error' || f.type === 'welcome', 'error'),
        ErrorCode.UNSUPPORTED_VERSION,
      );
      const info = await conn.waitClose('after no common version');
      expect('HS-4', info.code === CloseCode.UNSUPPORTED_VERSION, `closed with ${info.code}, expected 4001`);
    },
  },
  {
    id: 'handshake/second-hello',
    section,
    covers: ['HS-5'],
    title: 'a second hello gets HANDSHAKE_REQUIRED and close 4002',
    async run(ctx) {
      const { conn } = await ctx.session('twice');
      conn.send({ type: 'hello', versions: [1], client: 'kuykan-conformance' });
      expectError('HS-5', await conn.next((f) => f.type === 'error', 'error'), ErrorCode.HANDSHAKE_REQUIRED);
      const info = await conn.waitClose('after a second hello');
      expect('HS-5', info.code === CloseCode.HANDSHAKE_VIOLATION, `closed with ${info.code}, expected 4002`);
    },
  },
  {
    id: 'handshake/unique-session-ids',
    section,
    covers: ['HS-6'],
    title: 'session ids are unique across sessions',
    async run(ctx) {
      const seen = new Set<string>();
      for (let i = 0; i < 12; i++) {
        const { welcome, conn } = await ctx.session(`s${i}`);
        expect('HS-6', !seen.has(welcome.sessionId), `sessionId ${welcome.sessionId} was given twice`);
        seen.add(welcome.sessionId);
        if (i % 2 === 0) conn.close();
      }
    },
  },
  {
    id: 'handshake/limits-and-capabilities',
    section,
    covers: ['HS-7'],
    title: 'welcome advertises every limit and only known capabilities',
    async run(ctx) {
      const { welcome } = await ctx.session();
      // Limits marked optional may be absent (servers older than the field) [LIMIT-6]; present ones are integers.
      for (const [key, spec] of Object.entries(LIMITS_SCHEMA)) {
        const value = (welcome.limits as unknown as Record<string, unknown>)[key];
        if (value === undefined && spec.optional) continue;
        expect('HS-7', typeof value === 'number' && Number.isSafeInteger(value), `limit ${key} is missing`);
      }
      const known = new Set<string>(Object.values(Capability));
      for (const capability of welcome.capabilities) {
        expect('HS-7', known.has(capability), `unknown capability "${capability}" advertised`);
      }
    },
  },
  {
    id: 'handshake/hello-timeout',
    section,
    covers: ['HS-8'],
    title: 'a connection that sends no hello is closed with 4000 after about 10 s',
    async run(ctx) {
      const conn = await ctx.connect('silent');
      const info = await conn
        .next(() => false, 'close', HELLO_TIMEOUT_MS + 5_000)
        .then(
          () => undefined,
          () => conn.closeInfo,
        );
      expect(
        'HS-8',
        info?.code === CloseCode.HANDSHAKE_TIMEOUT,
        `silent connection: close ${info?.code ?? 'none'}, expected 4000`,
      );
    },
  },
];
