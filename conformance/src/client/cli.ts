/**
 * The `client` subcommand: loads an adapter module and runs the client
 * suite against the scripted server.
 *
 * @module
 */

import type { CliIo } from '../main.js';
import { loadAdapter } from './adapter.js';
import { renderClientResults, runClientSuite } from './client-suite.js';
import { driverAdapter } from './jsonl-driver.js';

/** `kuykan-conformance client ADAPTER`: the client rules against the scripted server. */
export async function runClientCli(args: string[], io: CliIo, usage: string): Promise<number> {
  const [first, second] = args;
  const driver = first === '--driver' ? second : undefined;
  const specifier = driver ?? first;
  if (!specifier) {
    io.err(`give the adapter module: kuykan-conformance client ./my-adapter.mjs\n\n${usage}\n`);
    return 2;
  }
  let adapter: Awaited<ReturnType<typeof loadAdapter>>;
  try {
    adapter = driver ? driverAdapter(driver) : await loadAdapter(specifier);
  } catch (error) {
    io.err(`kuykan-conformance: cannot load adapter ${specifier}: ${(error as Error).message}\n`);
    return 2;
  }
  const started = Date.now();
  const results = await runClientSuite(adapter);
  const { text, code } = renderClientResults(results);
  io.out(
    `kuykan-conformance client: ${specifier} · ${results.length} tests in ${((Date.now() - started) / 1000).toFixed(1)} s\n${text}\n`,
  );
  return code;
}
