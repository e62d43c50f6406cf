/**
 * Version 2 faults (§4 LIMIT-9, §9 ROOM-11, §16): realistic bugs of an
 * event-log server, written as rewrites of the reference server's frames.
 */

import { type ChatMessage, ErrorCode, type ServerFrame } from '@kuykan/protocol';
import { type Mutation, rawEdit } from '../mutation-proxy.js';
import { type Frame, on, type ProxyFault, recode, requestOf } from './tools.js';

/** Applies `edit` to every record of `joined` and `page` frames. */
function records(edit: (m: ChatMessage) => ChatMessage): () => Mutation {
  return () => ({
    down(frame) {
      if (frame.type !== 'joined' && frame.type !== 'page') return undefined;
      return [{ ...frame, messages: frame.messages.map(edit) } as ServerFrame];
    },
  });
}

export const V2_FAULTS: readonly ProxyFault[] = [
  // §16.2 the log
  {
    name: 'edit-lost-on-resume',
    requirement: 'LOG-4',
    only: 'deletes/tombstone-everywhere',
    make: on('joined', (f) => (f.recovered ? { ...f, messages: f.messages.filter((m) => m.kind !== 'edit') } : f)),
  },
  {
    name: 'edit-entry-after-its-ack',
    requirement: 'LOG-1',
    only: 'edits',
    // The requester's copy of its own edit is queued behind the ack.
    make: () => ({
      down(frame, s) {
        const held = s.state.held as Frame<'message'> | undefined;
        if (frame.type === 'message' && frame.kind === 'edit' && frame.from === s.name) {
          s.state.held = frame;
          return [];
        }
        if (frame.type === 'ack' && held?.messageId === frame.messageId) {
          s.state.held = undefined;
          return [frame, held];
        }
        return undefined;
      },
    }),
  },
  {
    name: 'no-op-react-gets-a-seq',
    requirement: 'LOG-5',
    only: 'reactions/once-per-user',
    make: on('ack', (f, s) => (requestOf(s, f.id)?.type === 'react' && f.seq === 0 ? { ...f, seq: 1 } : f)),
  },
  // §16.3 folded records
  {
    name: 'reaction-counted-twice',
    requirement: 'FOLD-3',
    only: 'reactions/folded-list',
    make: records((m) =>
      m.reactions ? { ...m, reactions: m.reactions.map((r) => ({ ...r, count: r.count + 1 })) } : m,
    ),
  },
  {
    name: 'revision-left-out',
    requirement: 'FOLD-2',
    only: 'edits/entry-and-folded-record',
    make: records((m) => ({ ...m, revision: undefined })),
  },
  {
    name: 'tombstone-keeps-reactions',
    requirement: 'FOLD-1',
    only: 'deletes/tombstone-everywhere',
    make: records((m) => (m.deleted ? { ...m, reactions: [{ emoji: '👍', count: 1, names: ['x'] }] } : m)),
  },
  // §16.4, §16.5 edits and deletes
  {
    name: 'not-author-as-bad-frame',
    requirement: 'EDIT-1',
    only: 'edits/only-the-author',
    make: recode(ErrorCode.NOT_AUTHOR, ErrorCode.BAD_FRAME),
  },
  {
    name: 'deleted-text-still-served',
    requirement: 'DEL-2',
    only: 'deletes/tombstone-everywhere',
    // The store marks the message deleted but keeps (and serves) its text.
    make: () => {
      const texts = new Map<string, string>();
      return {
        down(frame) {
          if (frame.type === 'message' && frame.kind === undefined) texts.set(frame.messageId, frame.text);
          if (frame.type !== 'page') return undefined;
          const messages = frame.messages.map((m) =>
            m.deleted ? { ...m, text: texts.get(m.messageId) ?? m.text } : m,
          );
          return [{ ...frame, messages }];
        },
      };
    },
  },
  // §16.7–§16.11
  {
    name: 'reply-preview-not-cut',
    requirement: 'REPLY-2',
    only: 'replies/preview',
    make: () => {
      const texts = new Map<string, string>();
      const fix = (m: ChatMessage): ChatMessage =>
        m.reply ? { ...m, reply: { ...m.reply, text: texts.get(m.reply.messageId) ?? m.reply.text } } : m;
      return {
        down(frame) {
          if (frame.type === 'message' && frame.kind === undefined) texts.set(frame.messageId, frame.text);
          if (frame.type === 'message') return [fix(frame) as ServerFrame];
          if (frame.type === 'page' || frame.type === 'joined')
            return [{ ...frame, messages: frame.messages.map(fix) }];
          return undefined;
        },
      };
    },
  },
  {
    name: 'mention-to-a-joined-session',
    requirement: 'MENTION-2',
    only: 'mentions/events-to-sessions-not-joined',
    // Mentions go to every session of the user, joined to the room or not.
    make: on('message', (f, s) => {
      if (f.kind !== undefined || !s.name || !f.mentions?.includes(s.name) || f.from === s.name) return f;
      return [f, { type: 'mention', room: f.room, seq: f.seq, messageId: f.messageId, from: f.from, text: f.text }];
    }),
  },
  {
    name: 'read-marker-not-sent',
    requirement: 'READ-2',
    only: 'read-markers/other-sessions',
    make: on('readMarker', () => []),
  },
  {
    name: 'unread-counts-own-messages',
    requirement: 'READ-3',
    only: 'read-markers/joined-counts',
    make: on('joined', (f) => (f.unread !== undefined ? { ...f, unread: f.unread + 1 } : f)),
  },
  {
    name: 'direct-room-joinable-by-a-third-user',
    requirement: 'DM-3',
    only: 'direct-rooms/nobody-else',
    make: on('error', (f, s) => {
      const request = requestOf(s, f.id);
      if (f.code !== ErrorCode.FORBIDDEN || request?.type !== 'join') return f;
      return {
        type: 'joined',
        id: f.id!,
        room: request.room,
        epoch: 'e',
        seq: 0,
        members: [s.name ?? 'x'],
        messages: [],
      };
    }),
  },
  {
    name: 'direct-room-peer-missing',
    requirement: 'DM-5',
    only: 'direct-rooms/one-room-per-pair',
    make: on('joined', (f) => ({ ...f, peer: undefined })),
  },
  {
    name: 'bot-flag-dropped-from-messages',
    requirement: 'BOT-1',
    only: 'bots',
    make: on('message', (f) => ({ ...f, bot: undefined })),
  },
  // §16.1 versions side by side
  {
    name: 'v2-key-leaked-to-v1',
    requirement: 'VER-2',
    only: 'versions',
    // An encoder that ignores the session's version: v1 sessions get the v2 `revision` key.
    make: on('message', (f, s) =>
      s.version === 1
        ? rawEdit(f, (w) => {
            w.rv = f.seq;
          })
        : f,
    ),
  },
  {
    name: 'v1-sees-deleted-messages',
    requirement: 'VER-4',
    only: 'versions/v1-session-in-a-v2-room',
    make: () => {
      const texts = new Map<string, Frame<'message'>>();
      return {
        down(frame, s) {
          if (frame.type === 'message' && frame.kind === undefined) texts.set(frame.messageId, frame);
          if (s.version !== 1 || (frame.type !== 'page' && frame.type !== 'joined')) return undefined;
          // A v1 page built from the log without the deleted filter: every message seen so far in the room.
          const all = [...texts.values()].filter((m) => m.room === frame.room);
          const shown = new Set(frame.messages.map((m) => m.messageId));
          const extra = all.filter((m) => !shown.has(m.messageId) && m.seq < (frame.messages.at(-1)?.seq ?? 0));
          const messages = [...frame.messages, ...extra.map(({ type: _t, room: _r, ...m }) => m)].sort(
            (a, b) => a.seq - b.seq,
          );
          return [{ ...frame, messages }];
        },
      };
    },
  },
  // §9 room list [ROOM-11]
  {
    name: 'room-list-in-utf16-order',
    requirement: 'ROOM-11',
    only: 'room-list',
    make: on('roomList', (f) => ({ ...f, rooms: [...f.rooms].sort((a, b) => (a.room < b.room ? -1 : 1)) })),
  },
  {
    name: 'room-list-more-on-the-last-page',
    requirement: 'ROOM-11',
    only: 'room-list',
    make: on('roomList', (f) => ({ ...f, more: true })),
  },
  // §4 [LIMIT-9]
  {
    name: 'edits-not-rate-limited',
    requirement: 'LIMIT-9',
    only: 'limits/changes-share-send-rate',
    server: { limits: { sendRate: 1_000_000, sendBurst: 1_000_000 } },
    // The welcome promises the suite's rate; edits and reactions never draw on it.
    make: () => ({
      down(frame, s) {
        if (frame.type === 'welcome') return [{ ...frame, limits: { ...frame.limits, sendRate: 50, sendBurst: 50 } }];
        if (frame.type !== 'ack') return undefined;
        const request = requestOf(s, frame.id);
        if (request?.type !== 'send') return undefined;
        const n = ((s.state.sends as number | undefined) ?? 0) + 1;
        s.state.sends = n;
        // Sends alone are limited at 50.
        if (n > 50)
          return [
            { type: 'error', id: frame.id, code: ErrorCode.RATE_LIMITED, message: 'slow down', retryAfterMs: 20 },
          ];
        return undefined;
      },
    }),
  },
];
