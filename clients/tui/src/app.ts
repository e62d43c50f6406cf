/** Wires the SDK's events to the views, and keys and commands to the SDK. */
import { createRequire } from 'node:module';
import { createEmojiIndex, type EmojiIndex, emojiLocaleFor, expandShortcodes } from '@kuykan/emoji';
import { loadEmojiSources } from '@kuykan/emoji/node';
import {
  type ChatMessage,
  ClientError,
  ErrorCode,
  KuykanClient,
  ProtocolError,
  type Room,
  type StateContext,
  type WebSocketConstructor,
} from '@kuykan/sdk';
import blessed from 'blessed';
import { coalesceRenders, patchBlessedElement, patchBlessedUnicode, patchProgramOutput } from './blessed-patch.js';
import { HELP, parseCommand } from './commands.js';
import { causeOf, DiagnosingWebSocket, explain } from './connect-errors.js';
import { applyProfile, profileFor } from './terminal.js';
import { EmojiPicker } from './views/emoji-picker.js';
import { InputBar } from './views/input-bar.js';
import { LoginPrompt } from './views/login-prompt.js';
import { MessageLog } from './views/message-log.js';
import { RoomList, UserList } from './views/side-lists.js';
import { StatusBar } from './views/status-bar.js';

const require = createRequire(import.meta.url);

export interface AppOptions {
  /** The server, or several nodes of one cluster tried in turn. */
  urls: string[];
  name?: string;
  room: string;
}

export class App {
  private readonly screen: blessed.Widgets.Screen;
  private readonly client: KuykanClient;
  private readonly emoji: EmojiIndex;
  private readonly log: MessageLog;
  private readonly rooms: RoomList;
  private readonly users: UserList;
  private readonly input: InputBar;
  private readonly status: StatusBar;
  private readonly picker: EmojiPicker;
  private login: LoginPrompt | undefined;
  private readonly joined = new Map<string, Room>();
  private readonly unread = new Map<string, number>();
  private active: string | undefined;
  /** Reconnect progress for the status bar; cleared when open again. */
  private connection: string | undefined;
  private destroyed = false;

  constructor(private readonly options: AppOptions) {
    // Labels in the user's language; search in English and Thai whatever the locale.
    const locale = emojiLocaleFor(process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG);
    const own = loadEmojiSources(locale);
    const other = loadEmojiSources(locale === 'th' ? 'en' : 'th');
    this.emoji = createEmojiIndex(own.data, [own.github, own.emojibase], {
      messages: own.messages,
      keywords: [other.data],
    });
    applyProfile(profileFor(process.env), this.emoji);
    const unicode = require('blessed/lib/unicode');
    patchBlessedUnicode(unicode);
    patchBlessedElement(require('blessed/lib/widgets/element').prototype, unicode);
    this.screen = blessed.screen({
      smartCSR: true,
      fullUnicode: true,
      title: 'Kuykan',
      autoPadding: true,
      dockBorders: true,
    });
    patchProgramOutput(this.screen.program as unknown as Parameters<typeof patchProgramOutput>[0]);
    coalesceRenders(this.screen);
    this.client = new KuykanClient(options.urls, {
      clientName: 'kuykan-tui',
      WebSocket: DiagnosingWebSocket as unknown as WebSocketConstructor,
    });
    this.rooms = new RoomList(this.screen, (room) => this.select(room));
    this.users = new UserList(this.screen);
    this.log = new MessageLog(this.screen, (room, before) => void this.loadOlder(room, before));
    this.input = new InputBar(
      this.screen,
      this.emoji,
      (line) => void this.submit(line),
      () => this.activeRoom?.typing(),
    );
    this.status = new StatusBar(this.screen);
    this.picker = new EmojiPicker(this.screen, this.emoji, (emoji) => this.input.insert(emoji));
    this.screen.on('keypress', (ch: string | undefined, key: blessed.Widgets.Events.IKeyEventArg) =>
      this.onKey(ch, key),
    );
    this.applyLayout();
    this.screen.on('resize', () => {
      this.applyLayout();
      this.log.relayout();
      this.renderAll();
    });
    // The terminal's cursor follows the input (or the login field) after every frame.
    this.screen.on('render', () => this.placeCursor());
    this.client.on('state', (ctx) => this.onState(ctx));
    this.client.on('rtt', () => this.renderAll());
  }

