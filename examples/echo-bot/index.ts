/**
 * Echo bot: repeats what others say in a room.
 * Run: npm run echo-bot -w @kuykan/examples -- [ws://host:port] [room]
 */
import { KuykanClient } from '@kuykan/sdk';

const url = process.argv[2] ?? process.env.KUYKAN_URL ?? 'ws://localhost:8080';
const roomName = process.argv[3] ?? process.env.KUYKAN_ROOM ?? 'lobby';

const client = new KuykanClient(url, { name: process.env.KUYKAN_BOT_NAME ?? 'echo-bot' });
client.on('state', ({ state, reason }) =>
  // Name the server on every state change: after a failover it is another one of the URLs.
  console.log(`[echo-bot] ${state} ${client.url}${reason?.message ? ` (${reason.message})` : ''}`),
);
await client.connect();
const room = await client.join(roomName);
console.log(`[echo-bot] listening in ${room.name} on ${client.url}`);

room.on('message', ({ message, own }) => {
  if (own) return;
  room
    .send(`🔁 ${message.from}: ${message.text}`)
    .catch((error: unknown) => console.error('[echo-bot] send failed:', error));
});

process.on('SIGINT', () => void client.close().then(() => process.exit(0)));
process.on('SIGTERM', () => void client.close().then(() => process.exit(0)));
