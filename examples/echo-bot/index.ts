/**
 * Echo bot: repeats what others say in a room, and never what a bot says.
 * Run: npm run echo-bot -w @kuykan/examples -- [ws://host:port] [room]
 */
import { KuykanClient } from '@kuykan/sdk';
import { ECHO, echoOf } from './echo.js';

const url = process.argv[2] ?? process.env.KUYKAN_URL ?? 'ws://localhost:8080';
const roomName = process.argv[3] ?? process.env.KUYKAN_ROOM ?? 'lobby';

// TODO(sdk): log in as a bot (`login.bot`, PROTOCOL.md [BOT-1]) once ClientOptions can say so; until
// then other bots know this one by its echoes, which start with ECHO.
const client = new KuykanClient(url, { name: process.env.KUYKAN_BOT_NAME ?? 'echo-bot' });
client.on('state', ({ state, reason }) =>
  // Name the server on every state change: after a failover it is another one of the URLs.
  console.log(`[echo-bot] ${state} ${client.url}${reason?.message ? ` (${reason.message})` : ''}`),
);
await client.connect();
const room = await client.join(roomName);
console.log(`[echo-bot] listening in ${room.name} on ${client.url} (${ECHO.trim()} …)`);

room.on('message', ({ message, own }) => {
  const echo = echoOf(message, own);
  if (echo === undefined) return;
  room.send(echo).catch((error: unknown) => console.error('[echo-bot] send failed:', error));
});

process.on('SIGINT', () => void client.close().then(() => process.exit(0)));
process.on('SIGTERM', () => void client.close().then(() => process.exit(0)));
