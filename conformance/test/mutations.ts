/**
 * The proxy half of the fault matrix: each entry is one realistic server bug,
 * written as a rewrite of the reference server's frames by the mutation
 * proxy, with the requirement the suite must name and the sections to run.
 * `benign` entries are spec-allowed variations the suite must NOT fail.
 */

import { CloseCode, ErrorCode, type ServerFrame } from '@kuykan/protocol';
import type { Mutation, ProxySession } from './mutation-proxy.js';
import { rawEdit } from './mutation-proxy.js';

export interface ProxyFault {
  readonly name: string;
  /** The requirement the suite must report as FAIL. */
  readonly requirement: string;
  /** `--only` globs: the sections whose tests can see the bug (keeps the matrix fast). */
  readonly only: string;
  /** A fresh mutation per run (some keep state across connections). */
  readonly make: () => Mutation;
  /** Server options beyond the suite's limits (e.g. a real limit the welcome misstates). */
  readonly server?: Record<string, unknown>;
}

type Frame<T extends ServerFrame['type']> = Extract<ServerFrame, { type: T }>;

/** A mutation of one frame type only. */
function on<T extends ServerFrame['type']>(
  type: T,
  edit: (f: Frame<T>, s: ProxySession) => (ServerFrame | Uint8Array)[] | ServerFrame | Uint8Array | undefined,
): () => Mutation {
  return () => ({
    down(frame, session) {
      if (frame.type !== type) return undefined;
      const out = edit(frame as Frame<T>, session);
      return out === undefined ? undefined : Array.isArray(out) ? out : [out];
    },
  });
}

/** Replaces error code `from` by `to`. */
const recode = (from: number, to: number) => on('error', (f) => (f.code === from ? { ...f, code: to } : f));

/** Maps one close code to another. */
const reclose =
  (from: number, to: number | null): (() => Mutation) =>
  () => ({ close: (code) => (code === from ? to : code) });

/** What the request a reply answers was. */
const requestOf = (s: ProxySession, id: number | undefined) => (id === undefined ? undefined : s.requests.get(id));

/** Stateful dedupe by a wrong key: later sends with the same key get the first ack, their message is dropped. */
function wrongDedupe(keyOf: (room: string, clientId: string, name: string) => string): () => Mutation {
  return () => {
    const first = new Map<string, { ack: Frame<'ack'>; owner: string }>();
    const dropped = new Set<string>();
    return {
      down(frame, s) {
        if (frame.type === 'message' && frame.clientId !== undefined) {
          const key = keyOf(frame.room, frame.clientId, frame.from);
          if (dropped.has(frame.messageId)) return [];
          const seen = first.get(key);
          if (seen && seen.owner !== `${frame.room}/${frame.from}`) {
            dropped.add(frame.messageId);
            return [];
          }
          return undefined;
        }
        if (frame.type === 'ack') {
          const request = requestOf(s, frame.id);
          if (request?.type !== 'send' || !s.name) return undefined;
          const key = keyOf(frame.room, request.clientId, s.name);
          const seen = first.get(key);
          if (!seen) {
            first.set(key, { ack: frame, owner: `${frame.room}/${s.name}` });
            return undefined;
          }
          if (seen.owner === `${frame.room}/${s.name}`) return undefined;
          dropped.add(frame.messageId);
          return [{ ...seen.ack, id: frame.id }];
        }
        return undefined;
      },
    };
  };
}

