/**
 * The Lua scripts of the Redis store and engine, one `.lua` file each in
 * `lua/` (each opens with its KEYS and ARGV). They are read once at start-up
 * from beside this module: `src/redis/lua/` when run from source, and
 * `dist/lua/`, which the build copies there (tsup.config.ts), when run from
 * the bundle.
 *
 * @module
 */

import { readFileSync } from 'node:fs';

/** Script names: the files in `lua/`. */
export type ScriptName =
  | 'commit'
  | 'open'
  | 'read-marker'
  | 'direct'
  | 'migrate'
  | 'join'
  | 'forget'
  | 'leave'
  | 'sweep'
  | 'claim'
  | 'release'
  | 'heartbeat'
  | 'list'
  | 'held'
  | 'publish-presence';

function read(name: ScriptName): string {
  return readFileSync(new URL(`./lua/${name}.lua`, import.meta.url), 'utf8');
}

/** One script's source: `helpers` (e.g. `list`) are prepended, since Redis scripts cannot import. */
export function luaScript(name: ScriptName, ...helpers: ScriptName[]): string {
  return [...helpers, name].map(read).join('\n');
}
