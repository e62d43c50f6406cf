/** Asks for a name, showing the server's refusal inline until a login succeeds. */
import blessed from 'blessed';
import { encodeClusters } from '../blessed-patch.js';
import { safe } from '../sanitize.js';
import { displayWidth, truncate } from '../width.js';

export class LoginPrompt {
  private readonly box: blessed.Widgets.BoxElement;
  private value = '';
  private error = '';

  constructor(
    private readonly screen: blessed.Widgets.Screen,
    private readonly onSubmit: (name: string) => void,
  ) {
    this.box = blessed.box({
      parent: screen,
      top: 'center',
      left: 'center',
      width: Math.min(50, (screen.width as number) - 2),
      height: 9,
      border: 'line',
      label: encodeClusters(' Kuykan · คุยกัน '),
      tags: true,
      style: { border: { fg: 'cyan' } },
    });
    this.render();
  }

  showError(message: string): void {
    this.error = message;
    this.render();
  }

  handleKey(ch: string | undefined, key: blessed.Widgets.Events.IKeyEventArg): void {
    if (key.full === 'enter') {
      if (this.value.trim()) this.onSubmit(this.value);
      return;
    }
    if (key.full === 'backspace')
      this.value = [...new Intl.Segmenter().segment(this.value)]
        .map((s) => s.segment)
        .slice(0, -1)
        .join('');
    else if (ch && !key.ctrl && ch >= ' ') this.value += ch;
    this.error = '';
    this.render();
  }

  /** Where the terminal cursor belongs: after the typed name. */
  cursorPosition(): { x: number; y: number } {
    return {
      x: (this.box.aleft as number) + 1 + 2 + displayWidth(this.shown()),
      y: (this.box.atop as number) + 1 + 2,
    };
  }

  /** The name as drawn: its tail when it is longer than the field. */
  private shown(): string {
    const width = (this.box.width as number) - 6;
    const graphemes = [...new Intl.Segmenter().segment(this.value)].map((s) => s.segment);
    let start = 0;
    while (start < graphemes.length && displayWidth(graphemes.slice(start).join('')) > width) start++;
    return graphemes.slice(start).join('');
  }

  close(): void {
    this.box.destroy();
    this.screen.render();
  }

  private render(): void {
    const lines = [
      'Your name (Thai welcome):',
      '',
      `  ${safe(this.shown())}`,
      '',
      this.error
        ? `{red-fg}${safe(truncate(this.error, (this.box.width as number) - 4))}{/}`
        : '{gray-fg}Enter to log in · Ctrl+C to quit{/}',
    ];
    this.box.setContent(encodeClusters(lines.join('\n')));
    this.screen.render();
  }
}
