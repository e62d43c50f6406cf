/**
 * Checks (and creates) the SQLite data directory before the store opens it,
 * so that a bad path fails at once with the path in the message instead of
 * hanging or failing later with SQLite's bare "unable to open database file".
 *
 * @module
 */

import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Thrown when the data directory cannot be used; the message names the path. */
export class DataDirError extends Error {
  override readonly name = 'DataDirError';
}

/**
 * Makes sure `dir` is a writable directory, creating missing components one
 * level at a time. `mkdirSync(dir, { recursive: true })` is not used: on
 * pseudo file systems such as `/proc` it retries forever (Node 20).
 */
export function prepareDataDir(dir: string): string {
  const path = resolve(dir);
  const missing: string[] = [];
  let existing = path;
  for (;;) {
    const info = statOrUndefined(existing);
    if (info) {
      if (!info.isDirectory()) throw new DataDirError(`data directory ${path}: ${existing} is not a directory`);
      break;
    }
    missing.unshift(existing);
    const parent = dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  for (const component of missing) {
    try {
      mkdirSync(component);
    } catch (error) {
      throw new DataDirError(`data directory ${path}: cannot create ${component} (${describe(error)})`);
    }
  }
  try {
    accessSync(path, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new DataDirError(`data directory ${path} is not writable (${describe(error)})`);
  }
  return path;
}

/** The entry's stats, or undefined when it is missing or a parent is not a directory. */
function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new DataDirError(`data directory ${path}: ${describe(error)}`);
  }
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ?? (error instanceof Error ? error.message : String(error));
}