  /** Side panes narrow below 80 columns and give way below 60, so the messages keep room to read. */
  private applyLayout(): void {
    const columns = this.screen.width as number;
    const left = columns >= 80 ? 16 : columns >= 60 ? 12 : 0;
    const right = columns >= 80 ? 20 : columns >= 60 ? 14 : 0;
    for (const [pane, width] of [
      [this.rooms.box, left],
      [this.users.box, right],
    ] as const) {
      if (width === 0) pane.hide();
      else {
        pane.width = width;
        pane.show();
      }
    }
    for (const box of [this.log.box, this.log.typingLine, this.input.box]) {
      box.left = left;
      box.right = right;
    }
  }

  private get activeRoom(): Room | undefined {
    return this.active ? this.joined.get(this.active) : undefined;
  }

  async start(): Promise<void> {
    this.renderAll();
    try {
      await this.client.connect();
    } catch (error) {
      throw new Error(`cannot connect to ${this.client.url}: ${causeOf(error)}`);
    }
    if (this.options.name && (await this.tryLogin(this.options.name))) return;
    this.login ??= new LoginPrompt(this.screen, (name) => void this.tryLogin(name));
    this.renderAll();
  }

  /** Reconnect progress goes to the status bar (one line, updated), the outcome once to the log. */
  private onState({ state, previous, reason, attempt, delayMs }: StateContext): void {
    if (state === 'reconnecting') {
      const wait = delayMs ? ` in ${Math.ceil(delayMs / 1000)} s` : '';
      const cause = reason?.message ? causeOf(reason.message) : 'connection lost';
      this.connection = `reconnecting: attempt ${attempt ?? 1}${wait} (${cause})`;
      if (previous === 'open' && this.active) this.log.notice(this.active, `connection lost (${cause}); reconnecting…`);
    } else if (state === 'open') {
      this.connection = undefined;
      if (previous === 'reconnecting' && this.active) this.log.notice(this.active, `reconnected to ${this.client.url}`);
    } else if (state === 'closed' && this.active && !this.destroyed) {
      this.connection = `disconnected${reason?.message ? `: ${reason.message}` : ''}`;
      this.log.notice(this.active, this.connection, { error: true });
    }
    this.renderAll();
  }

  private async tryLogin(name: string): Promise<boolean> {
    try {
      await this.client.login(name);
    } catch (error) {
      const message =
        error instanceof ProtocolError && error.code === ErrorCode.NAME_TAKEN
          ? `"${name}" is in use — choose another name`
          : explain(error);
      if (!this.login) this.login = new LoginPrompt(this.screen, (n) => void this.tryLogin(n));
      this.login.showError(message);
      return false;
    }
    // Cleared before closing: closing renders, and a render places the cursor by the prompt.
    const prompt = this.login;
    this.login = undefined;
    prompt?.close();
    try {
      await this.join(this.options.room);
      this.log.notice(this.active ?? this.options.room, `connected to ${this.client.url} as ${this.client.name}`);
    } catch (error) {
      this.input.showHint(`could not join #${this.options.room}: ${explain(error)}`);
    }
    return true;
  }

  private own = (message: ChatMessage) => message.from.toLowerCase() === this.client.name?.toLowerCase();

  private async join(name: string): Promise<void> {
    const room = await this.client.join(name);
    if (!this.joined.has(room.name)) {
      this.joined.set(room.name, room);
      this.log.reset(room.name, room.recent, this.own);
      room.on('message', ({ message, own }) => {
        this.log.addMessage(room.name, message, own);
        if (room.name !== this.active) this.unread.set(room.name, (this.unread.get(room.name) ?? 0) + 1);
        this.renderAll();
      });
      room.on('presence', ({ name: who, kind }) => {
        this.log.notice(room.name, `${who} ${kind === 'join' ? 'joined' : 'left'}`);
        this.renderAll();
      });
      room.on('typing', () => this.renderAll());
      room.on('reset', ({ messages }) => {
        this.log.reset(room.name, messages, this.own);
        this.log.notice(room.name, 'reconnected, but missed messages could not be recovered; showing the latest');
      });
      room.on('outgoing', ({ status, text, error }) => {
        if (status === 'failed')
          this.log.notice(room.name, `not sent: ${text} (${error instanceof Error ? explain(error) : 'error'})`, {
            error: true,
          });
      });
    }
    this.select(room.name);
  }

  private select(room: string): void {
    this.active = room;
    this.unread.set(room, 0);
    this.log.show(room);
    this.renderAll();
  }

  private async loadOlder(room: string, before: number): Promise<void> {
    const joined = this.joined.get(room);
    if (!joined) return;
    try {
      const page = await joined.history({ before, limit: 50 });
      this.log.prepend(room, page.messages, this.own);
    } catch (error) {
      // Shown above the input too: the log is scrolled to its top, far from the new notice.
      const text = `could not load older messages: ${explain(error)}`;
      this.log.notice(room, text, { error: true });
      this.input.showHint(text);
    }
  }