export const PROXY_FAULTS: readonly ProxyFault[] = [
  // §4 limits
  {
    name: 'no-rate-limit',
    requirement: 'LIMIT-3',
    only: 'limits',
    server: { limits: { sendRate: 1_000_000, sendBurst: 1_000_000 } },
    make: on('welcome', (f) => ({ ...f, limits: { ...f.limits, sendRate: 50, sendBurst: 50 } })),
  },
  {
    name: 'rate-limited-without-retry-after',
    requirement: 'LIMIT-3',
    only: 'limits',
    // A rate the proxied server surely outpaces, so the limit is reached whatever the machine's load.
    server: { limits: { sendRate: 50, sendBurst: 50 } },
    make: on('error', (f) => (f.code === ErrorCode.RATE_LIMITED ? { ...f, retryAfterMs: undefined } : f)),
  },
  {
    name: 'send-rate-limited-without-retry-after',
    requirement: 'LIMIT-3',
    only: 'limits/send-rate',
    // A rate the proxied server surely outpaces, so the limit is reached whatever the machine's load.
    server: { limits: { sendRate: 50, sendBurst: 50 } },
    make: on('error', (f, s) =>
      f.code === ErrorCode.RATE_LIMITED && requestOf(s, f.id)?.type === 'send' ? { ...f, retryAfterMs: undefined } : f,
    ),
  },
  {
    name: 'advertised-frame-limit-larger',
    requirement: 'LIMIT-1',
    only: 'limits/frame-size',
    make: on('welcome', (f) => ({ ...f, limits: { ...f.limits, maxFrameBytes: f.limits.maxFrameBytes * 2 } })),
  },
  {
    name: 'advertised-rooms-limit-larger',
    requirement: 'LIMIT-1',
    only: 'limits/rooms-per-connection',
    make: on('welcome', (f) => ({
      ...f,
      limits: { ...f.limits, maxRoomsPerConnection: f.limits.maxRoomsPerConnection + 3 },
    })),
  },
  {
    name: 'too-many-rooms-unknown-code',
    requirement: 'ERR-1',
    only: 'limits/rooms-per-connection',
    make: recode(ErrorCode.TOO_MANY_ROOMS, 399),
  },
  // §2, §3 wire
  {
    name: 'text-message-closes-1002',
    requirement: 'WIRE-4',
    only: 'transport',
    make: reclose(CloseCode.UNSUPPORTED_DATA, CloseCode.POLICY_VIOLATION),
  },
  {
    name: 'oversize-closes-1011',
    requirement: 'WIRE-5',
    only: 'limits/frame-size',
    make: reclose(CloseCode.MESSAGE_TOO_BIG, CloseCode.INTERNAL_ERROR),
  },
  {
    name: 'unknown-type-as-bad-frame',
    requirement: 'WIRE-10',
    only: 'transport',
    make: recode(ErrorCode.UNKNOWN_TYPE, ErrorCode.BAD_FRAME),
  },
  {
    name: 'bad-frame-error-loses-id',
    requirement: 'REQ-4',
    only: 'transport,edge-inputs',
    make: on('error', (f) => (f.code === ErrorCode.BAD_FRAME ? { ...f, id: undefined } : f)),
  },
  {
    name: 'pong-wrong-id',
    requirement: 'PING-1',
    only: 'ping',
    make: on('pong', (f) => ({ ...f, id: f.id + 1000 })),
  },
  // §7 handshake
  {
    name: 'welcome-missing-typing-ttl',
    requirement: 'HS-7',
    only: 'handshake',
    make: on('welcome', (f) =>
      rawEdit(f, (w) => {
        delete (w.l as Record<string, unknown>).tt;
      }),
    ),
  },
  {
    name: 'welcome-wrong-version',
    requirement: 'HS-3',
    only: 'handshake',
    make: on('welcome', (f) => ({ ...f, version: f.version + 1 })),
  },
  {
    name: 'session-id-reused',
    requirement: 'HS-6',
    only: 'handshake',
    make: on('welcome', (f) => ({ ...f, sessionId: 'same-session' })),
  },
  {
    name: 'unsupported-version-not-closed',
    requirement: 'HS-4',
    only: 'handshake/no-common-version',
    make: reclose(CloseCode.UNSUPPORTED_VERSION, null),
  },
  {
    name: 'handshake-violation-closes-4099',
    requirement: 'CLOSE-1',
    only: 'handshake',
    make: reclose(CloseCode.HANDSHAKE_VIOLATION, 4099),
  },
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

/** Variations the spec allows: the suite must pass them (and say so honestly). */
export const BENIGN: readonly (ProxyFault & { readonly verdict: RegExp })[] = [
  {
    name: 'closes-4005-after-rate-limit',
    requirement: '',
    only: 'limits',
    verdict: /RESULT: no failure in the selected tests/,
    // A rate the proxied server surely outpaces, so the limit is reached whatever the machine's load.
    server: { limits: { sendRate: 50, sendBurst: 50 } },
    make: () => ({
      down(frame, s) {
        if (frame.type !== 'error' || frame.code !== ErrorCode.RATE_LIMITED) return undefined;
        const n = ((s.state.limited as number | undefined) ?? 0) + 1;
        s.state.limited = n;
        // LIMIT-4 MAY: persistent abuse is closed with 4005 after a few refusals; nothing follows the close.
        if (n === 3) {
          s.push(frame);
          s.client.close(CloseCode.RATE_ABUSE, 'rate abuse');
          return [];
        }
        return undefined;
      },
    }),
  },
  {
    name: 'no-capabilities',
    requirement: '',
    only: '',
    verdict:
      /RESULT: conformant to the core profile \(without history, typing, resume, auth\.token\); \d+ requirements not offered/,
    make: on('welcome', (f) => ({ ...f, capabilities: [] })),
  },
];
