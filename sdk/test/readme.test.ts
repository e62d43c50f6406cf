import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ChatModel, MemoryStorage } from '../src/model/index.js';
import { ErrorCode, KuykanClient, ProtocolError, StateCode } from '../src/node.js';
import type { Room } from '../src/room.js';
import type { MessageContext } from '../src/types.js';
import { ChaosProxy } from './chaos-proxy.js';
import { connected, startTestServer, until } from './helpers.js';

const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
  ...args: string[]
) => (...values: unknown[]) => Promise<void>;

describe('README', () => {
  it('its bot example works as written against a real server', async () => {
    const server = await startTestServer();
    const snippet = /```ts\n([\s\S]*?)```/.exec(readme)![1]!.replace(/^import .*$/m, '');
    const logged: string[] = [];
    const bot = new AsyncFunction('KuykanClient', 'process', 'console', `${snippet}\nreturn client;`);
    const client = (await bot(
      KuykanClient,
      { env: { KUYKAN_URL: server.url } },
      { log: (s: string) => logged.push(s) },
    )) as unknown as KuykanClient;

    const human = await connected(server.url, 'somchai');
    const room = await human.join('lobby');
    const heard: string[] = [];
    room.on('message', ({ message }: MessageContext) => heard.push(`${message.from}: ${message.text}`));
    await room.send('สวัสดี');
    await until(() => heard.includes('parrot: somchai said: สวัสดี'), 5000, 'the parrot');
    expect(logged).toContain('somchai joined');
    await Promise.all([human.close(), client.close()]);
    await server.close();
  });

  it('its connection-state example prints the output shown, across a drop and a close', async () => {
    const server = await startTestServer();
    const proxy = await ChaosProxy.start(server.port);
    const section = readme.slice(readme.indexOf('## Connection states'));
    const [, snippet, output] = /```ts\n([\s\S]*?)```[\s\S]*?```\n([\s\S]*?)```/.exec(section)!;
    const logged: string[] = [];
    const run = new AsyncFunction(
      'KuykanClient',
      'StateCode',
      'process',
      'console',
      `${snippet!.replace(/^import .*$/m, '')}\nreturn watcher;`,
    );
    const watcher = (await run(
      KuykanClient,
      StateCode,
      { env: { KUYKAN_URL: proxy.url } },
      { log: (s: string) => logged.push(s) },
    )) as unknown as KuykanClient;
    proxy.cutAll();
    await until(() => logged.includes('back: every room resumed'), 10_000, 'the reconnect');
    await watcher.close();
    expect(logged).toEqual(output!.trim().split('\n'));
    await Promise.all([proxy.close(), server.close()]);
  });

  it('its app-model example prints the output shown when another user writes and the room is opened', async () => {
    const server = await startTestServer();
    const section = readme.slice(readme.indexOf('## App model'));
    const [, snippet, output] = /```ts\n([\s\S]*?)```[\s\S]*?```\n([\s\S]*?)```/.exec(section)!;
    const logged: string[] = [];
    const run = new AsyncFunction(
      'KuykanClient',
      'ChatModel',
      'MemoryStorage',
      'process',
      'console',
      `${snippet!.replace(/^import .*$/gm, '')}\nreturn { client, model };`,
    );
    const { client, model } = (await run(
      KuykanClient,
      ChatModel,
      MemoryStorage,
      { env: { KUYKAN_URL: server.url } },
      { log: (s: string) => logged.push(s) },
    )) as unknown as { client: KuykanClient; model: ChatModel };
    const dao = await connected(server.url, 'dao');
    const news = await dao.join('news');
    await news.send('hi');
    await news.send('@Ploy look', { mentions: ['ploy'] });
    await until(() => logged.length === 3, 5000, 'the mention');
    model.select('news');
    expect(logged).toEqual(output!.trim().split('\n'));
    await Promise.all([client.close(), dao.close()]);
    await server.close();
  });

  it('its version 2 example prints the output shown when another user replies, reacts and mentions', async () => {
    const server = await startTestServer();
    const section = readme.slice(readme.indexOf('## Protocol version 2'));
    const [, snippet, output] = /```ts\n([\s\S]*?)```[\s\S]*?```\n([\s\S]*?)```/.exec(section)!;
    const logged: string[] = [];
    const run = new AsyncFunction(
      'KuykanClient',
      'process',
      'console',
      `${snippet!.replace(/^import .*$/gm, '')}\nreturn { client, room, lunch };`,
    );
    const { client, room, lunch } = (await run(
      KuykanClient,
      { env: { KUYKAN_URL: server.url } },
      { log: (s: string) => logged.push(s) },
    )) as unknown as { client: KuykanClient; room: Room; lunch: { messageId: string } };
    const step = (count: number, what: string) => until(() => logged.length === count, 5000, what);
    await step(4, 'the snippet');
    const dao = await connected(server.url, 'dao');
    const kitchen = await dao.join('kitchen');
    await kitchen.send('@nok ได้เลย', { replyTo: lunch.messageId, mentions: ['nok'] });
    await step(5, 'the reply');
    await kitchen.react(lunch.messageId, '🎉');
    await step(6, 'the reaction');
    await (await dao.join('news')).send('@nok ข่าวด่วน', { mentions: ['nok'] });
    await step(7, 'the mention');
    await room.delete(lunch.messageId);
    await step(8, 'the delete');
    expect(logged).toEqual(output!.trim().split('\n'));
    await Promise.all([client.close(), dao.close()]);
    await server.close();
  });

  it('documents error handling that matches the SDK', () => {
    expect(readme).toContain('error instanceof ProtocolError && error.code === ErrorCode.NAME_TAKEN');
    expect(new ProtocolError(ErrorCode.NAME_TAKEN, 'x').code).toBe(202);
  });
});
