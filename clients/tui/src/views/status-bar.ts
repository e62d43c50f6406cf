/** The bottom line: connection state (with reconnect progress and its cause), server, room and round-trip time. */

import type { ClientState } from '@kuykan/sdk';
import blessed from 'blessed';
import { encodeClusters } from '../blessed-patch.js';
import { safe } from '../sanitize.js';
import { displayWidth, truncate } from '../width.js';

const STATE_COLOUR: Record<ClientState, string> = {
  idle: 'gray',
  connecting: 'yellow',
  open: 'green',
  reconnecting: 'yellow',
  closed: 'red',
};

export interface StatusInfo {
  state: ClientState;
  /** Replaces the state word, e.g. `reconnecting: attempt 3 in 4 s (connection refused)`, or an upload's progress. */
  detail?: string;
  server: string;
  /** The open room as named on screen (`#lobby`, `@nok`). */
  room?: string;
  name?: string;
  rttMs?: number;
}

export class StatusBar {
  readonly box: blessed.Widgets.BoxElement;

  constructor(screen: blessed.Widgets.Screen) {
    this.box = blessed.box({
      parent: screen,
      bottom: 0,
      left: 0,
      right: 0,
      height: 1,
      tags: true,
      style: { bg: 'black', fg: 'white' },
    });
  }

  render(info: StatusInfo): void {
    const width = Math.max(10, (this.box.width as number) - 2);
    // The state comes first and is cut last: the rest gives way on a narrow terminal.
    const state = truncate(info.detail ?? info.state, Math.floor(width * 0.6));
    const rest = [
      info.server,
      info.room ?? '',
      info.name ? `as ${info.name}` : '',
      info.rttMs !== undefined ? `rtt ${info.rttMs} ms` : '',
      '/help · Ctrl+E emoji · Ctrl+C quit',
    ].filter(Boolean);
    const tail = truncate(rest.join('  │  '), Math.max(0, width - displayWidth(state) - 7));
    this.box.setContent(
      encodeClusters(` {${STATE_COLOUR[info.state]}-fg}● ${safe(state)}{/}  │  {gray-fg}${safe(tail)}{/}`),
    );
  }
}
