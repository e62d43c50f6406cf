/** Asks for a name, showing the server's refusal inline until a login succeeds. */
import blessed from 'blessed';
import { safe } from '../sanitize.js';
import { encodeClusters } from '../unicode.js';

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
      width: 50,
      height: 9,
      border: 'line',
      label: ' Kuykan · คุยกัน ',
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
    if (key.full === 'backspace') this.value = [...this.value].slice(0, -1).join('');
    else if (ch && !key.ctrl && ch >= ' ') this.value += ch;
    this.error = '';
    this.render();
  }

  close(): void {
    this.box.destroy();
    this.screen.render();
  }

  private render(): void {
    const lines = [
      'Your name (Thai welcome):',
      '',
      `  {inverse}${safe(this.value)} {/inverse}`,
      '',
      this.error ? `{red-fg}${safe(this.error)}{/}` : '{gray-fg}Enter to log in · Ctrl+C to quit{/}',
    ];
    this.box.setContent(encodeClusters(lines.join('\n')));
    this.screen.render();
  }
}
