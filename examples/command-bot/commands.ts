/** The command bot's commands, separate from the connection so they can be tested alone. */

export interface CommandContext {
  members: readonly string[];
  now: Date;
  random: () => number;
}

const HELP = 'commands: /time, /roll NdM (e.g. /roll 2d6), /users, /help';

/** Answers a chat line that starts with `/`, or undefined when the line is not for the bot. */
export function answer(line: string, ctx: CommandContext): string | undefined {
  const [command, ...args] = line.trim().split(/\s+/);
  switch (command) {
    case '/time':
      return `🕒 ${ctx.now.toISOString().replace('T', ' ').slice(0, 19)} UTC`;
    case '/users':
      return `👥 ${ctx.members.length} online: ${ctx.members.join(', ')}`;
    case '/roll':
      return roll(args[0] ?? '1d6', ctx.random);
    case '/help':
      return HELP;
    default:
      return command?.startsWith('/') ? `unknown command ${command}; ${HELP}` : undefined;
  }
}

function roll(spec: string, random: () => number): string {
  const match = /^(\d{1,2})d(\d{1,3})$/i.exec(spec);
  if (!match) return `cannot roll "${spec}": use NdM, e.g. 2d6 (up to 20 dice of up to 100 sides)`;
  const count = Number(match[1]);
  const sides = Number(match[2]);
  if (count < 1 || count > 20 || sides < 2 || sides > 100) return 'use 1–20 dice with 2–100 sides';
  const dice = Array.from({ length: count }, () => 1 + Math.floor(random() * sides));
  const total = dice.reduce((a, b) => a + b, 0);
  return `🎲 ${spec}: ${dice.join(' + ')} = ${total}`;
}
