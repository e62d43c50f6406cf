/**
 * Version 1 faults of login, rooms and messages (§8–§10).
 */

import { ErrorCode, type ServerFrame } from '@kuykan/protocol';
import { on, type ProxyFault, recode, requestOf, wrongDedupe } from './tools.js';

export const ROOM_FAULTS: readonly ProxyFault[] = [
  // §8 login
  {
    name: 'not-logged-in-as-bad-frame',
    requirement: 'REQ-5',
    only: 'login',
    make: recode(ErrorCode.NOT_LOGGED_IN, ErrorCode.BAD_FRAME),
  },
  {
    name: 'second-login-accepted',
    requirement: 'LOGIN-4',
    only: 'login',
    make: on('error', (f, s) =>
      f.code === ErrorCode.ALREADY_LOGGED_IN && f.id !== undefined
        ? { type: 'loggedIn', id: f.id, name: s.name ?? 'x' }
        : f,
    ),
  },
  {
    name: 'name-taken-as-invalid',
    requirement: 'LOGIN-3',
    only: 'login',
    make: recode(ErrorCode.NAME_TAKEN, ErrorCode.NAME_INVALID),
  },
  {
    name: 'error-echoes-login-key',
    requirement: 'SEC-7',
    only: 'login',
    make: on('error', (f, s) => ({ ...f, message: `${f.message} (key ${s.key ?? '-'})` })),
  },
  // §9 rooms
  {
    name: 'joined-room-as-requested',
    requirement: 'ROOM-4',
    only: 'rooms',
    make: on('joined', (f, s) => {
      const request = requestOf(s, f.id);
      return request?.type === 'join' ? { ...f, room: request.room } : f;
    }),
  },
  {
    name: 'joined-members-without-self',
    requirement: 'ROOM-5',
    only: 'rooms',
    make: on('joined', (f, s) => ({ ...f, members: f.members.filter((m) => m !== s.name) })),
  },
  {
    name: 'joined-recent-unordered',
    requirement: 'ROOM-6',
    only: 'rooms',
    make: on('joined', (f) => (f.recovered === undefined ? { ...f, messages: [...f.messages].reverse() } : f)),
  },
  {
    name: 'roomlist-without-empty-rooms',
    requirement: 'ROOM-9',
    only: 'rooms',
    make: on('roomList', (f) => ({ ...f, rooms: f.rooms.filter((r) => r.members > 0) })),
  },
  {
    // A node that counts only the members it holds: the rooms the lister is not in show none.
    name: 'roomlist-counts-only-local-members',
    requirement: 'ROOM-9',
    only: 'room-list',
    make: on('roomList', (f, s) => ({
      ...f,
      rooms: f.rooms.map((r) => (s.rooms.has(r.room) ? r : { ...r, members: 0 })),
    })),
  },
  {
    name: 'not-in-room-as-bad-frame',
    requirement: 'ROOM-8',
    only: 'rooms',
    make: recode(ErrorCode.NOT_IN_ROOM, ErrorCode.BAD_FRAME),
  },
  {
    name: 'recovered-on-plain-join',
    requirement: 'RES-4',
    only: 'rooms',
    make: on('joined', (f) => (f.recovered === undefined ? { ...f, recovered: false } : f)),
  },
  // §10 messages
  {
    name: 'dedupe-across-users',
    requirement: 'MSG-5',
    only: 'messages/idempotency-scope',
    make: wrongDedupe((room, clientId) => `${room}/${clientId}`),
  },
  {
    name: 'dedupe-across-rooms',
    requirement: 'MSG-5',
    only: 'messages/idempotency-scope',
    make: wrongDedupe((_room, clientId, name) => `${name}/${clientId}`),
  },
  {
    name: 'text-normalized',
    requirement: 'MSG-2',
    only: 'messages',
    make: on('message', (f) => ({ ...f, text: f.text.normalize('NFC') })),
  },
  {
    name: 'message-without-client-id',
    requirement: 'MSG-12',
    only: 'messages',
    make: on('message', (f) => ({ ...f, clientId: undefined })),
  },
  {
    name: 'ack-ts-differs',
    requirement: 'MSG-12',
    only: 'messages',
    make: on('ack', (f) => ({ ...f, ts: f.ts + 1 })),
  },
  {
    name: 'message-ids-per-room',
    requirement: 'MSG-10',
    only: 'messages',
    make: () => ({
      down(frame) {
        if (frame.type === 'message' || frame.type === 'ack') return [{ ...frame, messageId: `m${frame.seq}` }];
        return undefined;
      },
    }),
  },
  {
    name: 'message-from-not-normalized',
    requirement: 'MSG-10',
    only: 'messages',
    make: on('message', (f) => ({ ...f, from: f.from.toUpperCase() })),
  },
  {
    name: 'message-swapped-pairs',
    requirement: 'MSG-8',
    only: 'messages',
    // Two consecutive messages to one connection go out swapped (a per-connection queue popped LIFO).
    make: () => ({
      down(frame, s) {
        const held = s.state.held as ServerFrame | undefined;
        s.state.held = undefined;
        if (frame.type === 'message') {
          if (held) return [frame, held];
          s.state.held = frame;
          return [];
        }
        return held ? [held, frame] : undefined;
      },
    }),
  },
];
