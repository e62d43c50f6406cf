/**
 * `hello` (PROTOCOL.md §7) and `login` (§8).
 *
 * @module
 */

import {
  Capability,
  CloseCode,
  ErrorCode,
  type HelloFrame,
  type LoginFrame,
  ProtocolError,
  validateName,
} from '@kuykan/protocol';
import { verifyToken } from '../auth.js';
import * as observe from '../observe.js';
import { ABUSE_REFUSALS, type Session } from '../session.js';
import { SERVER_NAME, SERVER_VERSION } from '../version.js';

/**
 * Answers `hello` with `welcome` for the highest version both speak, or
 * refuses and closes when none is shared [HS-3, HS-4]. The limits are
 * encoded for that version: a v1 session gets no v2 limit [VER-2, LIMIT-9].
 */
export function handleHello(session: Session, hello: HelloFrame): void {
  const { versions } = session.hub;
  const version = Math.max(...hello.versions.filter((v) => versions.includes(v)), -1);
  if (version < 0) {
    session.sendError(
      new ProtocolError(ErrorCode.UNSUPPORTED_VERSION, `this server speaks versions ${versions.join(', ')}`),
    );
    session.close(CloseCode.UNSUPPORTED_VERSION, 'no common protocol version');
    return;
  }
  session.token = hello.token;
  session.state = 'open';
  session.version = version;
  const capabilities: string[] = [Capability.HISTORY, Capability.TYPING, Capability.RESUME];
  if (session.hub.tokenKeys) capabilities.push(Capability.TOKEN_AUTH);
  if (session.hub.files && version >= 2) capabilities.push(Capability.FILES);
  session.send({
    type: 'welcome',
    version,
    server: SERVER_NAME,
    serverVersion: SERVER_VERSION,
    sessionId: session.id,
    capabilities,
    limits: session.hub.limits,
  });
  session.startLoginDeadline();
}

/** Logins refused in a row with RATE_LIMITED, per session. */
const loginRefusals = new WeakMap<Session, number>();

/** Logs the session in by name (and key), or by token on token-auth servers [LOGIN-1..5]. */
export async function handleLogin(session: Session, frame: LoginFrame): Promise<void> {
  if (session.user) throw new ProtocolError(ErrorCode.ALREADY_LOGGED_IN, 'this session is already logged in');
  // After failed logins from this address, the next waits longer each time [LOGIN-7].
  const waitMs = session.admission?.loginWait(session.address) ?? 0;
  if (waitMs > 0) {
    // A session that keeps logging in while told to wait is closed like any rate abuse [LIMIT-4].
    const refusals = (loginRefusals.get(session) ?? 0) + 1;
    loginRefusals.set(session, refusals);
    if (refusals >= ABUSE_REFUSALS) session.close(CloseCode.RATE_ABUSE, 'login rate abuse');
    throw new ProtocolError(ErrorCode.RATE_LIMITED, `too many failed logins: retry in ${waitMs} ms`, {
      retryAfterMs: waitMs,
    });
  }
  loginRefusals.delete(session);
  try {
    // Success does not clear the record: logging in under a fresh name must
    // not reset the delay for guessing another user's key.
    await logIn(session, frame);
  } catch (error) {
    const code = error instanceof ProtocolError ? error.code : undefined;
    if (code === ErrorCode.NAME_TAKEN || code === ErrorCode.UNAUTHORIZED) {
      session.admission?.loginFailed(session.address);
    }
    throw error;
  }
}

async function logIn(session: Session, frame: LoginFrame): Promise<void> {
  const { hub } = session;
  let rawName = frame.name ?? '';
  let secret = frame.key;
  let identity: string | undefined;
  let expiresAt: number | undefined;
  if (hub.tokenKeys) {
    const token = await verifyToken(session.token, hub.tokenKeys);
    expiresAt = token.expiresAt;
    rawName = token.name;
    secret = `sub:${token.subject}`;
    identity = secret;
  }
  const checked = validateName(rawName, hub.limits.maxNameLength);
  if (!checked.ok) throw new ProtocolError(checked.code, checked.reason);
  // v1 frames carry no bot flag (the codec drops it) [VER-3].
  const user = await hub.users.claim(session, checked.value, secret, identity, frame.bot === true);
  // The connection may have closed while the name was claimed (on Redis).
  if (session.state === 'closed') {
    hub.users.release(session, user);
    return;
  }
  session.user = user;
  session.loggedIn(expiresAt);
  session.send({ type: 'loggedIn', id: frame.id, name: session.user.name });
  observe.loggedIn(session);
}
