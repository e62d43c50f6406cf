/**
 * The react bot against the reference server (version 2, in-process), run
 * the way its README says (npm script → tsx, so @kuykan/sdk's build).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { KuykanClient, type MessageContext, type ReactionContext, type Room } from '@kuykan/sdk';
import { type RunningServer, startServer } from '@kuykan/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catPng } from '../react-bot/cat-png.js';

const examples = fileURLToPath(new URL('..', import.meta.url));
const ROOM = 'react-room';
let server: RunningServer;
let bot: ChildProcess;
const clients: KuykanClient[] = [];

beforeAll(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', store: 'memory', logLevel: 'silent' });
  bot = spawn('npx', ['tsx', 'react-bot/index.ts', server.url, ROOM], {
    cwd: examples,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`react-bot did not start: ${output}`)), 30_000);
    const onData = (data: Buffer) => {
      output += data;
      if (output.includes('listening in')) {
        clearTimeout(timer);
        resolve();
      }
    };
    bot.stdout!.on('data', onData);
    bot.stderr!.on('data', onData);
    bot.once('exit', (code) => reject(new Error(`react-bot exited ${code}: ${output}`)));
  });
}, 60_000);

afterAll(async () => {
  bot?.kill('SIGTERM');
  await Promise.all(clients.map((c) => c.close()));
  await server?.close();
});

async function join(name: string, options: { bot?: boolean } = {}): Promise<Room> {
  const client = new KuykanClient(server.url, { name, ...options });
  clients.push(client);
  await client.connect();
  return client.join(ROOM);
}

/** Sends `text` and resolves with the message and the reply to it (listening before it is sent). */
async function ask(room: Room, text: string): Promise<{ messageId: string; reply: MessageContext['message'] }> {
  const heard: MessageContext['message'][] = [];
  let wake = () => {};
  const listener = ({ message }: MessageContext) => {
    heard.push(message);
    wake();
  };
  room.on('message', listener);
  const { messageId } = await room.send(text);
  for (;;) {
    const reply = heard.find((m) => m.reply?.messageId === messageId);
    if (reply) {
      room.off('message', listener);
      return { messageId, reply };
    }
    await new Promise<void>((resolve) => (wake = resolve));
  }
}

describe('react-bot', () => {
  it('is a bot, and reacts 👍 to a message that mentions it', async () => {
    const room = await join('somchai');
    expect(room.bots).toEqual(['react-bot']);
    const reacted = new Promise<ReactionContext>((resolve) => room.once('reaction', resolve));
    const { messageId } = await room.send('@react-bot hello', { mentions: ['react-bot'] });
    const { emoji, from, message } = await reacted;
    expect([emoji, from, message?.messageId]).toEqual(['👍', 'react-bot', messageId]);
  });

  it('answers !roll with a reply and !cat with the picture (or says the server takes no files)', async () => {
    const room = await join('mali');
    const roll = await ask(room, '!roll');
    expect(roll.reply).toMatchObject({
      from: 'react-bot',
      bot: true,
      reply: { messageId: roll.messageId, from: 'mali', text: '!roll' },
    });
    expect(roll.reply.text).toMatch(/^🎲 [1-6]$/);
    const { reply: answer } = await ask(room, '!cat');
    if (room.version > 1 && (clients.at(-1)!.capabilities as string[]).includes('files')) {
      expect(answer.attachments).toMatchObject([{ name: 'cat.png', mediaType: 'image/png', width: 16, height: 16 }]);
    } else {
      expect(answer.text).toBe('🐱 (this server takes no files)');
    }
    expect(catPng().length).toBeLessThan(10 * 1024);
  });

  it('does not answer a bot', async () => {
    const other = await join('other-bot', { bot: true });
    const person = await join('dao');
    const answered: string[] = [];
    person.on('message', ({ message }) => message.reply && answered.push(message.reply.from));
    await other.send('!roll');
    // The person's roll is answered after the bot's would have been: bots answer in seq order.
    await ask(person, '!roll');
    expect(answered).toEqual(['dao']);
  });
});
