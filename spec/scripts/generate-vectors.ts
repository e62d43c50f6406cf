/**
 * Writes spec/vectors/<frame>.json (valid frames) from the inputs below.
 * The committed files are the reference: tests check the codec against them,
 * so a codec change that alters bytes fails until the vectors are reviewed
 * and regenerated on purpose. invalid.json is written by hand.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_LIMITS, encodeFrame, type Frame, type FrameTypeName } from '../src/index.js';

const message = {
  seq: 1234,
  messageId: 'k3x9aQ.1234',
  ts: 1764043200000,
  from: 'สมชาย',
  text: 'สวัสดีครับ ทุกคน 👋',
  clientId: 'c-8f3a2b1c',
};
const family = {
  seq: 7,
  messageId: 'k3x9aQ.7',
  ts: 1764043260000,
  from: 'Nok',
  text: 'family 👨‍👩‍👧 + 👋🏽\nsecond line',
};

const inputs: Record<FrameTypeName, Array<[string, Frame]>> = {
  hello: [
    ['minimal hello', { type: 'hello', versions: [1], client: 'kuykan-sdk' }],
    [
      'hello with version list, client version and token',
      {
        type: 'hello',
        versions: [2, 1],
        client: 'kuykan-tui',
        clientVersion: '0.1.0',
        token: 'eyJhbGciOiJIUzI1NiJ9.e30.sig',
      },
    ],
  ],
  login: [
    ['login with a Thai name and a key', { type: 'login', id: 1, name: 'สมชาย', key: 'k-4b1d' }],
    ['login on a token-auth server (no name)', { type: 'login', id: 2 }],
  ],
  join: [
    ['plain join', { type: 'join', id: 3, room: 'lobby' }],
    ['resuming join', { type: 'join', id: 4, room: 'lobby', epoch: 'k3x9aQ', seq: 1230 }],
  ],
  leave: [
    ['leave', { type: 'leave', id: 5, room: 'lobby' }],
    ['leave a Thai room', { type: 'leave', id: 6, room: 'ห้องนั่งเล่น' }],
  ],
  send: [
    [
      'send (the PROTOCOL.md Appendix A example)',
      { type: 'send', id: 7, room: 'lobby', clientId: 'c-8f3a2b1c', text: 'สวัสดีครับ ทุกคน 👋' },
    ],
    ['send with ZWJ emoji and a newline', { type: 'send', id: 8, room: 'lobby', clientId: 'c-2', text: family.text }],
  ],
  history: [
    ['history before a seq', { type: 'history', id: 9, room: 'lobby', before: 1200, limit: 50 }],
    ['history after a seq', { type: 'history', id: 10, room: 'lobby', after: 0 }],
    ['history of the latest page', { type: 'history', id: 11, room: 'lobby' }],
  ],
  rooms: [
    ['rooms', { type: 'rooms', id: 12 }],
    ['rooms with a large id', { type: 'rooms', id: 4294967295 }],
  ],
  typing: [
    ['typing started', { type: 'typing', id: 13, room: 'lobby', active: true }],
    ['typing stopped', { type: 'typing', id: 14, room: 'lobby', active: false }],
  ],
  ping: [
    ['ping', { type: 'ping', id: 15 }],
    ['ping with id 0', { type: 'ping', id: 0 }],
  ],
  welcome: [
    [
      'welcome with default limits',
      {
        type: 'welcome',
        version: 1,
        server: 'kuykan-server',
        serverVersion: '0.1.0',
        sessionId: 'A05bb5Wi-9zd',
        capabilities: ['history', 'typing', 'resume'],
        limits: { ...DEFAULT_LIMITS },
      },
    ],
    [
      'welcome of a token-auth server',
      {
        type: 'welcome',
        version: 1,
        server: 'other',
        serverVersion: '2.0',
        sessionId: 's',
        capabilities: ['auth.token'],
        limits: { ...DEFAULT_LIMITS, sendRate: 5 },
      },
    ],
  ],
  loggedIn: [
    ['logged in', { type: 'loggedIn', id: 1, name: 'สมชาย' }],
    ['logged in, name normalized', { type: 'loggedIn', id: 2, name: 'Nok' }],
  ],
  joined: [
    [
      'joined a room with history',
      {
        type: 'joined',
        id: 3,
        room: 'lobby',
        epoch: 'k3x9aQ',
        seq: 1234,
        members: ['Nok', 'สมชาย'],
        messages: [message],
      },
    ],
    [
      'joined after a resume that recovered nothing',
      {
        type: 'joined',
        id: 4,
        room: 'lobby',
        epoch: 'k3x9aQ',
        seq: 1234,
        members: ['สมชาย'],
        messages: [],
        recovered: true,
      },
    ],
    [
      'joined after a failed resume',
      {
        type: 'joined',
        id: 5,
        room: 'lobby',
        epoch: 'new-epoch',
        seq: 7,
        members: ['Nok'],
        messages: [family],
        recovered: false,
      },
    ],
  ],
  ok: [
    ['ok', { type: 'ok', id: 5 }],
    ['ok for typing', { type: 'ok', id: 13 }],
  ],
  ack: [
    ['ack', { type: 'ack', id: 7, room: 'lobby', messageId: 'k3x9aQ.1234', seq: 1234, ts: 1764043200000 }],
    ['ack of the first message', { type: 'ack', id: 8, room: 'ห้องนั่งเล่น', messageId: 'e.1', seq: 1, ts: 0 }],
  ],
  page: [
    ['page with more', { type: 'page', id: 9, room: 'lobby', messages: [family, message], more: true }],
    ['empty page', { type: 'page', id: 10, room: 'lobby', messages: [], more: false }],
  ],
  roomList: [
    [
      'room list',
      {
        type: 'roomList',
        id: 12,
        rooms: [
          { room: 'lobby', members: 3, seq: 1234 },
          { room: 'ห้องนั่งเล่น', members: 0, seq: 9 },
        ],
      },
    ],
    ['no rooms', { type: 'roomList', id: 12, rooms: [] }],
  ],
  pong: [
    ['pong', { type: 'pong', id: 15 }],
    ['pong with id 0', { type: 'pong', id: 0 }],
  ],
  message: [
    ['message (the PROTOCOL.md §3.1 size example)', { type: 'message', room: 'lobby', ...message }],
    ['message without client id', { type: 'message', room: 'lobby', ...family }],
  ],
  presence: [
    ['presence join', { type: 'presence', room: 'lobby', name: 'Nok', kind: 'join' }],
    ['presence leave', { type: 'presence', room: 'lobby', name: 'สมชาย', kind: 'leave' }],
  ],
  userTyping: [
    ['user typing', { type: 'userTyping', room: 'lobby', name: 'Nok', active: true, ttlMs: 6000 }],
    ['user stopped typing', { type: 'userTyping', room: 'lobby', name: 'Nok', active: false, ttlMs: 6000 }],
  ],
  error: [
    ['error answering a request', { type: 'error', id: 1, code: 202, message: 'the name "Nok" is in use' }],
    ['rate limited', { type: 'error', id: 7, code: 400, message: 'slow down', retryAfterMs: 250 }],
    ['connection-level error without id', { type: 'error', code: 100, message: 'not a MessagePack value' }],
  ],
};

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
for (const [name, vectors] of Object.entries(inputs)) {
  const file = fileURLToPath(new URL(`../vectors/${name}.json`, import.meta.url));
  const body = {
    frame: name,
    vectors: vectors.map(([description, value]) => ({ description, hex: hex(encodeFrame(value)), value })),
  };
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
}
console.log(`wrote ${Object.keys(inputs).length} vector files`);
