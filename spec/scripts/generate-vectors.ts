/**
 * Writes spec/vectors/<frame>.json (valid frames) from the inputs below.
 * The committed files are the reference: tests check the codec against them,
 * so a codec change that alters bytes fails until the vectors are reviewed
 * and regenerated on purpose. invalid.json is written by hand.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_LIMITS, decodeFrame, encodeFrame, type Frame, type FrameTypeName } from '../src/index.js';

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

/** A v2 message record with every folded field (§16.3). */
const folded = {
  seq: 1240,
  messageId: 'k3x9aQ.1240',
  ts: 1764043300000,
  from: 'Nok',
  text: 'เห็นด้วย @สมชาย 👍',
  clientId: 'c-77',
  reply: { messageId: 'k3x9aQ.1234', from: 'สมชาย', text: 'สวัสดีครับ ทุกคน 👋' },
  mentions: ['สมชาย'],
  editedTs: 1764043360000,
  reactions: [
    { emoji: '👍🏽', count: 2, names: ['สมชาย', 'Nok'], me: true },
    { emoji: '❤️', count: 1, names: ['Ann'] },
  ],
  revision: 1244,
};
/** A deleted message as every later record shows it (§16.5). */
const tombstone = {
  seq: 1241,
  messageId: 'k3x9aQ.1241',
  ts: 1764043310000,
  from: 'Nok',
  text: '',
  deleted: true,
  revision: 1245,
};
/** A message with an image (§17). */
const withImage = {
  seq: 1246,
  messageId: 'k3x9aQ.1246',
  ts: 1764043400000,
  from: 'Ann',
  text: '',
  clientId: 'c-9',
  bot: true,
  attachments: [
    {
      fileId: 'Zq3vN8r2XkW1pLmA0bC9dQ',
      name: 'แมว.jpg',
      size: 183204,
      mediaType: 'image/jpeg',
      width: 1600,
      height: 1200,
      url: '/files/Zq3vN8r2XkW1pLmA0bC9dQ?e=1764129800000&s=3mJ0d4Zp8XyQ',
      thumbUrl: '/files/Zq3vN8r2XkW1pLmA0bC9dQ/thumb?e=1764129800000&s=Vb7rT1qL0aWe',
    },
  ],
};

type Vector = [description: string, frame: Frame, version?: number];

