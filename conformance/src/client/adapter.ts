/**
 * How the client suite drives a client under test: a JS module exporting
 * `createClient()`, which returns one fresh client per call with these
 * operations. An adapter maps them onto the client's own API.
 *
 * @module
 */

/** One client under test. */
export interface ClientUnderTest {
  /** Connects to `url` and logs in as `name`; resolves once logged in. */
  connect(url: string, name: string): Promise<void>;
  /** Joins `room`; resolves once joined. */
  join(room: string): Promise<void>;
  /** Sends `text` to `room`; resolves once acknowledged. */
  send(room: string, text: string): Promise<void>;
  /** The user types in `room` (called on every keystroke; the client throttles). */
  typing(room: string): void;
  /** Leaves `room`. */
  leave(room: string): Promise<void>;
  /** Users the client shows as typing in `room` (optional: TYPE-3 is skipped without it). */
  typingUsers?(room: string): readonly string[] | Promise<readonly string[]>;
  /** Disconnects for good. */
  close(): Promise<void>;
}

/** What an adapter module exports. */
export interface ClientAdapterModule {
  createClient(): ClientUnderTest;
}

/** Loads an adapter module by path or package name. */
export async function loadAdapter(specifier: string): Promise<ClientAdapterModule> {
  const { pathToFileURL } = await import('node:url');
  const { resolve } = await import('node:path');
  const { existsSync } = await import('node:fs');
  // A file on disk is loaded by path; anything else is a package name.
  const url = existsSync(specifier) ? pathToFileURL(resolve(specifier)).href : specifier;
  const module = (await import(url)) as Partial<ClientAdapterModule>;
  if (typeof module.createClient !== 'function') throw new Error(`${specifier} exports no createClient()`);
  return module as ClientAdapterModule;
}
