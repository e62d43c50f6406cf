/** Wires the app model (@kuykan/sdk/model) to the views, and keys to the actions. */

import type { EmojiIndex } from '@kuykan/emoji';
import { ErrorCode, KuykanClient, ProtocolError, type StateContext } from '@kuykan/sdk';
import { type ChatChange, ChatModel, type ChatModelEvents, type RoomModel } from '@kuykan/sdk/model';
import type blessed from 'blessed';
import { Actions } from './actions.js';
import { explain, reasonText } from './errors.js';
import { Keyboard } from './keys.js';
import { RoomNotices } from './notices.js';
import { ReadMarks, roomLabel } from './rooms.js';
import { createScreen, loadEmoji } from './screen.js';
import { applyProfile, profileFor } from './terminal.js';
import { Uploads } from './upload.js';
import { EmojiPicker } from './views/emoji-picker.js';
import { InputBar } from './views/input-bar.js';
import { LoginPrompt } from './views/login-prompt.js';
import { MessageLog } from './views/message-log.js';
import { RoomList, UserList } from './views/side-lists.js';
import { StatusBar } from './views/status-bar.js';

export interface AppOptions {
  /** The server, or several nodes of one cluster tried in turn. */
  urls: string[];
  name?: string;
  /** Login key: the same name and key are the same user on every run (edits, read markers, direct rooms). */
  key?: string;
  room: string;
  /** Ring the terminal bell when someone mentions me. */
  bell?: boolean;
}

/** Room changes the message log draws (members and typing are drawn elsewhere). */
const LOG_CHANGES = new Set(['messages', 'pending', 'older']);

export class App {
  private readonly screen: blessed.Widgets.Screen;
  private readonly client: KuykanClient;
  private readonly model: ChatModel;
  private readonly notices = new RoomNotices();
  private readonly marks = new ReadMarks();
  private readonly keys: Keyboard;
  private readonly uploads: Uploads;
  private readonly actions: Actions;
  private readonly emoji: EmojiIndex;
  private readonly log: MessageLog;
  private readonly rooms: RoomList;
  private readonly users: UserList;
  private readonly input: InputBar;
  private readonly status: StatusBar;
  private readonly picker: EmojiPicker;
  private login: LoginPrompt | undefined;
  /** Rooms whose events this app follows (notices, changes, the bell). */
  private readonly followed = new WeakSet<RoomModel>();
  /** The room the log and input show, to keep its draft when another opens. */
  private shown: RoomModel | undefined;
  /** Reconnect progress for the status bar; cleared when open again. */
  private connection: string | undefined;
  private destroyed = false;

