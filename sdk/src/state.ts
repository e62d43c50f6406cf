/**
 * The client's connection states and the transitions allowed between them.
 * `KuykanClient` changes state only through this table, so a transition such
 * as closed → open (a socket surviving `close()`) cannot happen.
 *
 * @module
 */

import type { ClientState } from './types.js';

/**
 * Allowed transitions. `reconnecting → reconnecting` is the next attempt
 * after a failed one; `closed → connecting` is `connect()` after `close()`.
 */
export const TRANSITIONS: Readonly<Record<ClientState, readonly ClientState[]>> = {
  idle: ['connecting', 'closed'],
  connecting: ['open', 'closed'],
  open: ['reconnecting', 'closed'],
  reconnecting: ['reconnecting', 'open', 'closed'],
  closed: ['connecting'],
};

/** Whether the client may go from `from` to `to`. */
export function canTransition(from: ClientState, to: ClientState): boolean {
  return TRANSITIONS[from].includes(to);
}
