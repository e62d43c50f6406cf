/** Wires the SDK's events to the views, and keys and commands to the SDK. */
import { createRequire } from 'node:module';
import { type ChatMessage, ErrorCode, KuykanClient, ProtocolError, type Room } from '@kuykan/sdk';
import blessed from 'blessed';
import { HELP, parseCommand } from './commands.js';
import { expand } from './shortcodes.js';
import { patchBlessedUnicode, patchProgramOutput } from './unicode.js';
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

  constructor(private readonly options: AppOptions) {
    patchBlessedUnicode(require('blessed/lib/unicode'));
    this.screen = blessed.screen({
      smartCSR: true,
      fullUnicode: true,
      title: 'Kuykan',
      autoPadding: true,
      dockBorders: true,
    });
    patchProgramOutput(this.screen.program as unknown as Parameters<typeof patchProgramOutput>[0]);
    this.client = new KuykanClient(options.urls, { clientName: 'kuykan-tui' });
    this.rooms = new RoomList(this.screen, (room) => this.select(room));
    this.users = new UserList(this.screen);
    this.log = new MessageLog(this.screen, (room, before) => void this.loadOlder(room, before));
    this.input = new InputBar(
      this.screen,
      (line) => void this.submit(line),
      () => this.activeRoom?.typing(),
    );
    this.status = new StatusBar(this.screen);
    this.picker = new EmojiPicker(this.screen, (emoji) => this.input.insert(emoji));
    this.screen.on('keypress', (ch: string | undefined, key: blessed.Widgets.Events.IKeyEventArg) =>
      this.onKey(ch, key),
    );
    this.screen.on('resize', () => this.renderAll());
    this.client.on('state', ({ state, reason }) => {
      if (this.active && state === 'reconnecting')
        this.log.notice(
          this.active,
          `connection lost (${reason?.message || reason?.code || 'network'}); reconnecting…`,
        );
      if (this.active && state === 'open' && reason?.message === 'reconnected')
        this.log.notice(this.active, 'reconnected');
      if (state === 'closed' && this.active) this.log.notice(this.active, `disconnected: ${reason?.message ?? ''}`);
      this.renderAll();
    });
    this.client.on('rtt', () => this.renderAll());
  }

  private get activeRoom(): Room | undefined {
    return this.active ? this.joined.get(this.active) : undefined;
  }

  async start(): Promise<void> {
    this.renderAll();
    await this.client.connect();
    if (this.options.name && (await this.tryLogin(this.options.name))) return;
    this.login ??= new LoginPrompt(this.screen, (name) => void this.tryLogin(name));
  }

  private async tryLogin(name: string): Promise<boolean> {
    try {
      await this.client.login(name);
    } catch (error) {
      const message =
        error instanceof ProtocolError && error.code === ErrorCode.NAME_TAKEN
          ? `"${name}" is in use — choose another name`
          : error instanceof Error
            ? error.message
            : String(error);
      if (!this.login) this.login = new LoginPrompt(this.screen, (n) => void this.tryLogin(n));
      this.login.showError(message);
      return false;
    }
    this.login?.close();
    this.login = undefined;
    await this.join(this.options.room);
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
          this.log.notice(room.name, `not sent: ${text} (${error instanceof Error ? error.message : 'error'})`);
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
    const page = await joined.history({ before, limit: 50 }).catch(() => undefined);
    if (page) this.log.prepend(room, page.messages, this.own);
  }

  private async submit(line: string): Promise<void> {
    const command = parseCommand(line);
    const room = this.activeRoom;
    const say = (text: string) => room && this.log.notice(room.name, text);
    try {
      if (!command) {
        const text = line.startsWith('//') ? line.slice(1) : line;
        if (room) await room.send(expand(text));
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
      say(error instanceof Error ? error.message : String(error));
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

  private renderAll(): void {
    const room = this.activeRoom;
    this.rooms.render(
      [...this.joined.keys()].map((name) => ({ name, unread: this.unread.get(name) ?? 0 })),
      this.active,
    );
    this.users.render(room?.members ?? [], this.client.name);
    this.log.setTyping(room?.typingUsers ?? []);
    this.status.render(this.client.state, this.client.url, this.active, this.client.rttMs, this.client.name);
    this.input.render();
  }

  async quit(): Promise<void> {
    await this.client.close();
    this.screen.destroy();
    process.exit(0);
  }
}
