/**
 * Version 1 faults of presence, typing, history, resume, ping and security (§11–§15).
 */

import { ErrorCode, type ServerFrame } from '@kuykan/protocol';
import { on, type ProxyFault, recode, requestOf } from './tools.js';

export const EVENT_FAULTS: readonly ProxyFault[] = [
  // §11 presence and typing
  {
    name: 'presence-leave-dropped',
    requirement: 'PRES-3',
    only: 'presence',
    make: on('presence', (f) => (f.kind === 'leave' ? [] : f)),
  },
  {
    name: 'presence-join-dropped',
    requirement: 'PRES-1',
    only: 'presence',
    make: on('presence', (f) => (f.kind === 'join' ? [] : f)),
  },
  {
    name: 'presence-leave-when-one-session-closes',
    requirement: 'PRES-7',
    only: 'presence/one-of-two-sessions-drops',
    make: () => ({
      closed(session) {
        if (!session.name) return;
        for (const other of session.proxy.sessions) {
          if (other.name === session.name) continue;
          for (const room of session.rooms)
            if (other.rooms.has(room)) other.push({ type: 'presence', room, name: session.name, kind: 'leave' });
        }
      },
    }),
  },
  {
    name: 'typing-echoed-to-self',
    requirement: 'TYPE-1',
    only: 'typing',
    make: on('ok', (f, s) => {
      const request = requestOf(s, f.id);
      if (request?.type !== 'typing' || !s.name) return f;
      return [{ type: 'userTyping', room: request.room, name: s.name, active: request.active, ttlMs: 6000 }, f];
    }),
  },
  {
    name: 'typing-ttl-wrong',
    requirement: 'TYPE-1',
    only: 'typing',
    make: on('userTyping', (f) => ({ ...f, ttlMs: f.ttlMs * 2 })),
  },
  // §12 history
  {
    name: 'history-default-page-half',
    requirement: 'HIST-2',
    only: 'history/default-page-size',
    make: on('page', (f, s) => {
      const request = requestOf(s, f.id);
      if (request?.type !== 'history' || request.limit !== undefined) return f;
      const half = Math.ceil(f.messages.length / 2);
      return { ...f, messages: f.messages.slice(f.messages.length - half), more: true };
    }),
  },
  {
    name: 'history-more-always-false',
    requirement: 'HIST-3',
    only: 'history',
    make: on('page', (f) => ({ ...f, more: false })),
  },
  {
    name: 'history-text-trimmed',
    requirement: 'HIST-5',
    only: 'history',
    make: on('page', (f) => ({ ...f, messages: f.messages.map((m) => ({ ...m, text: `${m.text} ` })) })),
  },
  {
    name: 'history-both-bounds-accepted',
    requirement: 'HIST-4',
    only: 'history',
    make: recode(ErrorCode.HISTORY_INVALID, ErrorCode.BAD_FRAME),
  },
  // §13 resume
  {
    name: 'resume-partial-gap-recovered',
    requirement: 'RES-2',
    only: 'resume',
    make: on('joined', (f) => (f.recovered === false ? { ...f, recovered: true } : f)),
  },
  {
    name: 'resume-never-recovers',
    requirement: 'RES-1',
    only: 'resume',
    make: on('joined', (f) =>
      f.recovered === true
        ? { ...f, recovered: false, messages: f.messages.slice(-Math.min(50, f.messages.length)) }
        : f,
    ),
  },
  {
    name: 'epoch-per-join',
    requirement: 'RES-1',
    only: 'resume',
    make: () => {
      let n = 0;
      return { down: (f) => (f.type === 'joined' ? [{ ...f, epoch: `${f.epoch}-${n++}` }] : undefined) };
    },
  },
  // §14 ping
  {
    name: 'pong-overtakes-messages',
    requirement: 'PING-3',
    only: 'ping',
    // Fan-out runs on a queue that a ping's reply overtakes: messages arrive only after the next pong.
    make: () => ({
      down(frame, s) {
        s.state.held ??= [];
        const held = s.state.held as ServerFrame[];
        if (frame.type === 'message') {
          held.push(frame);
          return [];
        }
        if (frame.type === 'pong') {
          // The held messages follow the pong in a later write, as a queue drained after the reply would.
          const late = held.splice(0);
          setTimeout(() => {
            for (const m of late) s.push(m);
          }, 20);
          return [frame];
        }
        return undefined;
      },
    }),
  },
  // §15 security
  {
    name: 'slow-consumer-no-cap',
    requirement: 'SEC-1',
    only: 'security/slow-consumer',
    server: { maxBufferedBytes: 2 ** 40 },
    make: () => ({}),
  },
];
