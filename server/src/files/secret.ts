/**
 * The secret that signs upload tokens and download URLs. Every node of a
 * chat must hold the same one: it comes from `--file-secret`, else from the
 * index's shared store (Redis: created once with SET NX), else from a file
 * in the data directory created once with mode 0600.
 *
 * @module
 */

import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

/** Bytes of a generated secret. */
export const SECRET_BYTES = 32;

/** A new random secret, base64url. */
export function newSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

/**
 * The secret kept in `file`, creating it (mode 0600, exclusively, so two
 * processes starting together agree on one) when it does not exist.
 */
export function secretFromFile(file: string): string {
  try {
    writeFileSync(file, `${newSecret()}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < 16) throw new Error(`${file} holds no usable file secret (delete it to make a new one)`);
  return secret;
}
