/** The bottom line: connection state, server, room and round-trip time. */

import type { ClientState } from '@kuykan/sdk';
import blessed from 'blessed';
import { safe } from '../sanitize.js';
import { encodeClusters } from '../unicode.js';

const STATE_COLOUR: Record<ClientState, string> = {
  idle: 'gray',
  connecting: 'yellow',
  open: 'green',
  reconnecting: 'yellow',
  closed: 'red',
};

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

  render(
    state: ClientState,
    server: string,
    room: string | undefined,
    rttMs: number | undefined,
    name: string | undefined,
  ): void {
    const parts = [
      `{${STATE_COLOUR[state]}-fg}● ${state}{/}`,
      safe(server),
      room ? `#${safe(room)}` : '',
      name ? `as ${safe(name)}` : '',
      rttMs !== undefined ? `rtt ${rttMs} ms` : '',
      '{gray-fg}/help · Ctrl+E emoji · Ctrl+C quit{/}',
    ];
    this.box.setContent(encodeClusters(` ${parts.filter(Boolean).join('  │  ')}`));
  }
}
