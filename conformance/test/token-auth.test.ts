import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cli, withServer } from './run-against.js';

const SECRET = 'conformance-test-secret';

/** A minimal HS256 JWT, as a deployment's auth service would issue. */
function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
  return `${body}.${createHmac('sha256', SECRET).update(body).digest('base64url')}`;
}

describe('kuykan-conformance against a token-auth server', () => {
  it('checks LOGIN-5 with --token and passes', async () => {
    await withServer({ jwtSecret: SECRET }, async (server) => {
      const token = jwt({ sub: 'conf-user-1', name: 'ConfUser', exp: Math.floor(Date.now() / 1000) + 600 });
      const result = await cli([server.url, '--seed', '8', '--only', 'LOGIN-5', '--token', token]);
      if (result.code !== 0) console.error(result.out);
      expect(result.code).toBe(0);
      expect(result.out).toMatch(/^LOGIN-5 +MUST +PASS/m);
    });
  }, 60_000);

  it('exits 2 when the token command fails to give a usable token', async () => {
    await withServer({ jwtSecret: SECRET }, async (server) => {
      const result = await cli([server.url, '--only', 'LOGIN-5', '--token-cmd', 'exit 3']);
      expect(result.code).toBe(2);
    });
  }, 60_000);
});
