/**
 * Version 1 faults of the wire, limits and handshake (§2–§4, §7).
 */

import { CloseCode, ErrorCode } from '@kuykan/protocol';
import { rawEdit } from '../mutation-proxy.js';
import { on, type ProxyFault, reclose, recode, requestOf } from './tools.js';

export const WIRE_FAULTS: readonly ProxyFault[] = [
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
];
