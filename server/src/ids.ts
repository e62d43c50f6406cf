/**
 * Random identifiers: epochs and session ids.
 *
 * @module
 */

import { randomBytes } from 'node:crypto';

/** A random id of `bytes` bytes in base64url (10 bytes → 14 characters, 80 bits). */
export function randomId(bytes = 10): string {
  return randomBytes(bytes).toString('base64url');
}

/** The message id of a message: unique because epochs are random per room log. */
export function messageIdOf(epoch: string, seq: number): string {
  return `${epoch}.${seq}`;
}
