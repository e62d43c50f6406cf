/**
 * What the echo bot says to a message, if anything.
 *
 * @module
 */
import type { ChatMessage } from '@kuykan/sdk';

/** Every echo starts with this. */
export const ECHO = '🔁 ';

/**
 * The echo of a message, or undefined: nothing for its own messages, for
 * messages of bots (bots do not answer bots, PROTOCOL.md [BOT-2]: two echo
 * bots would echo each other forever), for echoes (the mark of a bot not
 * logged in as one), and for the edits, deletions and reactions a protocol
 * v2 room also delivers (they have a `kind`).
 */
export function echoOf(message: ChatMessage, own: boolean): string | undefined {
  if (own || message.bot || message.kind !== undefined || message.text.startsWith(ECHO)) return undefined;
  return `${ECHO}${message.from}: ${message.text}`;
}