  constructor(private readonly options: AppOptions) {
    this.emoji = loadEmoji();
    applyProfile(profileFor(process.env), this.emoji);
    this.screen = createScreen();
    this.client = new KuykanClient(options.urls, {
      clientName: 'kuykan-tui',
      ...(options.key !== undefined ? { key: options.key } : {}),
      maxMessages: 2000,
    });
    this.model = new ChatModel(this.client, { maxMessages: 2000 });
    this.uploads = new Uploads(() => this.renderAll());
    this.actions = new Actions(
      {
        client: this.client,
        model: this.model,
        emoji: this.emoji,
        uploads: this.uploads,
        notice: (room, text, error) => this.notice(room, text, error),
        hint: (text) => this.input.showHint(text),
        setInput: (text) => {
          this.input.value = text;
        },
        selected: () => this.keys.selected(),
        clear: (room) => {
          this.notices.clearThrough(room.name, room.messages.at(-1)?.seq ?? 0);
          this.drawLog();
        },
        changed: () => this.keys.refreshMode(),
        quit: () => this.quit(),
      },
      { bell: options.bell ?? false },
    );
    this.rooms = new RoomList(this.screen, (room) => this.open(room));
    this.users = new UserList(this.screen);
    this.log = new MessageLog(
      this.screen,
      (room) => void this.loadOlder(room),
      () => this.client.name ?? '',
    );
    this.input = new InputBar(
      this.screen,
      this.emoji,
      (line) => void this.actions.submit(line),
      () => this.model.active?.room.typing(),
    );
    this.status = new StatusBar(this.screen);
    this.picker = new EmojiPicker(this.screen, this.emoji, (emoji) => this.keys.picked(emoji));
    this.keys = new Keyboard({
      model: this.model,
      actions: this.actions,
      input: this.input,
      log: this.log,
      picker: this.picker,
      uploads: this.uploads,
      me: () => this.client.name,
      login: () => this.login,
      drawLog: () => this.drawLog(),
      openNext: (step) => this.openNext(step),
      quit: () => this.quit(),
    });
    this.screen.on('keypress', (ch: string | undefined, key: blessed.Widgets.Events.IKeyEventArg) =>
      this.keys.handle(ch, key),
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
    this.model.on('mention', (ctx) => this.onMention(ctx));
    this.model.on('message', ({ message }) => !message.own && message.mentionsMe && this.ring());
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

  /** Opens a joined room, or joins the room of an invitation (a direct room by its peer). */
  private open(name: string): void {
    if (this.model.select(name)) return;
    const invite = this.model.invites.find((i) => i.room === name);
    if (!invite) return;
    const joining = invite.peer !== undefined ? this.model.openDirect(invite.peer) : this.model.join(invite.room);
    joining.catch((error: unknown) => this.input.showHint(explain(error)));
  }

  /** Ctrl+N/Ctrl+P: the next or previous room in the list, invitations after the rooms. */
  private openNext(step: number): void {
    const names = [...this.model.rooms.map((r) => r.name), ...this.model.invites.map((i) => i.room)];
    if (names.length === 0) return;
    const at = Math.max(0, names.indexOf(this.model.active?.name ?? ''));
    this.open(names[(((at + step) % names.length) + names.length) % names.length]!);
  }

  /** Someone mentioned me in a room I have not joined: it is listed as an invitation; a room is also named. */
  private onMention({ invite, mention }: Parameters<ChatModelEvents['mention']>[0]): void {
    this.ring();
    const active = this.model.active;
    if (active && invite.peer === undefined)
      this.notice(active.name, `${mention.from} mentioned you in #${invite.room}: ${mention.text}`);
  }

  private ring(): void {
    if (this.actions.bell && !this.destroyed) this.screen.program.bell();
  }

  /** Draws what changed; the log only when the open room's messages, sends or paging changed. */
  private onChange({ changes, room, roomChanges }: ChatChange): void {
    if (changes.includes('rooms')) for (const joined of this.model.rooms) this.follow(joined);
    const active = this.model.active;
    if (active !== this.shown) {
      // The input belongs to the room: its draft stays with it, the new room's comes back.
      const closed = this.shown && this.model.rooms.includes(this.shown) ? this.shown : undefined;
      closed?.setDraft(this.input.value);
      this.marks.switched(closed, active);
      this.actions.cancel();
      this.keys.reset();
      this.shown = active;
      this.input.value = active?.draft ?? '';
      this.drawLog();
    } else if (room === active && roomChanges?.some((c) => LOG_CHANGES.has(c))) this.drawLog();
    if (room && roomChanges?.includes('pending')) this.reportFailed(room);
    this.renderAll();
  }

  /** Notices for a room's presence and resets. */
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
    this.log.show(this.model.active, this.notices, {
      selected: this.keys.selection.id,
      newAfter: this.marks.newAfter,
    });
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
    this.rooms.render(
      [
        ...this.model.rooms.map((r) => ({
          name: r.name,
          label: roomLabel(r.name, r.peer),
          unread: r.unread,
          mentions: r.mentions,
        })),
        ...this.model.invites.map((i) => ({
          name: i.room,
          label: roomLabel(i.room, i.peer),
          unread: i.mentions,
          mentions: i.mentions,
          invite: true,
        })),
      ],
      room?.name,
    );
    this.users.render(room?.members ?? [], this.client.name, room?.bots ?? []);
    this.log.setTyping(room?.typing ?? []);
    const detail = this.connection ?? this.uploads.describe();
    this.status.render({
      state: this.client.state,
      ...(detail ? { detail } : {}),
      server: this.client.url,
      ...(room ? { room: roomLabel(room.name, room.peer) } : {}),
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
