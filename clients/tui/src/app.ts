/** Wires the app model (@kuykan/sdk/model) to the views, and keys and commands to the model. */
import { createRequire } from 'node:module';
import { createEmojiIndex, type EmojiIndex, emojiLocaleFor, expandShortcodes } from '@kuykan/emoji';
import { loadEmojiSources } from '@kuykan/emoji/node';
import { ClientError, ErrorCode, KuykanClient, ProtocolError, type StateContext } from '@kuykan/sdk';
import { type ChatChange, ChatModel, type RoomModel } from '@kuykan/sdk/model';
import blessed from 'blessed';
import { coalesceRenders, patchBlessedElement, patchBlessedUnicode, patchProgramOutput } from './blessed-patch.js';
import { HELP, parseCommand } from './commands.js';
import { explain, reasonText } from './errors.js';
import { RoomNotices } from './notices.js';
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

/** Room changes the message log draws (members and typing are drawn elsewhere). */
const LOG_CHANGES = new Set(['messages', 'pending', 'older']);

export class App {
  private readonly screen: blessed.Widgets.Screen;
  private readonly client: KuykanClient;
  private readonly model: ChatModel;
  private readonly notices = new RoomNotices();
  private readonly emoji: EmojiIndex;
  private readonly log: MessageLog;
  private readonly rooms: RoomList;
  private readonly users: UserList;
  private readonly input: InputBar;
  private readonly status: StatusBar;
  private readonly picker: EmojiPicker;
  private login: LoginPrompt | undefined;
  /** Rooms whose events this app follows (presence and reset notices). */
  private readonly followed = new WeakSet<RoomModel>();
  /** The room the log and input show, to keep its draft when another opens. */
  private shown: RoomModel | undefined;
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
    this.client = new KuykanClient(options.urls, { clientName: 'kuykan-tui' });
    this.model = new ChatModel(this.client, { maxMessages: 2000 });
    this.rooms = new RoomList(this.screen, (room) => this.model.select(room));
    this.users = new UserList(this.screen);
    this.log = new MessageLog(
      this.screen,
      (room) => void this.loadOlder(room),
      () => this.client.name ?? '',
    );
    this.input = new InputBar(
      this.screen,
      this.emoji,
      (line) => void this.submit(line),
      () => this.model.active?.room.typing(),
    );
    this.status = new StatusBar(this.screen);
    this.picker = new EmojiPicker(this.screen, this.emoji, (emoji) => this.input.insert(emoji));
    this.screen.on('keypress', (ch: string | undefined, key: blessed.Widgets.Events.IKeyEventArg) =>
      this.onKey(ch, key),
    );
    this.applyLayout();
    this.screen.on('resize', () => {
      this.applyLayout();
      this.drawLog();
      this.renderAll();
    });
    // The terminal's cursor follows the input (or the login field) after every frame.
    this.screen.on('render', () => this.placeCursor());
    this.client.on('state', (ctx) => this.onState(ctx));
    this.client.on('rtt', () => this.renderAll());
    this.model.on('changed', (change) => this.onChange(change));
    this.model.on(
      'error',
      ({ error }) => this.model.active && this.notice(this.model.active.name, explain(error), true),
    );
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

  async start(): Promise<void> {
    this.renderAll();
    try {
      await this.client.connect();
    } catch (error) {
      throw new Error(`cannot connect to ${this.client.url}: ${explain(error)}`);
    }
    if (this.options.name && (await this.tryLogin(this.options.name))) return;
    this.login ??= new LoginPrompt(this.screen, (name) => void this.tryLogin(name));
    this.renderAll();
  }

  /** A line of the terminal's own in a room's log (after its newest message). */
  private notice(room: string, text: string, error = false): void {
    const after = this.model.room(room)?.messages.at(-1)?.seq ?? 0;
    this.notices.add(room, { after, ts: Date.now(), text, error });
    if (this.model.active?.name === room) this.drawLog();
  }

  /** Reconnect progress goes to the status bar (one line, updated), the outcome once to the log. */
  private onState({ state, previous, reason, attempt, delayMs }: StateContext): void {
    const active = this.model.active?.name;
    if (state === 'reconnecting') {
      const wait = delayMs ? ` in ${Math.ceil(delayMs / 1000)} s` : '';
      const cause = reasonText(reason);
      this.connection = `reconnecting: attempt ${attempt ?? 1}${wait} (${cause})`;
      if (previous === 'open' && active) this.notice(active, `connection lost (${cause}); reconnecting…`);
    } else if (state === 'open') {
      this.connection = undefined;
      if (previous === 'reconnecting' && active) this.notice(active, `reconnected to ${this.client.url}`);
    } else if (state === 'closed' && active && !this.destroyed) {
      this.connection = `disconnected${reason?.message ? `: ${reason.message}` : ''}`;
      this.notice(active, this.connection, true);
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
      const room = await this.model.join(this.options.room);
      this.notice(room.name, `connected to ${this.client.url} as ${this.client.name}`);
    } catch (error) {
      this.input.showHint(`could not join #${this.options.room}: ${explain(error)}`);
    }
    return true;
  }

