/**
 * What Enter does with the input: send a message, send a reply, save an
 * edit, or (a yes/no question) delete a message. The label above the input
 * says which, so a keystroke never does something the screen did not show.
 *
 * @module
 */
import type { MessageRecord } from '@kuykan/sdk/model';
import { inert } from './sanitize.js';

export type ComposeMode =
  | { kind: 'send' }
  | { kind: 'reply'; target: MessageRecord }
  /** `before`: what the input held, given back when the edit is cancelled. */
  | { kind: 'edit'; target: MessageRecord; before: string }
  | { kind: 'delete'; target: MessageRecord };

export const SENDING: ComposeMode = { kind: 'send' };

/** The input's label for a mode (plain text; the input bar clips it to its width). */
export function modeLabel(mode: ComposeMode): string {
  switch (mode.kind) {
    case 'send':
      return '';
    case 'reply':
      return `↱ reply to ${inert(mode.target.from)} (Esc cancels): ${inert(mode.target.text) || '(file)'}`;
    case 'edit':
      return 'editing your message · Enter saves · Esc cancels';
    case 'delete':
      return `delete this message? y/n: ${inert(mode.target.text) || '(file)'}`;
  }
}
