#!/usr/bin/env node
/**
 * A JSON-lines driver for `kuykan-conformance client --driver CMD`, written
 * over the @kuykan/sdk adapter: the shape a driver in any language takes.
 * Reads `{"id","op",…}` lines on stdin, answers `{"id","ok"|"error"}` lines.
 */

import { createInterface } from 'node:readline';
import { createClient } from './kuykan-sdk.mjs';

const client = createClient();
const ops = {
  connect: (r) => client.connect(r.url, r.name),
  join: (r) => client.join(r.room),
  send: (r) => client.send(r.room, r.text),
  typing: (r) => client.typing(r.room),
  leave: (r) => client.leave(r.room),
  typingUsers: (r) => client.typingUsers(r.room),
  close: () => client.close(),
};

createInterface({ input: process.stdin }).on('line', async (line) => {
  const request = JSON.parse(line);
  try {
    const result = await ops[request.op](request);
    process.stdout.write(`${JSON.stringify({ id: request.id, ok: true, result })}\n`);
    if (request.op === 'close') process.exit(0);
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ id: request.id, error: String(error?.message ?? error) })}\n`);
  }
});
