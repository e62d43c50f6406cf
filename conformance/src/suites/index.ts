/**
 * The registry: every test case grouped by spec section, and the reason
 * each requirement that no test covers is not covered.
 *
 * @module
 */

import type { TestCase } from '../runner.js';
import { admission } from './admission.js';
import { fuzz } from './fuzz.js';
import { handshake } from './handshake.js';
import { history } from './history.js';
import { limits } from './limits.js';
import { login } from './login.js';
import { messages } from './messages.js';
import { model } from './model.js';
import { ping } from './ping.js';
import { presence } from './presence.js';
import { resume } from './resume.js';
import { rooms } from './rooms.js';
import { security } from './security.js';
import { slowConsumer } from './slow-consumer.js';
import { strictInput } from './strict-input.js';
import { transport } from './transport.js';
import { typing } from './typing.js';

/** Every test, in run order (cheap sections first, the slow waits and properties last). */
export const ALL_TESTS: readonly TestCase[] = [
  ...transport,
  ...strictInput,
  ...handshake,
  ...login,
  ...rooms,
  ...messages,
  ...typing,
  ...history,
  ...resume,
  ...ping,
  ...limits,
  ...admission,
  ...security,
  ...presence,
  ...slowConsumer,
  ...fuzz,
  ...model,
];

/** Why a requirement cannot be checked by a remote black-box suite. */
export const UNCOVERED_REASONS: Readonly<Record<string, string>> = {
  'REQ-1': 'a rule for clients (every client frame but hello carries an id); the suite is the client',
  'REQ-3': 'a rule for clients; the suite keeps its own request ids unique',
  'LIMIT-2': 'a rule for clients (use advertised limits); the suite itself reads every limit from welcome',
  'LIMIT-4': 'MAY: closing for rate abuse is optional',
  'ERR-2': 'needs a server-internal failure, which cannot be provoked remotely without a fault hook',
  'CLOSE-2': 'a rule for clients (follow the close advice)',
  'CLOSE-3': 'a rule for clients (backoff)',
  'CLOSE-4': 'needs the server to shut down, which a remote suite cannot trigger (the reference server tests it)',
  'MSG-3':
    'durability across a restart cannot be observed remotely: the suite cannot restart the server (the reference server tests it with kill -9)',
  'RES-5': 'needs a server restart with a durable store, which a remote suite cannot trigger',
  'RES-6': 'a rule for clients (redraw on recovered:false)',
  'TYPE-3': 'a rule for clients (expire indications after ttlMs)',
  'TYPE-4': 'a rule for clients (typing throttle)',
  'PING-4': 'a rule for clients (heartbeat)',
  'SEC-1':
    'the slow-consumer cap is private to the server and not advertised; reaching it through the send rate takes minutes',
  'SEC-2': 'needs the server’s configured origin allow-list, which is not advertised',
  'SEC-3': 'a rule for clients (display text literally)',
  'SEC-4': 'concerns server logs and token lifetimes, which are not observable on the wire',
  'LOGIN-9':
    'needs tokens with a chosen exp and iat signed with the server’s key, which the suite does not hold (the reference server tests it)',
  'LOGIN-7':
    'needs more failed logins from one address than a run may spend without slowing its own logins (the reference server tests it)',
  'LOGIN-8': 'waiting for loginTimeoutMs (30 s by default) is too slow for the suite (the reference server tests it)',
  'SEC-8': 'the connection caps are server configuration, not advertised (the reference server tests them)',
  'SEC-9': 'pausing reads is not observable on the wire: replies only come later (the reference server tests it)',
  'WIRE-6': 'client half (accept 4 MiB) is a client rule; the server half is checked on every frame received',
};
