#!/usr/bin/env node
/**
 * `kuykan-conformance ws://host:port [more URLs…] [options]` — see `--help`.
 *
 * @module
 */

import { runCli } from './main.js';

// `kuykan-conformance --list | head` closes the pipe early; that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

void runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  isTTY: Boolean(process.stdout.isTTY),
}).then((code) => {
  process.exitCode = code;
  // Lingering sockets must not keep a finished run alive.
  setTimeout(() => process.exit(code), 200).unref();
});
