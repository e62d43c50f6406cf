/** The left pane (rooms with unread counts) and the right pane (online users with count). */
import blessed from 'blessed';
import { encodeClusters } from '../blessed-patch.js';
import { colourOf } from '../format.js';
import { safe } from '../sanitize.js';
import { truncate } from '../width.js';
import { fitLabel } from './label.js';

export class RoomList {
  readonly box: blessed.Widgets.BoxElement;
  private names: string[] = [];

  constructor(screen: blessed.Widgets.Screen, onSelect: (room: string) => void) {
    this.box = blessed.box({
      clickable: true,
      parent: screen,
      label: ' Rooms ',
      top: 0,
      left: 0,
      width: 16,
      bottom: 1,
      border: 'line',
      tags: true,
      style: { border: { fg: 'gray' } },
    });
    // A click selects the room on that row (row 0 is the top border).
    this.box.on('click', (mouse: { y: number }) => {
      const room = this.names[mouse.y - (this.box.atop as number) - 1];
      if (room) onSelect(room);
    });
  }

  /**
   * Each room (`#lobby`, or `@name` for a direct room) with its unread count,
   * and `@n` for unread mentions of me; invitations (rooms not joined where
   * someone mentioned me) dimmed after them.
   */
  render(
    rooms: ReadonlyArray<{ name: string; label: string; unread: number; mentions: number; invite?: boolean }>,
    active: string | undefined,
  ): void {
    this.names = rooms.map((r) => r.name);
    const inner = (this.box.width as number) - 2;
    const lines = rooms.map(({ name, label, unread, mentions, invite }) => {
      const count = unread > 0 ? `(${unread}${mentions > 0 ? ` @${mentions}` : ''})` : '';
      const badge = count ? ` {${mentions > 0 ? 'red' : 'yellow'}-fg}${count}{/}` : '';
      const text = safe(truncate(label, inner - (count ? count.length + 1 : 0)));
      const shown = invite ? `{gray-fg}${text}{/gray-fg}` : text;
      return name === active ? `{inverse}${shown}{/inverse}${badge}` : `${shown}${badge}`;
    });
    this.box.setContent(encodeClusters(lines.join('\n')));
  }
}

export class UserList {
  readonly box: blessed.Widgets.BoxElement;

  constructor(screen: blessed.Widgets.Screen) {
    this.box = blessed.box({
      parent: screen,
      label: ' Online ',
      top: 0,
      right: 0,
      width: 20,
      bottom: 1,
      border: 'line',
      tags: true,
      scrollable: true,
      style: { border: { fg: 'gray' } },
    });
  }

  /** Members with their colour, me marked `(you)` and bots `bot`. */
  render(members: readonly string[], me: string | undefined, bots: readonly string[] = []): void {
    // Cut, "Online (12)" would say less than "(12)".
    const width = this.box.width as number;
    this.box.setLabel(
      fitLabel(
        `Online (${members.length})`.length <= width - 6 ? `Online (${members.length})` : `(${members.length})`,
        width,
      ),
    );
    const inner = (this.box.width as number) - 4;
    const lines = members.map((name) => {
      const isMe = name.toLowerCase() === me?.toLowerCase();
      const tag = isMe ? ' (you)' : bots.includes(name) ? ' bot' : '';
      const shown = truncate(name, inner - 2 - tag.length);
      return `{${colourOf(name)}-fg}●{/} ${safe(shown)}${tag ? ` {gray-fg}${tag.trim()}{/}` : ''}`;
    });
    this.box.setContent(encodeClusters(lines.join('\n')));
  }
}
