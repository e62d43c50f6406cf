import { ErrorCode } from '@kuykan/protocol';
import type { RunningServer } from '@kuykan/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientError, KuykanClient, ProtocolError } from '../src/node.js';
import type { MessageContext, PresenceContext, StateContext, TypingContext } from '../src/types.js';
import { connected, startTestServer, until } from './helpers.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({
    limits: { presenceGraceMs: 200, typingTtlMs: 1000, sendRate: 1000, sendBurst: 1000 },
  });
});
afterAll(() => server.close());

describe('KuykanClient', () => {
  it('connects, logs in and reports limits, capabilities and state transitions', async () => {
    const client = new KuykanClient(server.url, { name: ' สมชาย ' });
    const states: string[] = [];
    client.on('state', (ctx: StateContext) => states.push(`${ctx.previous}->${ctx.state}`));
    await client.connect();
    expect(client.name).toBe('สมชาย');
    expect(client.limits?.presenceGraceMs).toBe(200);
    expect(client.capabilities).toContain('resume');
    expect(client.sessionId).toBeTruthy();
    await client.close();
    expect(states).toEqual(['idle->connecting', 'connecting->open', 'open->closed']);
  });

  it('rejects connect with NAME_TAKEN and lets a nameless client retry login with another name', async () => {
    const first = await connected(server.url, 'taken');
    const second = new KuykanClient(server.url, { name: 'TAKEN' });
    await expect(second.connect()).rejects.toMatchObject({ code: ErrorCode.NAME_TAKEN });
    expect(second.state).toBe('closed');
    const third = new KuykanClient(server.url);
    await third.connect();
    const error = await third.login('taken').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect(await third.login('not-taken')).toBe('not-taken');
    await Promise.all([first.close(), third.close()]);
  });

  it('rejects connect with CLOSED when no server listens', async () => {
    const client = new KuykanClient('ws://127.0.0.1:1', { requestTimeoutMs: 2000 });
    const error = await client.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientError);
    expect((error as ClientError).code).toBe('CLOSED');
  });

  it('joins, sends with an ack after the message event, and delivers to every member in order', async () => {
    const a = await connected(server.url, 'api-a');
    const b = await connected(server.url, 'api-b');
    const roomA = await a.join('Api');
    const roomB = await b.join('api');
    expect(roomA.name).toBe('api');
    expect(await a.join('API')).toBe(roomA);
    const seenA: MessageContext[] = [];
    const seenB: MessageContext[] = [];
    roomA.on('message', (m: MessageContext) => seenA.push(m));
    roomB.on('message', (m: MessageContext) => seenB.push(m));
    const acks = await Promise.all(['หนึ่ง', 'สอง 👋🏽', 'three'].map((t) => roomA.send(t)));
    expect(acks.map((x) => x.seq)).toEqual([1, 2, 3]);
    await until(() => seenB.length === 3, 5000, 'three messages at b');
    expect(seenA.map((m) => m.message.text)).toEqual(['หนึ่ง', 'สอง 👋🏽', 'three']);
    expect(seenB.map((m) => m.message.seq)).toEqual([1, 2, 3]);
    expect(seenA.every((m) => m.own)).toBe(true);
    expect(seenB.every((m) => !m.own)).toBe(true);
    expect(roomB.members).toEqual(['api-a', 'api-b']);
    await Promise.all([a.close(), b.close()]);
  });

  it('keeps members and typing users live, expiring typing after the TTL', async () => {
    const a = await connected(server.url, 'live-a');
    const roomA = await a.join('live');
    const presence: PresenceContext[] = [];
    const typing: TypingContext[] = [];
    roomA.on('presence', (p: PresenceContext) => presence.push(p));
    roomA.on('typing', (t: TypingContext) => typing.push(t));
    const b = await connected(server.url, 'live-b');
    const roomB = await b.join('live');
    await until(() => presence.length === 1);
    expect(presence[0]).toMatchObject({ name: 'live-b', kind: 'join', members: ['live-a', 'live-b'] });
    roomB.typing();
    await until(() => roomA.typingUsers.includes('live-b'));
    await until(() => roomA.typingUsers.length === 0, 3000, 'typing expiry');
    expect(typing.map((t) => t.active)).toEqual([true, false]);
    await roomB.leave();
    await until(() => presence.length === 2);
    expect(presence[1]).toMatchObject({ name: 'live-b', kind: 'leave', members: ['live-a'] });
    await Promise.all([a.close(), b.close()]);
  });

  it('pages history and iterates live messages', async () => {
    const a = await connected(server.url, 'hist-a');
    const room = await a.join('hist');
    for (let n = 1; n <= 12; n++) await room.send(`m${n}`);
    const page = await room.history({ before: 13, limit: 5 });
    expect(page.messages.map((m) => m.seq)).toEqual([8, 9, 10, 11, 12]);
    expect(page.more).toBe(true);
    const iterator = room.messages();
    const received: string[] = [];
    const reading = (async () => {
      for await (const m of iterator) {
        received.push(m.text);
        if (received.length === 2) break;
      }
    })();
    await room.send('live 1');
    await room.send('live 2');
    await reading;
    expect(received).toEqual(['live 1', 'live 2']);
    await a.close();
  });

  it('rejects server refusals with ProtocolError carrying the code', async () => {
    const a = await connected(server.url, 'refused');
    await expect(a.join('two words')).rejects.toMatchObject({ code: ErrorCode.ROOM_INVALID });
    const room = await a.join('refusals');
    await expect(room.send(' ')).rejects.toMatchObject({ code: ErrorCode.TEXT_INVALID });
    await expect(room.history({ limit: 0 })).rejects.toMatchObject({ code: ErrorCode.HISTORY_INVALID });
    await a.close();
  });
});
