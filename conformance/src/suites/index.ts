/**
 * The registry: every test case grouped by spec section, and the reason
 * each requirement that no test covers is not covered.
 *
 * @module
 */

import type { TestCase } from '../runner.js';
import { admission } from './admission.js';
import { attachments } from './attachments.js';
import { bots } from './bots.js';
import { deletes } from './deletes.js';
import { directRooms } from './direct-rooms.js';
import { durability } from './durability.js';
import { edgeInputs } from './edge-inputs.js';
import { edits } from './edits.js';
import { fuzz } from './fuzz.js';
import { handshake } from './handshake.js';
import { history } from './history.js';
import { idempotency } from './idempotency.js';
import { limits } from './limits.js';
import { limitsV2 } from './limits-v2.js';
import { login } from './login.js';
import { mentions } from './mentions.js';
import { messages } from './messages.js';
import { model } from './model.js';
import { ping } from './ping.js';
import { presence } from './presence.js';
import { reactions } from './reactions.js';
import { readMarkers } from './read-markers.js';
import { replies } from './replies.js';
import { resume } from './resume.js';
import { resumeLimits } from './resume-limits.js';
import { retention } from './retention.js';
import { roomList } from './room-list.js';
import { rooms } from './rooms.js';
import { security } from './security.js';
import { slowConsumer } from './slow-consumer.js';
import { strictInput } from './strict-input.js';
import { transport } from './transport.js';
import { typing } from './typing.js';
import { uploads } from './uploads.js';
import { versions } from './versions.js';

/** Every test, in run order (cheap sections first, the slow waits and properties last). */
export const ALL_TESTS: readonly TestCase[] = [
  ...transport,
  ...strictInput,
  ...handshake,
  ...login,
  ...rooms,
  ...roomList,
  ...messages,
  ...idempotency,
  ...edgeInputs,
  ...typing,
  ...history,
  ...resume,
  ...resumeLimits,
  ...retention,
  // Version 2 (§16, §17): "not offered" when the server chooses version 1.
  ...versions,
  ...edits,
  ...deletes,
  ...reactions,
  ...replies,
  ...mentions,
  ...readMarkers,
  ...directRooms,
  ...bots,
  ...attachments,
  ...uploads,
  ...ping,
  ...limits,
  ...limitsV2,
  ...admission,
  ...security,
  ...presence,
  ...slowConsumer,
  ...fuzz,
  ...model,
  // Last: they restart the server.
  ...durability,
];

/** Why a requirement cannot be checked by a remote black-box suite. */
export const UNCOVERED_REASONS: Readonly<Record<string, string>> = {
  'BOT-2': 'a rule for clients (show bots as bots, bots do not answer bots): needs a client, not a server',
  'REQ-1': 'a rule for clients: checked by `kuykan-conformance client`',
  'REQ-3': 'a rule for clients: checked by `kuykan-conformance client`',
  'LIMIT-2': 'a rule for clients (use advertised limits): checked by `kuykan-conformance client`',
  'ERR-2': 'needs a server-internal failure, which cannot be provoked remotely without a fault hook',
  'CLOSE-2': 'a rule for clients (follow the close advice): checked by `kuykan-conformance client`',
  'CLOSE-3': 'a rule for clients (backoff): checked by `kuykan-conformance client`',
  'CLOSE-4': 'needs the server to shut down: run with --restart-cmd',
  'MSG-3': 'durability across a crash: run with --kill-cmd (or --restart-cmd)',
  'RES-5': 'needs a restart of a server with a durable store: run with --kill-cmd or --restart-cmd and --durable',
  'RES-6': 'a rule for clients (redraw on recovered:false); needs a view of the room, which no adapter exposes yet',
  'HIST-9': 'SHOULD: documenting the retention rule is not observable on the wire',
  'TYPE-3': 'a rule for clients (expire indications after ttlMs): checked by `kuykan-conformance client`',
  'TYPE-4': 'a rule for clients (typing throttle): checked by `kuykan-conformance client`',
  'PING-4': 'a rule for clients (heartbeat): checked by `kuykan-conformance client`',
  'SEC-2': 'needs the server’s configured origin allow-list, which is not advertised',
  'SEC-3': 'a rule for clients (display text literally); needs a display, which no adapter exposes yet',
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
