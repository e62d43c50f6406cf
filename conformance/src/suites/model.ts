/**
 * The model-based property tests: random command sequences over several
 * users, sessions and rooms, checked by the oracle in `model/oracle.ts`.
 * The second one adds version 2: changes, replies, mentions, read markers
 * and direct rooms across resume and several sessions, with v1 sessions
 * in the same rooms.
 *
 * @module
 */

import fc from 'fast-check';
import type { TestContext } from '../context.js';
import { commandArbitraries, prologue } from '../model/commands.js';
import { World } from '../model/world.js';
import type { TestCase } from '../runner.js';

async function modelRun(ctx: TestContext, v2: boolean): Promise<void> {
  await ctx.property(
    (replayPath) => fc.commands(commandArbitraries(v2), { maxCommands: v2 ? 40 : 30, size: 'max', replayPath }),
    async (commands) => {
      const world = new World(ctx, [ctx.room('ma'), ctx.room('mb')]);
      await prologue(world, v2);
      await fc.asyncModelRun(() => ({ model: world, real: world }), commands);
      // A final barrier and oracle pass, whatever the sequence ended with.
      await Promise.all(world.openSessions().map((s) => s.conn.barrier()));
      world.checkSynced();
    },
    ctx.settings.runs,
  );
}

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
    run: (ctx) => modelRun(ctx, false),
  },
  {
    id: 'model/event-log',
    section: 'model',
    covers: [
      'LOG-1',
      'LOG-2',
      'LOG-4',
      'LOG-5',
      'FOLD-1',
      'FOLD-2',
      'FOLD-3',
      'FOLD-4',
      'EDIT-1',
      'DEL-1',
      'DEL-2',
      'DEL-3',
      'REACT-2',
      'REPLY-2',
      'REPLY-3',
      'MENTION-2',
      'MENTION-4',
      'READ-1',
      'READ-2',
      'READ-3',
      'DM-2',
      'DM-3',
      'DM-5',
      'VER-2',
      'VER-4',
    ],
    title:
      'property: edits, deletes, reactions, replies, mentions, read markers and direct rooms, over several sessions per user, v1 sessions, disconnects and resumes: every session folds to the room’s state',
    async run(ctx) {
      ctx.needV2();
      await modelRun(ctx, true);
    },
  },
];
