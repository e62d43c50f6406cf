/**
 * Stateless, signed credentials (HMAC-SHA256): upload-slot tokens and the
 * signed, expiring download URLs. Any node holding the shared secret checks
 * them without a lookup, so a load balancer may send the PUT or the GET
 * anywhere. Each kind is signed with its own key derived from the secret,
 * so a value of one kind never verifies as the other.
 *
 * @module
 */

import { createHmac, timingSafeEqual } from 'node:crypto';
import { ErrorCode, ProtocolError } from '@kuykan/protocol';

/** What an upload token grants: one PUT of exactly `size` bytes before `exp`. */
export interface SlotClaims {
  /** Random slot id (base64url); names the slot in the index. */
  slot: string;
  /** The uploader's identity key (User.key). */
  userKey: string;
  /** The uploader's display name. */
  userName: string;
  room: string;
  /** Sanitised display name. */
  name: string;
  /** Exact body length in bytes. */
  size: number;
  /** The client's declared type: informational only, never trusted. */
  type: string;
  /** Expiry, ms since the epoch. */
  exp: number;
}

/** A download variant: the file itself or its thumbnail. */
export type Variant = 'file' | 'thumb';

export class Signer {
  private keys: { slot: Buffer; url: Buffer } | undefined;

  /** Without a secret the signer refuses with UNAVAILABLE until {@link use} gives it one (a node waiting for Redis). */
  constructor(secret?: Buffer) {
    if (secret) this.use(secret);
  }

  /** Whether the secret is known. */
  get ready(): boolean {
    return this.keys !== undefined;
  }

  /** Sets the shared secret. */
  use(secret: Buffer): void {
    this.keys = {
      slot: createHmac('sha256', secret).update('kuykan upload slot v1').digest(),
      url: createHmac('sha256', secret).update('kuykan file url v1').digest(),
    };
  }

  private get slotKey(): Buffer {
    return this.need().slot;
  }

  private get urlKey(): Buffer {
    return this.need().url;
  }

  private need(): { slot: Buffer; url: Buffer } {
    if (!this.keys) throw new ProtocolError(ErrorCode.UNAVAILABLE, 'files are unavailable until the store answers');
    return this.keys;
  }

  /** `<payload>.<mac>`, both base64url; the payload is the JSON of the claims. */
  slotToken(claims: SlotClaims): string {
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${payload}.${mac(this.slotKey, payload)}`;
  }

  /** The claims of a well-signed token that has not expired at `now`, else undefined. */
  verifySlotToken(token: string, now: number): SlotClaims | undefined {
    const dot = token.indexOf('.');
    if (dot <= 0 || token.length > 8192) return undefined;
    const payload = token.slice(0, dot);
    if (!equal(token.slice(dot + 1), mac(this.slotKey, payload))) return undefined;
    let claims: SlotClaims;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as SlotClaims;
    } catch {
      return undefined;
    }
    if (typeof claims.exp !== 'number' || claims.exp <= now) return undefined;
    return claims;
  }

  /** The signature of a download URL for `fileId`'s `variant`, valid until `exp`. */
  urlSignature(fileId: string, variant: Variant, exp: number): string {
    return mac(this.urlKey, `${fileId}\n${variant}\n${exp}`);
  }

  /** Whether `signature` signs this URL and `exp` is still ahead of `now`. */
  verifyUrl(fileId: string, variant: Variant, exp: number, signature: string, now: number): boolean {
    return Number.isSafeInteger(exp) && exp > now && equal(signature, this.urlSignature(fileId, variant, exp));
  }
}

function mac(key: Buffer, data: string): string {
  return createHmac('sha256', key).update(data).digest('base64url');
}

/** Constant-time comparison of two base64url strings. */
function equal(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