  /** Sends a line, or refuses it with a reason on screen: nothing typed disappears silently. */
  private async send(room: Room, line: string): Promise<void> {
    const text = expandShortcodes(line.startsWith('//') ? line.slice(1) : line, this.emoji);
    const max = this.client.limits?.maxTextLength;
    const length = [...text].length;
    if (max !== undefined && length > max) {
      this.log.notice(room.name, `not sent: the message is ${length} characters, the server takes ${max}`, {
        error: true,
      });
      this.input.value = line;
      return;
    }
    try {
      await room.send(text);
    } catch (error) {
      // The outbox reports what it tried and failed as an `outgoing` event (shown by join());
      // what it refused before trying (queue full, room left) is shown here.
      const reported = error instanceof ProtocolError || (error instanceof ClientError && error.code !== 'QUEUE_FULL');
      if (!reported) this.log.notice(room.name, `not sent: ${explain(error)}`, { error: true });
    }
  }

  private async submit(line: string): Promise<void> {
    const command = parseCommand(line);
    const room = this.activeRoom;
    const say = (text: string) => room && this.log.notice(room.name, text);
    try {
      if (!command) {
        if (room) await this.send(room, line);
        else this.input.showHint('not in a room yet');
        return;
      }
      switch (command.kind) {
        case 'join':
          await this.join(command.room);
          break;
        case 'leave':
          if (room && this.joined.size > 1) {
            await room.leave();
            this.joined.delete(room.name);
            this.log.forget(room.name);
            this.select([...this.joined.keys()][0]!);
          } else say('you are in only one room; /join another first, or /quit');
          break;
        case 'rooms':
          for (const r of await this.client.listRooms()) say(`#${r.room} — ${r.members} online, ${r.seq} messages`);
          break;
        case 'users':
          say(`online here: ${room?.members.join(', ') ?? ''}`);
          break;
        case 'help':
          for (const text of HELP) say(text);
          break;
        case 'clear':
          if (room) this.log.clear(room.name);
          break;
        case 'quit':
          await this.quit();
          break;
        case 'error':
          say(command.message);
          break;
      }
    } catch (error) {
      if (room) this.log.notice(room.name, explain(error), { error: true });
      else this.input.showHint(explain(error));
    }
  }

  private onKey(ch: string | undefined, key: blessed.Widgets.Events.IKeyEventArg): void {
    // blessed reports a carriage return twice, as `return` and then `enter`: act on `enter` only.
    if (key.full === 'return') return;
    if (key.full === 'C-c') {
      void this.quit();
      return;
    }
    if (this.login) {
      this.login.handleKey(ch, key);
      return;
    }
    if (this.picker.open) {
      this.picker.handleKey(ch, key);
      return;
    }
    switch (key.full) {
      case 'C-e':
        this.picker.show();
        return;
      case 'pageup':
        this.log.scroll(-this.log.pageSize);
        return;
      case 'pagedown':
        this.log.scroll(this.log.pageSize);
        return;
      case 'C-n':
      case 'C-p': {
        const names = [...this.joined.keys()];
        const at = names.indexOf(this.active ?? '');
        if (names.length > 1) this.select(names[(at + (key.full === 'C-n' ? 1 : names.length - 1)) % names.length]!);
        return;
      }
    }
    this.input.handleKey(ch, key);
  }

  private placeCursor(): void {
    const program = this.screen.program;
    const at = this.login?.cursorPosition() ?? (this.picker.open ? undefined : this.input.cursorPosition());
    if (!at) {
      program.hideCursor();
      return;
    }
    program.cup(at.y, at.x);
    program.showCursor();
  }

  private renderAll(): void {
    if (this.destroyed) return;
    const room = this.activeRoom;
    this.rooms.render(
      [...this.joined.keys()].map((name) => ({ name, unread: this.unread.get(name) ?? 0 })),
      this.active,
    );
    this.users.render(room?.members ?? [], this.client.name);
    this.log.setTyping(room?.typingUsers ?? []);
    this.status.render({
      state: this.client.state,
      ...(this.connection ? { detail: this.connection } : {}),
      server: this.client.url,
      ...(this.active ? { room: this.active } : {}),
      ...(this.client.name ? { name: this.client.name } : {}),
      ...(this.client.rttMs !== undefined ? { rttMs: this.client.rttMs } : {}),
    });
    this.input.render();
  }

  /** Gives the terminal back as it was: normal screen, cursor shown, mouse off. Safe to call twice. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.screen.destroy();
  }

  async quit(): Promise<void> {
    await this.client.close();
    this.destroy();
    process.exit(0);
  }
}
