import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { KuykanClient, type MessageContext } from '@kuykan/sdk';
import { type RunningServer, startServer } from '@kuykan/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer } from '../command-bot/commands.js';
import { echoOf } from '../echo-bot/echo.js';

const examples = fileURLToPath(new URL('..', import.meta.url));
let server: RunningServer;
const bots: ChildProcess[] = [];

beforeAll(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', store: 'memory', logLevel: 'silent' });
});
afterAll(async () => {
  for (const bot of bots) bot.kill('SIGTERM');
  await server.close();
});

/** Starts a bot the way its README says (npm script → tsx) and waits until it listens. */
async function startBot(script: string, room: string, name?: string): Promise<void> {
  const bot = spawn('npx', ['tsx', `${script}/index.ts`, server.url, room], {
    cwd: examples,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: name === undefined ? process.env : { ...process.env, KUYKAN_BOT_NAME: name },
  });
  bots.push(bot);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start: ${output}`)), 30_000);
    const onData = (data: Buffer) => {
      output += data;
      if (/listening in|answering/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    bot.stdout!.on('data', onData);
    bot.stderr!.on('data', onData);
    bot.once('exit', (code) => reject(new Error(`${script} exited ${code}: ${output}`)));
  });
}

async function chat(room: string, text: string, expectFrom: string): Promise<string> {
  const user = new KuykanClient(server.url, { name: `user-${room}` });
  await user.connect();
  const joined = await user.join(room);
  const reply = new Promise<string>((resolve) =>
    joined.on('message', ({ message }: MessageContext) => message.from === expectFrom && resolve(message.text)),
  );
  await joined.send(text);
  const text_ = await reply;
  await user.close();
  return text_;
}

describe('example bots', () => {
  it('echo-bot repeats what others say', async () => {
    await startBot('echo-bot', 'echo-room');
    expect(await chat('echo-room', 'สวัสดี 👋', 'echo-bot')).toBe('🔁 user-echo-room: สวัสดี 👋');
  }, 60_000);

  it('two echo bots in one room echo a person once each, and never each other', async () => {
    await startBot('echo-bot', 'two-echoes', 'echo-a');
    await startBot('echo-bot', 'two-echoes', 'echo-b');
    const user = new KuykanClient(server.url, { name: 'person' });
    await user.connect();
    const room = await user.join('two-echoes');
    const seen: string[] = [];
    const echoesOf = (text: string) =>
      new Promise<void>((resolve) => {
        const check = () => {
          const echoes = seen.filter((t) => t.endsWith(`person: ${text}`) && t !== text);
          if (echoes.length >= 2) resolve();
        };
        room.on('message', check);
        check();
      });
    room.on('message', ({ message }: MessageContext) => seen.push(message.text));
    await room.send('hi');
    await echoesOf('hi');
    // Each bot answers in seq order: an echo of an echo would come before its echo of this.
    await room.send('again');
    await echoesOf('again');
    expect(seen.sort()).toEqual([
      'again',
      'hi',
      '🔁 person: again',
      '🔁 person: again',
      '🔁 person: hi',
      '🔁 person: hi',
    ]);
    await user.close();
  }, 60_000);

  it('command-bot answers /roll and /users', async () => {
    await startBot('command-bot', 'cmd-room');
    expect(await chat('cmd-room', '/roll 2d6', 'command-bot')).toMatch(/^🎲 2d6: [1-6] \+ [1-6] = \d+$/);
  }, 60_000);
});

describe('echo-bot echoes', () => {
  const message = { seq: 1, messageId: 'e.1', ts: 0, from: 'ann', text: 'hi' };
  it('echoes people, and not itself, bots, echoes or v2 change entries', () => {
    expect(echoOf(message, false)).toBe('🔁 ann: hi');
    expect(echoOf(message, true)).toBeUndefined();
    expect(echoOf({ ...message, bot: true }, false)).toBeUndefined();
    expect(echoOf({ ...message, text: '🔁 bob: hi' }, false)).toBeUndefined();
    expect(echoOf({ ...message, kind: 'react', emoji: '👍', text: '' }, false)).toBeUndefined();
  });
});

describe('command-bot commands', () => {
  const ctx = { members: ['a', 'b'], now: new Date('2026-11-25T04:30:00Z'), random: () => 0.5 };
  it('answers each command and refuses bad dice', () => {
    expect(answer('/time', ctx)).toBe('🕒 2026-11-25 04:30:00 UTC');
    expect(answer('/users', ctx)).toBe('👥 2 online: a, b');
    expect(answer('/roll 3d6', ctx)).toBe('🎲 3d6: 4 + 4 + 4 = 12');
    expect(answer('/roll 99d6', ctx)).toMatch(/cannot roll|use 1–20/);
    expect(answer('/roll banana', ctx)).toMatch(/cannot roll "banana"/);
    expect(answer('/nope', ctx)).toMatch(/unknown command/);
    expect(answer('hello', ctx)).toBeUndefined();
  });
});