  /** Draws what changed; the log only when the open room's messages, sends or paging changed. */
  private onChange({ changes, room, roomChanges }: ChatChange): void {
    if (changes.includes('rooms')) for (const joined of this.model.rooms) this.follow(joined);
    const active = this.model.active;
    if (active !== this.shown) {
      // The input belongs to the room: its draft stays with it, the new room's comes back.
      if (this.shown && this.model.rooms.includes(this.shown)) this.shown.setDraft(this.input.value);
      this.shown = active;
      this.input.value = active?.draft ?? '';
      this.drawLog();
    } else if (room === active && roomChanges?.some((c) => LOG_CHANGES.has(c))) this.drawLog();
    if (room && roomChanges?.includes('pending')) this.reportFailed(room);
    this.renderAll();
  }

  /** Notices for a room's presence and resets; the model keeps everything else. */
  private follow(room: RoomModel): void {
    if (this.followed.has(room)) return;
    this.followed.add(room);
    room.on('presence', ({ name, kind }) => this.notice(room.name, `${name} ${kind === 'join' ? 'joined' : 'left'}`));
    room.on('reset', () => {
      this.notices.clear(room.name);
      this.notice(room.name, 'reconnected, but missed messages could not be recovered; showing the latest');
    });
  }

  /** A send the server refused is said once in the log, and leaves the sends in flight. */
  private reportFailed(room: RoomModel): void {
    for (const pending of room.pending) {
      if (pending.status !== 'failed') continue;
      room.discard(pending.clientId);
      this.notice(room.name, `not sent: ${pending.text} (${explain(pending.error)})`, true);
    }
  }

  private drawLog(): void {
    this.log.show(this.model.active, this.notices);
  }

  private async loadOlder(room: RoomModel): Promise<void> {
    try {
      await room.loadOlder();
    } catch (error) {
      // Shown above the input too: the log is scrolled to its top, far from the new notice.
      const text = `could not load older messages: ${explain(error)}`;
      this.notice(room.name, text, true);
      this.input.showHint(text);
    }
  }

  /** Sends a line, or refuses it with a reason on screen: nothing typed disappears silently. */
  private async send(room: RoomModel, line: string): Promise<void> {
    const text = expandShortcodes(line.startsWith('//') ? line.slice(1) : line, this.emoji);
    const max = this.client.limits?.maxTextLength;
    const length = [...text].length;
    if (max !== undefined && length > max) {
      this.notice(room.name, `not sent: the message is ${length} characters, the server takes ${max}`, true);
      this.input.value = line;
      return;
    }
    try {
      await room.send(text);
    } catch (error) {
      // The outbox reports what it tried and failed as a failed send (shown by reportFailed);
      // what it refused before trying (queue full, room left) is shown here.
      const reported = error instanceof ProtocolError || (error instanceof ClientError && error.code !== 'QUEUE_FULL');
      if (!reported) this.notice(room.name, `not sent: ${explain(error)}`, true);
    }
  }

  private async submit(line: string): Promise<void> {
    const command = parseCommand(line);
    const room = this.model.active;
    const say = (text: string) => room && this.notice(room.name, text);
    try {
      if (!command) {
        if (room) await this.send(room, line);
        else this.input.showHint('not in a room yet');
        return;
      }
      switch (command.kind) {
        case 'join':
          await this.model.join(command.room);
          break;
        case 'leave':
          if (room && this.model.rooms.length > 1) {
            this.notices.clear(room.name);
            await this.model.leave(room.name);
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
          if (room) {
            this.notices.clearThrough(room.name, room.messages.at(-1)?.seq ?? 0);
            this.drawLog();
          }
          break;
        case 'quit':
          await this.quit();
          break;
        case 'error':
          say(command.message);
          break;
      }
    } catch (error) {
      if (room) this.notice(room.name, explain(error), true);
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
      case 'C-p':
        this.model.selectNext(key.full === 'C-n' ? 1 : -1);
        return;
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
    const room = this.model.active;
    this.rooms.render(this.model.rooms, room?.name);
    this.users.render(room?.members ?? [], this.client.name);
    this.log.setTyping(room?.typing ?? []);
    this.status.render({
      state: this.client.state,
      ...(this.connection ? { detail: this.connection } : {}),
      server: this.client.url,
      ...(room ? { room: room.name } : {}),
      ...(this.client.name ? { name: this.client.name } : {}),
      ...(this.client.rttMs !== undefined ? { rttMs: this.client.rttMs } : {}),
    });
    this.input.render();
  }

  /** Gives the terminal back as it was: normal screen, cursor shown, mouse off. Safe to call twice. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.model.dispose();
    this.screen.destroy();
  }

  async quit(): Promise<void> {
    await this.client.close();
    this.destroy();
    process.exit(0);
  }
}
