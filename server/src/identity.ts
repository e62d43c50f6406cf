/**
 * User identities (PROTOCOL.md §8): what lasts of a user between sessions,
 * and what authorship [EDIT-1], read markers [READ-1] and direct rooms
 * [DM-1] are tied to.
 *
 * - token login: `sub:<subject>` [LOGIN-5];
 * - keyed login: `key:<name key>:<SHA-256 of the key, hex>` (the name as
 *   [NAME-5] compares names, with the key);
 * - keyless login: `anon:<random>`, one per online user object: it ends with
 *   the user's grace and is never given to a later user of the same name
 *   [LOGIN-10].
 *
 * @module
 */

import { createHash } from 'node:crypto';
import { DIRECT_ROOM_PREFIX } from '@kuykan/protocol';
import { randomId } from './ids.js';

/** Author of entries stored before identities existed (a store of version 1): matches nobody. */
export const LEGACY_IDENTITY = 'v1:legacy';

const ANON = 'anon:';

/**
 * The identity of a keyed login: the name key with the digest of the key.
 * Joined rather than concatenated: one flat string, where a template makes
 * a cons string over two parts, 48 B more for each online user.
 */
export function keyIdentity(nameKey: string, keyDigest: Buffer): string {
  return ['key', nameKey, keyDigest.toString('hex')].join(':');
}

/** A fresh identity for a keyless user, valid while it is online. */
export function anonymousIdentity(): string {
  return `${ANON}${randomId(12)}`;
}

/** Whether an identity outlives its sessions (token subject or name and key) [DM-1, READ-1]. */
export function isLasting(identity: string): boolean {
  return !identity.startsWith(ANON);
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** RFC 4648 base32, lower case, no padding. */
function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32[(buffer >>> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * The direct room of two identities [DM-2]: `@` and the base32 of the first
 * 12 bytes of SHA-256 over both identities, sorted and joined by a line
 * feed. Either side gets the same name; the name reveals neither identity.
 */
export function directRoomName(a: string, b: string): string {
  const digest = createHash('sha256').update([a, b].sort().join('\n')).digest();
  return `${DIRECT_ROOM_PREFIX}${base32(digest.subarray(0, 12))}`;
}
