import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloseCode, ErrorCode } from '@kuykan/protocol';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { RawClient, startTestServer, tempDir } from './helpers.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('login', () => {
  it('logs in with the normalized name, Thai included', async () => {
    const client = await RawClient.open(server.url);
    const reply = await client.request({ type: 'login', name: '  สมชาย  ', key: 'k' });
    expect(reply).toMatchObject({ type: 'loggedIn', name: 'สมชาย' });
    client.close();
  });

  it('refuses an invalid name and lets the session try again', async () => {
    const client = await RawClient.open(server.url);
    expect(await client.request({ type: 'login', name: 'bad\u0007name' })).toMatchObject({
      code: ErrorCode.NAME_INVALID,
    });
    expect(await client.request({ type: 'login', name: 'x'.repeat(33) })).toMatchObject({
      code: ErrorCode.NAME_INVALID,
    });
    expect(await client.request({ type: 'login', name: 'good-name' })).toMatchObject({ type: 'loggedIn' });
    client.close();
  });

  it('refuses a name that is online ignoring case, unless the key matches', async () => {
    const a = await RawClient.open(server.url);
    await a.login('Nok', 'secret-1');
    const b = await RawClient.open(server.url);
    expect(await b.request({ type: 'login', name: 'nok', key: 'other' })).toMatchObject({ code: ErrorCode.NAME_TAKEN });
    expect(await b.request({ type: 'login', name: 'NOK' })).toMatchObject({ code: ErrorCode.NAME_TAKEN });
    expect(await b.request({ type: 'login', name: 'nok', key: 'secret-1' })).toMatchObject({
      type: 'loggedIn',
      name: 'Nok',
    });
    a.close();
    b.close();
  });

  it('refuses a second login on a session', async () => {
    const client = await RawClient.open(server.url);
    await client.login('twice');
    expect(await client.request({ type: 'login', name: 'again' })).toMatchObject({ code: ErrorCode.ALREADY_LOGGED_IN });
    client.close();
  });

  it('refuses room requests before login but answers ping', async () => {
    const client = await RawClient.open(server.url);
    expect(await client.request({ type: 'join', room: 'lobby' })).toMatchObject({ code: ErrorCode.NOT_LOGGED_IN });
    expect(await client.request({ type: 'rooms' })).toMatchObject({ code: ErrorCode.NOT_LOGGED_IN });
    expect(await client.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
    client.close();
  });
});

describe('token auth', () => {
  const secret = 'test-secret-that-is-long-enough-for-hs256';
  let authServer: RunningServer;
  beforeAll(async () => {
    authServer = await startTestServer({ jwtSecret: secret });
  });
  afterAll(() => authServer.close());

  const token = (sub: string, name: string, expires: string | number = '1h') =>
    new SignJWT({ name })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(sub)
      .setExpirationTime(expires)
      .sign(new TextEncoder().encode(secret));

  async function openWith(tk?: string): Promise<RawClient> {
    const client = await RawClient.open(authServer.url, { hello: false });
    client.send({ type: 'hello', versions: [1], client: 'test', ...(tk ? { token: tk } : {}) });
    await client.waitFor((f) => f.type === 'welcome');
    return client;
  }

  it('advertises auth.token and takes the name from the token', async () => {
    const client = await openWith(await token('u1', 'Ploy'));
    expect(client.of('welcome')[0]!.capabilities).toContain('auth.token');
    expect(await client.request({ type: 'login', name: 'ignored' })).toMatchObject({ type: 'loggedIn', name: 'Ploy' });
    client.close();
  });

  it('refuses login without a token, with a bad signature, or expired', async () => {
    const none = await openWith();
    expect(await none.request({ type: 'login', name: 'x' })).toMatchObject({ code: ErrorCode.UNAUTHORIZED });
    const forged = await openWith(`${await token('u2', 'Mali')}x`);
    expect(await forged.request({ type: 'login' })).toMatchObject({ code: ErrorCode.UNAUTHORIZED });
    // Beyond the 30 s clock leeway [LOGIN-9].
    const expired = await openWith(await token('u3', 'Old', '-1m'));
    expect(await expired.request({ type: 'login' })).toMatchObject({ code: ErrorCode.UNAUTHORIZED });
    for (const c of [none, forged, expired]) c.close();
  });

  it('makes two sessions with the same subject one user and refuses another subject with that name', async () => {
    const a = await openWith(await token('same', 'Dao'));
    const b = await openWith(await token('same', 'Dao'));
    const c = await openWith(await token('other', 'dao'));
    expect(await a.request({ type: 'login' })).toMatchObject({ type: 'loggedIn' });
    expect(await b.request({ type: 'login' })).toMatchObject({ type: 'loggedIn' });
    expect(await c.request({ type: 'login' })).toMatchObject({ code: ErrorCode.NAME_TAKEN });
    for (const x of [a, b, c]) x.close();
  });

  it('makes one subject one user even when its tokens claim different names [LOGIN-5, LOGIN-9]', async () => {
    const a = await openWith(await token('one-sub', 'Nok'));
    const b = await openWith(await token('one-sub', 'Somebody Else'));
    expect(await a.request({ type: 'login' })).toMatchObject({ type: 'loggedIn', name: 'Nok' });
    expect(await b.request({ type: 'login' })).toMatchObject({ type: 'loggedIn', name: 'Nok' });
    for (const x of [a, b]) x.close();
  });

  it('refuses a token issued in the future beyond the leeway [LOGIN-9]', async () => {
    const future = await new SignJWT({ name: 'Later' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('future')
      .setIssuedAt(Math.floor(Date.now() / 1000) + 3600)
      .setExpirationTime('2h')
      .sign(new TextEncoder().encode(secret));
    const client = await openWith(future);
    expect(await client.request({ type: 'login' })).toMatchObject({ code: ErrorCode.UNAUTHORIZED });
    client.close();
  });

  it('closes a live session with 4008 when its token expires [LOGIN-9]', async () => {
    const client = await openWith(await token('short', 'Brief', Math.floor(Date.now() / 1000) + 2));
    expect(await client.request({ type: 'login' })).toMatchObject({ type: 'loggedIn' });
    expect((await client.waitClosed(10_000)).code).toBe(CloseCode.AUTH_EXPIRED);
  });
});

describe('token auth with a JWKS file', () => {
  it('accepts tokens signed by a key in the file and refuses others', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const other = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
    const file = join(tempDir(), 'jwks.json');
    writeFileSync(file, JSON.stringify({ keys: [jwk] }));
    const server = await startTestServer({ jwksFile: file });
    const sign = (key: CryptoKey) =>
      new SignJWT({ name: 'Fon' })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setSubject('u-fon')
        .setExpirationTime('5m')
        .sign(key);
    const open = async (token: string) => {
      const client = await RawClient.open(server.url, { hello: false });
      client.send({ type: 'hello', versions: [1], client: 'test', token });
      await client.waitFor((f) => f.type === 'welcome');
      return client;
    };
    const good = await open(await sign(privateKey));
    expect(await good.request({ type: 'login' })).toMatchObject({ type: 'loggedIn', name: 'Fon' });
    const bad = await open(await sign(other.privateKey));
    expect(await bad.request({ type: 'login' })).toMatchObject({ code: ErrorCode.UNAUTHORIZED });
    good.close();
    bad.close();
    await server.close();
  });
});
