/**
 * Prints a protocol version 2 session as JSON lines (the README's transcript):
 * a message, an edit, a reaction, a reply, then the folded page.
 *
 *   npx tsx server/scripts/v2-transcript.ts
 */
import { type ClientFrame, decodeFrame, encodeFrame, type RequestFrame, type ServerFrame } from '@kuykan/protocol';
import WebSocket from 'ws';
import { startServer } from '../src/index.js';

const server = await startServer({ port: 0, host: '127.0.0.1', store: 'memory', logLevel: 'silent' });
const ws = new WebSocket(server.url, 'kuykan.v1');
const frames: ServerFrame[] = [];
const waiters: Array<() => void> = [];
ws.on('message', (data: Buffer) => {
  frames.push(decodeFrame(data, { direction: 'server' }));
  for (const wake of waiters.splice(0)) wake();
});
await new Promise((resolve) => ws.once('open', resolve));
let id = 0;
/** A request without its id (the id is added here). */
type Ask = RequestFrame extends infer F ? (F extends RequestFrame ? Omit<F, 'id'> : never) : never;

async function ask(frame: Ask): Promise<ServerFrame> {
  const sent = { ...frame, id: ++id } as ClientFrame;
  console.log(`> ${JSON.stringify(sent)}`);
  ws.send(encodeFrame(sent));
  for (;;) {
    const reply = frames.find((f) => 'id' in f && f.id === id);
    if (reply) {
      for (const f of frames.splice(0)) console.log(`< ${JSON.stringify(f)}`);
      return reply;
    }
    await new Promise<void>((resolve) => waiters.push(resolve));
  }
}
ws.send(encodeFrame({ type: 'hello', versions: [2, 1], client: 'readme' }));
await new Promise<void>((resolve) => waiters.push(resolve));
console.log(`< ${JSON.stringify({ ...frames.splice(0)[0], limits: '…' })}`);
await ask({ type: 'login', name: 'somchai', key: 'k' });
await ask({ type: 'join', room: 'lobby' });
const sent = (await ask({ type: 'send', room: 'lobby', clientId: 'c1', text: 'helo' })) as { messageId: string };
await ask({ type: 'edit', room: 'lobby', target: sent.messageId, clientId: 'c2', text: 'hello' });
await ask({ type: 'react', room: 'lobby', target: sent.messageId, clientId: 'c3', emoji: '👍', on: true });
await ask({ type: 'send', room: 'lobby', clientId: 'c4', text: 'me too', replyTo: sent.messageId });
await ask({ type: 'history', room: 'lobby' });
ws.close();
await server.close();
