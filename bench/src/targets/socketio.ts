/**
 * Socket.IO 4 as its users write a chat: `socket.join(room)` and
 * `io.to(room).emit(...)`. `--msgpack` uses socket.io-msgpack-parser.
 * Run: tsx bench/src/targets/socketio.ts [--msgpack]   (prints `ready <port>`)
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import msgpackParser from 'socket.io-msgpack-parser';

const http = createServer();
const io = new Server(http, {
  transports: ['websocket'],
  perMessageDeflate: false,
  ...(process.argv.includes('--msgpack') ? { parser: msgpackParser } : {}),
});
io.on('connection', (socket) => {
  socket.on('join', (room: string, done: () => void) => {
    void socket.join(room);
    done();
  });
  socket.on('msg', (room: string, message: unknown) => io.to(room).emit('msg', message));
});
http.listen(0, '127.0.0.1', () => console.log(`ready ${(http.address() as { port: number }).port}`));
