/**
 * Command bot: answers /time, /roll 2d6, /users and /help in a room.
 * Run: npm run command-bot -w @kuykan/examples -- [ws://host:port] [room]
 */
import { KuykanClient } from '@kuykan/sdk';
import { answer } from './commands.js';

const url = process.argv[2] ?? process.env.KUYKAN_URL ?? 'ws://localhost:8080';
const roomName = process.argv[3] ?? process.env.KUYKAN_ROOM ?? 'lobby';

const client = new KuykanClient(url, { name: process.env.KUYKAN_BOT_NAME ?? 'command-bot' });
client.on('state', ({ state, reason }) =>
  // Name the server on every state change: after a failover it is another one of the URLs.
  console.log(`[command-bot] ${state} ${client.url}${reason?.message ? ` (${reason.message})` : ''}`),
);
await client.connect();
const room = await client.join(roomName);
console.log(`[command-bot] answering /help in ${room.name} on ${client.url}`);

room.on('message', ({ message, own }) => {
  // Bots do not answer bots [BOT-2]; edits, deletions and reactions (protocol v2) have a kind and no command.
  if (own || message.bot || message.kind !== undefined) return;
  const reply = answer(message.text, { members: room.members, now: new Date(), random: Math.random });
  if (reply) room.send(reply).catch((error: unknown) => console.error('[command-bot] send failed:', error));
});

process.on('SIGINT', () => void client.close().then(() => process.exit(0)));
process.on('SIGTERM', () => void client.close().then(() => process.exit(0)));
