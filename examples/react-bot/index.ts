/**
 * React bot (protocol version 2): logs in as a bot, reacts 👍 to messages
 * that mention it, answers `!roll` with a reply, posts a picture of a cat on
 * `!cat`, and ignores other bots, so two bots never talk forever [BOT-2].
 * Run: npm run react-bot -w @kuykan/examples -- [ws://host:port] [room]
 */
import { ClientError, KuykanClient } from '@kuykan/sdk';
import { catPng } from './cat-png.js';

const url = process.argv[2] ?? process.env.KUYKAN_URL ?? 'ws://localhost:8080';
const roomName = process.argv[3] ?? process.env.KUYKAN_ROOM ?? 'lobby';
const log = (line: string) => console.log(`[react-bot] ${line}`);

const client = new KuykanClient(url, { name: process.env.KUYKAN_BOT_NAME ?? 'react-bot', bot: true });
client.on('state', ({ state, reason }) =>
  log(`${state} ${client.url}${reason?.message ? ` (${reason.message})` : ''}`),
);
await client.connect();
if (client.version < 2) {
  console.error(`[react-bot] ${client.url} speaks protocol version ${client.version}; this bot needs version 2`);
  process.exit(1);
}
const room = await client.join(roomName);
const cat = catPng();
log(`listening in ${room.name} on ${client.url} as ${client.name} (cat.png: ${cat.length} bytes)`);

const failed = (what: string) => (error: unknown) => console.error(`[react-bot] ${what} failed:`, error);

room.on('message', ({ message, own, mentionsMe }) => {
  if (own || message.bot) return;
  const replyTo = message.messageId;
  if (mentionsMe) {
    room.react(replyTo, '👍').then(() => log(`👍 ${message.from}: ${message.text}`), failed('react'));
  }
  const command = message.text.trim().toLowerCase();
  if (command === '!roll') {
    const roll = 1 + Math.floor(Math.random() * 6);
    room.send(`🎲 ${roll}`, { replyTo }).then(() => log(`rolled ${roll} for ${message.from}`), failed('reply'));
  } else if (command === '!cat') {
    room
      .sendFile(cat, { name: 'cat.png', type: 'image/png', text: '🐱', replyTo })
      .then(({ file }) =>
        log(`sent ${file.name} (${file.size} bytes, ${file.width}×${file.height}) to ${message.from}`),
      )
      .catch((error: unknown) => {
        // A v2 server without the `files` capability: say so rather than stay silent.
        if (!(error instanceof ClientError && error.code === 'UNSUPPORTED')) return failed('cat')(error);
        return room.send('🐱 (this server takes no files)', { replyTo }).then(() => log('no files on this server'));
      });
  }
});

process.on('SIGINT', () => void client.close().then(() => process.exit(0)));
process.on('SIGTERM', () => void client.close().then(() => process.exit(0)));
