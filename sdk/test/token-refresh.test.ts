import { CloseCode } from '@kuykan/protocol';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { KuykanClient, StateCode } from '../src/node.js';
import type { StateContext } from '../src/types.js';
import { startTestServer } from './helpers.js';

const SECRET = 'sdk-test-secret-long-enough-for-hs256';

/** A token for subject `sub` that expires at `exp` (seconds since the epoch). */
const token = (exp: number) =>
  new SignJWT({ name: 'Fah' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('fah')
    .setExpirationTime(exp)
    .sign(new TextEncoder().encode(SECRET));

describe('KuykanClient token refresh [LOGIN-9]', () => {
  it('asks for a fresh token and reconnects at once when the server closes with 4008', async () => {
    const server = await startTestServer({ jwtSecret: SECRET });
    const issued: number[] = [];
    const client = new KuykanClient(server.url, {
      name: 'ignored',
      // The first token expires within two seconds; later ones last an hour.
      token: async () => {
        const exp = Math.floor(Date.now() / 1000) + (issued.length === 0 ? 2 : 3600);
        issued.push(exp);
        return token(exp);
      },
    });
    const states: StateContext[] = [];
    client.on('state', (ctx) => states.push(ctx));
    await client.connect();
    const room = await client.join('tokens');
    await room.send('before expiry');
    expect(client.name).toBe('Fah');

    const back = new Promise<StateContext>((resolve) => client.once('open', resolve));
    const ctx = await back;
    expect(ctx.code).toBe(StateCode.RECONNECTED);
    const lost = states.find((s) => s.newState === 'reconnecting')!;
    expect(lost.reason.code).toBe(CloseCode.AUTH_EXPIRED);
    expect(lost.code).toBe(StateCode.TRANSPORT_CLOSED);
    expect(lost.delayMs).toBe(0);
    expect(issued).toHaveLength(2);
    // The new session works and the room resumed on it.
    expect((await room.send('after refresh')).seq).toBe(2);
    expect(states.map((s) => s.newState)).toEqual(['connecting', 'open', 'reconnecting', 'open']);
    await client.close();
    await server.close();
  });
});
