/**
 * Durability on any server, with the operator's help: `--kill-cmd` crashes
 * and restarts the server (e.g. `kill -9` and start), `--restart-cmd` shuts it
 * down gracefully and starts it again. After either, the suite waits until
 * the server answers `hello` again. Checks MSG-3 (acknowledged messages
 * survive a crash while the epoch lasts), RES-5 (with `--durable`: the epoch
 * survives) and CLOSE-4 (a shutdown closes connections with 1012).
 *
 * @module
 */

import { exec } from 'node:child_process';
import { CloseCode, type JoinedFrame, SUPPORTED_VERSIONS } from '@kuykan/protocol';
import { delay, type TestContext } from '../context.js';
import { expect, Failure, Skip } from '../failure.js';
import type { TestCase } from '../runner.js';
import { Transcript, WireClient } from '../wire.js';

const section = 'durability';

/** How long the server may take to answer `hello` again after a command (ms). */
const BACK_WITHIN_MS = 60_000;

/** Runs an operator command in a shell; rejects with its output when it fails. */
export function runCommand(command: string, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    exec(command, { timeout: BACK_WITHIN_MS }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${what} \`${command}\` failed: ${error.message} ${stderr || stdout}`.trim()));
      else resolve();
    });
  });
}

/** Resolves once every URL answers `hello` with `welcome` again. */
async function serverBack(ctx: TestContext): Promise<void> {
  const deadline = Date.now() + BACK_WITHIN_MS;
  for (const url of ctx.settings.urls) {
    for (;;) {
      const ok = await WireClient.open(url, { label: 'probe', transcript: new Transcript(), timeoutMs: 2_000 })
        .then(async (conn) => {
          conn.send({ type: 'hello', versions: [...SUPPORTED_VERSIONS], client: 'kuykan-conformance' });
          const reply = await conn.next((f) => f.type === 'welcome', 'welcome', 2_000).catch(() => undefined);
          conn.close();
          return reply !== undefined;
        })
        .catch(() => false);
      if (ok) break;
      if (Date.now() > deadline)
        throw new Failure('MSG-3', `${url} did not answer hello within ${BACK_WITHIN_MS} ms of the restart`);
      await delay(200);
    }
  }
}

/** A room with `n` acknowledged messages; returns the room, its epoch and the acks. */
async function ackedRoom(ctx: TestContext, n: number) {
  const user = await ctx.user('w');
  const room = ctx.room('d');
  const joined = await ctx.join(user, room);
  const acks = [];
  for (let i = 1; i <= n; i++) acks.push((await ctx.send(user, room, `durable ${i}`)).ack);
  user.conn.close();
  return { room, epoch: joined.epoch, acks };
}

/** The command a test needs, or a Skip naming the option. */
function command(ctx: TestContext, kind: 'kill' | 'restart'): string {
  const cmd = kind === 'kill' ? (ctx.settings.killCmd ?? ctx.settings.restartCmd) : ctx.settings.restartCmd;
  if (!cmd) throw new Skip(`needs --${kind}-cmd`);
  return cmd;
}

export const durability: TestCase[] = [
  {
    id: 'durability/acked-survive-crash',
    section,
    covers: ['MSG-3', 'RES-5'],
    title: 'after a crash and restart, every acknowledged message is in the room while its epoch lasts',
    async run(ctx) {
      const cmd = command(ctx, 'kill');
      const { room, epoch, acks } = await ackedRoom(ctx, 5);
      await runCommand(cmd, ctx.settings.killCmd ? '--kill-cmd' : '--restart-cmd');
      await serverBack(ctx);
      const reader = await ctx.user('r');
      const joined: JoinedFrame = await ctx.join(reader, room, 'MSG-3');
      if (joined.epoch !== epoch) {
        expect(
          'RES-5',
          !ctx.settings.durable,
          `the room's epoch changed across the restart (${epoch} → ${joined.epoch}) although the store is durable (--durable)`,
        );
        return; // a new epoch: the old log may be gone [MSG-3]
      }
      const seqs = new Set(joined.messages.map((m) => m.messageId));
      const lost = acks.filter((a) => !seqs.has(a.messageId));
      expect(
        'MSG-3',
        lost.length === 0 && joined.seq >= acks.at(-1)!.seq,
        `after the restart, epoch ${epoch} lacks acknowledged messages ${lost.map((a) => a.seq).join(',')} (room seq ${joined.seq})`,
      );
    },
  },
  {
    id: 'durability/shutdown-closes-1012',
    section,
    covers: ['CLOSE-4'],
    title: 'a graceful restart closes open connections with 1012',
    async run(ctx) {
      const cmd = command(ctx, 'restart');
      const user = await ctx.user('open');
      await ctx.join(user, ctx.room('c'));
      const closed = user.conn.closed;
      await runCommand(cmd, '--restart-cmd');
      const info = await Promise.race([closed, delay(ctx.settings.timeoutMs).then(() => undefined)]);
      await serverBack(ctx);
      expect(
        'CLOSE-4',
        info?.code === CloseCode.SERVICE_RESTART,
        `a connection open during the restart was ${info ? `closed with ${info.code}` : 'never closed'}, expected 1012`,
      );
    },
  },
];