const inputs: Record<FrameTypeName, Vector[]> = {
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
    ['v2: login as a bot', { type: 'login', id: 3, name: 'echo-bot', key: 'k-bot', bot: true }],
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
    [
      'v2: a reply that mentions someone',
      {
        type: 'send',
        id: 9,
        room: 'lobby',
        clientId: 'c-77',
        text: 'เห็นด้วย @สมชาย',
        replyTo: 'k3x9aQ.1234',
        mentions: ['สมชาย'],
      },
    ],
    [
      'v2: a file without text',
      { type: 'send', id: 10, room: 'lobby', clientId: 'c-9', text: '', files: ['Zq3vN8r2XkW1pLmA0bC9dQ'] },
    ],
  ],
  edit: [
    [
      'v2: edit',
      {
        type: 'edit',
        id: 20,
        room: 'lobby',
        target: 'k3x9aQ.1240',
        clientId: 'c-78',
        text: 'เห็นด้วย @สมชาย 👍',
        mentions: ['สมชาย'],
      },
    ],
    [
      'v2: edit without mentions',
      { type: 'edit', id: 21, room: 'lobby', target: 'e.1', clientId: 'c-79', text: 'fixed' },
    ],
  ],
  delete: [['v2: delete', { type: 'delete', id: 22, room: 'lobby', target: 'k3x9aQ.1241', clientId: 'c-80' }]],
  react: [
    [
      'v2: add a reaction with a skin tone',
      { type: 'react', id: 23, room: 'lobby', target: 'k3x9aQ.1240', clientId: 'c-81', emoji: '👍🏽', on: true },
    ],
    [
      'v2: remove a ZWJ reaction',
      { type: 'react', id: 24, room: 'lobby', target: 'k3x9aQ.1240', clientId: 'c-82', emoji: '🧑‍💻', on: false },
    ],
  ],
  read: [['v2: read up to a seq', { type: 'read', id: 25, room: 'lobby', seq: 1246 }]],
  dm: [
    ['v2: open a direct room', { type: 'dm', id: 26, name: 'สมชาย' }],
    ['v2: open a direct room by a Latin name', { type: 'dm', id: 27, name: 'Nok' }],
  ],
  upload: [
    [
      'v2: ask for an upload slot',
      { type: 'upload', id: 28, room: 'lobby', name: 'แมว.jpg', size: 183204, mediaType: 'image/jpeg' },
    ],
  ],
  history: [
    ['history before a seq', { type: 'history', id: 9, room: 'lobby', before: 1200, limit: 50 }],
    ['history after a seq', { type: 'history', id: 10, room: 'lobby', after: 0 }],
    ['history of the latest page', { type: 'history', id: 11, room: 'lobby' }],
  ],
  rooms: [
    ['rooms', { type: 'rooms', id: 12 }],
    ['rooms with a large id', { type: 'rooms', id: 4294967295 }],
    ['the next page of rooms', { type: 'rooms', id: 13, after: 'lobby', limit: 100 }],
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
    [
      'welcome of a v2 server to a v1 session (v2 limits left out)',
      {
        type: 'welcome',
        version: 1,
        server: 'kuykan-server',
        serverVersion: '0.2.0',
        sessionId: 'A05bb5Wi-9ze',
        capabilities: ['history', 'typing', 'resume', 'files'],
        limits: { ...DEFAULT_LIMITS },
      },
      1,
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
    [
      'v2: joined a direct room with read state, a bot and folded messages',
      {
        type: 'joined',
        id: 6,
        room: '@3q7nbx0c5k2m8r4tvw6y',
        epoch: 'k3x9aQ',
        seq: 1246,
        members: ['Ann', 'Nok'],
        messages: [folded, tombstone, withImage],
        readSeq: 1240,
        unread: 1,
        mentions: 0,
        bots: ['Ann'],
        peer: 'Ann',
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
    ['v2: page of folded messages', { type: 'page', id: 11, room: 'lobby', messages: [folded, tombstone], more: true }],
    [
      'v2 page encoded for a v1 session (v2 fields left out)',
      { type: 'page', id: 12, room: 'lobby', messages: [folded], more: false },
      1,
    ],
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
    [
      'v2: a page of rooms with my direct room',
      {
        type: 'roomList',
        id: 13,
        rooms: [
          { room: '@3q7nbx0c5k2m8r4tvw6y', members: 1, seq: 1246, peer: 'Ann' },
          { room: 'lobby', members: 3, seq: 1234 },
        ],
        more: true,
      },
    ],
  ],
  pong: [
    ['pong', { type: 'pong', id: 15 }],
    ['pong with id 0', { type: 'pong', id: 0 }],
  ],
  message: [
    ['message (the PROTOCOL.md §3.1 size example)', { type: 'message', room: 'lobby', ...message }],
    ['message without client id', { type: 'message', room: 'lobby', ...family }],
    [
      'v2: an edit entry',
      {
        type: 'message',
        room: 'lobby',
        seq: 1244,
        messageId: 'k3x9aQ.1244',
        ts: 1764043360000,
        from: 'Nok',
        text: 'เห็นด้วย @สมชาย 👍',
        clientId: 'c-78',
        kind: 'edit',
        target: 'k3x9aQ.1240',
        mentions: ['สมชาย'],
      },
    ],
    [
      'v2: a delete entry',
      {
        type: 'message',
        room: 'lobby',
        seq: 1245,
        messageId: 'k3x9aQ.1245',
        ts: 1764043370000,
        from: 'Nok',
        text: '',
        clientId: 'c-80',
        kind: 'delete',
        target: 'k3x9aQ.1241',
      },
    ],
    [
      'v2: a reaction entry',
      {
        type: 'message',
        room: 'lobby',
        seq: 1243,
        messageId: 'k3x9aQ.1243',
        ts: 1764043350000,
        from: 'สมชาย',
        text: '',
        clientId: 'c-81',
        kind: 'react',
        target: 'k3x9aQ.1240',
        emoji: '👍🏽',
      },
    ],
    ['v2: a message from a bot with an image', { type: 'message', room: 'lobby', ...withImage }],
  ],
  presence: [
    ['presence join', { type: 'presence', room: 'lobby', name: 'Nok', kind: 'join' }],
    ['presence leave', { type: 'presence', room: 'lobby', name: 'สมชาย', kind: 'leave' }],
    ['v2: a bot joins', { type: 'presence', room: 'lobby', name: 'echo-bot', kind: 'join', bot: true }],
  ],
  readMarker: [['v2: read marker', { type: 'readMarker', room: 'lobby', seq: 1246 }]],
  mention: [
    [
      'v2: mention in a room not joined',
      {
        type: 'mention',
        room: 'ห้องนั่งเล่น',
        seq: 77,
        messageId: 'e.77',
        from: 'Nok',
        text: '@สมชาย ดูนี่สิ',
      },
    ],
  ],
  directRoom: [['v2: direct room', { type: 'directRoom', id: 26, room: '@3q7nbx0c5k2m8r4tvw6y', name: 'Ann' }]],
  uploadSlot: [
    [
      'v2: upload slot',
      {
        type: 'uploadSlot',
        id: 28,
        url: '/files/upload',
        token: 'eyJzIjoiUzEifQ.6Qm1Hc0',
        expires: 1764043700000,
      },
    ],
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
  // A vector with a version is encoded for it, and decodes to what that version sees [VER-2].
  const body = {
    frame: name,
    vectors: vectors.map(([description, value, version]) => {
      const bytes = encodeFrame(value, version);
      return version === undefined
        ? { description, hex: hex(bytes), value }
        : { description, version, hex: hex(bytes), value, decoded: decodeFrame(bytes, { version }) };
    }),
  };
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
}
console.log(`wrote ${Object.keys(inputs).length} vector files`);
