/**
 * The model-based property test: random command sequences over several
 * users, sessions and rooms, checked by the oracle in `model/world.ts`.
 *
 * @module
 */

import fc from 'fast-check';
import { commandArbitraries, prologue } from '../model/commands.js';
import { World } from '../model/world.js';
import type { TestCase } from '../runner.js';

export const model: TestCase[] = [
  {
    id: 'model/chat-sessions',
    section: 'model',
    covers: [
      'MSG-5',
      'MSG-6',
      'MSG-7',
      'MSG-8',
      'MSG-9',
      'MSG-12',
      'PRES-2',
      'PRES-3',
      'PRES-7',
      'HIST-5',
      'RES-1',
      'ROOM-5',
      'ROOM-6',
    ],
    title:
      'property: any sequence of connects, joins, leaves, sends, retries, history, typing, disconnects and resumes keeps every observer consistent with the log',
    async run(ctx) {
      await ctx.property(
        (replayPath) => fc.commands(commandArbitraries(), { maxCommands: 30, size: 'max', replayPath }),
        async (commands) => {
          const world = new World(ctx, [ctx.room('ma'), ctx.room('mb')]);
          await prologue(world);
          await fc.asyncModelRun(() => ({ model: world, real: world }), commands);
          // A final barrier and oracle pass, whatever the sequence ended with.
          await Promise.all(world.openSessions().map((s) => s.conn.barrier()));
          world.checkSynced();
        },
        ctx.settings.runs,
      );
    },
  },
];
