/**
 * §16.11 Bots: the login flag of a user's first session marks its
 * messages, its presence and its place in `joined.bots`.
 *
 * @module
 */

import type { MessageFrame, PresenceFrame } from '@kuykan/protocol';
import { expect } from '../failure.js';
import type { TestCase } from '../runner.js';
import { post, recordOf, seenBy, v2Room } from './v2.js';

const section = 'bots';

export const bots: TestCase[] = [
  {
    id: 'bots/flagged',
    section,
    covers: ['BOT-1'],
    title:
      "a user whose first session logged in with bot: true is a bot in presence, joined.bots and its messages, whatever its later sessions say; a human's later bot flag changes nothing",
    async run(ctx) {
      const { room, users } = await v2Room(ctx, 1, 'h');
      const human = users[0]!;
      const bot = await ctx.user('bot', { bot: true });
      const joined = await ctx.join(bot, room, 'BOT-1');
      await ctx.sync(human);
      const seen = human.conn.take<PresenceFrame>(
        (f) => f.type === 'presence' && f.room === room && f.name === bot.name,
      );
      expect(
        'BOT-1',
        seen.length === 1 && seen[0]!.bot === true,
        `the bot's presence join reached a member as ${JSON.stringify(seen)}`,
      );
      expect(
        'BOT-1',
        JSON.stringify(joined.bots) === JSON.stringify([bot.name]),
        `the bot's joined lists bots ${JSON.stringify(joined.bots)}`,
      );
      const m = await post(bot, room, 'beep');
      const live = (await seenBy(human, room, m.messageId, 'BOT-1')) as MessageFrame;
      expect('BOT-1', live.bot === true, `a bot's message reached a member with bot ${String(live.bot)}`);
      expect(
        'BOT-1',
        (await recordOf(ctx, human, room, m.messageId, 'BOT-1')).bot === true,
        "history serves a bot's message without bot: true",
      );
      // Later sessions join the user as it is.
      const botAgain = await ctx.user('bot2', { name: bot.name, key: bot.key, bot: false });
      const humanAgain = await ctx.user('h2', { name: human.name, key: human.key, bot: true });
      for (const user of [botAgain, humanAgain]) await ctx.join(user, room, 'BOT-1');
      const byBot = await post(botAgain, room, 'beep again');
      const byHuman = await post(humanAgain, room, 'hello');
      const botLive = await seenBy(human, room, byBot.messageId, 'BOT-1');
      const humanLive = await seenBy(bot, room, byHuman.messageId, 'BOT-1');
      expect('BOT-1', botLive.bot === true, "a bot's second session (bot: false) sent a message without bot: true");
      expect('BOT-1', humanLive.bot !== true, "a human's second session (bot: true) made the human a bot");
      const late = await ctx.user('late');
      const view = await ctx.join(late, room, 'BOT-1');
      expect(
        'BOT-1',
        JSON.stringify(view.bots) === JSON.stringify([bot.name]),
        `joined lists bots ${JSON.stringify(view.bots)}, expected only ${bot.name}`,
      );
      const humanRecord = view.messages.find((r) => r.messageId === byHuman.messageId);
      expect(
        'BOT-1',
        humanRecord !== undefined && humanRecord.bot !== true,
        `a human's message is served as ${JSON.stringify(humanRecord)}`,
      );
    },
  },
];
