/**
 * Token auth [LOGIN-5]: verifies the JWT a client sent in `hello`, either
 * with a shared HS256 secret or with public keys from a JWKS file.
 *
 * @module
 */

import { readFileSync } from 'node:fs';
import { ErrorCode, ProtocolError } from '@kuykan/protocol';
import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey, jwtVerify } from 'jose';

/** Who a valid token says the user is. */
export interface TokenIdentity {
  /** Stable identity: the `sub` claim. */
  subject: string;
  /** Display name: the `name` claim, else `sub`. */
  name: string;
  /** When the token expires (ms since the epoch), from `exp`; the session is closed then [LOGIN-9]. */
  expiresAt: number | undefined;
}

/** Clock skew allowed on `exp`, `nbf` and `iat`, in seconds [LOGIN-9]. */
export const TOKEN_LEEWAY_S = 30;

/** How tokens are checked: an HS256 secret, or a key set (RS256, ES256, EdDSA…). */
export type TokenKeys = { secret: Uint8Array } | { keySet: JWTVerifyGetKey };

/** Builds the verifier from the server options; undefined when auth is off. */
export function tokenKeys(options: { jwtSecret?: string; jwksFile?: string }): TokenKeys | undefined {
  if (options.jwksFile) {
    const jwks = JSON.parse(readFileSync(options.jwksFile, 'utf8')) as JSONWebKeySet;
    if (!Array.isArray(jwks.keys) || jwks.keys.length === 0) throw new Error(`${options.jwksFile} has no keys`);
    return { keySet: createLocalJWKSet(jwks) };
  }
  return options.jwtSecret ? { secret: new TextEncoder().encode(options.jwtSecret) } : undefined;
}

export async function verifyToken(token: string | undefined, keys: TokenKeys): Promise<TokenIdentity> {
  if (!token) throw new ProtocolError(ErrorCode.UNAUTHORIZED, 'this server requires a token in hello');
  try {
    const { payload } =
      'secret' in keys
        ? await jwtVerify(token, keys.secret, { algorithms: ['HS256'], clockTolerance: TOKEN_LEEWAY_S })
        : await jwtVerify(token, keys.keySet, { clockTolerance: TOKEN_LEEWAY_S });
    // jose checks exp and nbf; a token issued in the future is refused too.
    if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + TOKEN_LEEWAY_S) {
      throw new ProtocolError(ErrorCode.UNAUTHORIZED, 'token is issued in the future');
    }
    if (typeof payload.sub !== 'string' || payload.sub.length === 0) {
      throw new ProtocolError(ErrorCode.UNAUTHORIZED, 'token has no subject');
    }
    const name = typeof payload.name === 'string' ? payload.name : payload.sub;
    return { subject: payload.sub, name, expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : undefined };
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    throw new ProtocolError(ErrorCode.UNAUTHORIZED, 'token is invalid or expired', { cause: error });
  }
}
