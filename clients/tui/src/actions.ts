/**
 * What a line typed in the input does: a command, a message, a reply, an
 * edit, a reaction (`+👍`), or the answer to "delete this message? y/n".
 * Every outcome the user did not see happen is said on screen: nothing
 * typed disappears silently.
 *
 * @module
 */
import { type EmojiIndex, expandShortcodes } from '@kuykan/emoji';
import { nameKey } from '@kuykan/protocol';
import { ClientError, type KuykanClient, ProtocolError } from '@kuykan/sdk';
import type { ChatModel, MessageRecord, RoomModel } from '@kuykan/sdk/model';
import { HELP, parseCommand, reactionOf } from './commands.js';
import { type ComposeMode, modeLabel, SENDING } from './compose.js';
import { explain } from './errors.js';
import { formatBytes } from './message-lines.js';
import type { Uploads } from './upload.js';

/** What the actions need of the app. */
export interface ActionHost {
  readonly client: KuykanClient;
  readonly model: ChatModel;
  readonly emoji: EmojiIndex;
  readonly uploads: Uploads;
  /** A line in a room's log. */
  notice(room: string, text: string, error?: boolean): void;
  /** A short message above the input. */
  hint(text: string): void;
  /** Puts text in the input. */
  setInput(text: string): void;
  /** The selected message of the open room, if any. */
  selected(): MessageRecord | undefined;
  /** `/clear` for the open room. */
  clear(room: RoomModel): void;
  /** The mode changed (the input's label, the selection): redraw. */
  changed(): void;
  quit(): Promise<void>;
}

export class Actions {
  #mode: ComposeMode = SENDING;
  /** Ring the terminal bell when someone mentions me. */
  bell: boolean;

  constructor(
    private readonly host: ActionHost,
    options: { bell?: boolean } = {},
  ) {
    this.bell = options.bell ?? false;
  }

  get mode(): ComposeMode {
    return this.#mode;
  }

  /** The input's label for the mode. */
  get label(): string {
    return modeLabel(this.#mode);
  }

  setMode(mode: ComposeMode): void {
    this.#mode = mode;
    this.host.changed();
  }

  /** Esc: leaves a reply or an edit (giving back what the input held); returns whether there was one. */
  cancel(): boolean {
    const mode = this.#mode;
    if (mode.kind === 'send') return false;
    this.setMode(SENDING);
    if (mode.kind === 'edit') this.host.setInput(mode.before);
    return true;
  }

  /** Replies to `target` with the next line sent. */
  reply(target: MessageRecord): void {
    this.setMode({ kind: 'reply', target });
  }

  /** Edits `target` (mine) in the input; `before` is what the input held. */
  edit(target: MessageRecord, before: string): void {
    if (!this.mine(target, 'edit')) return;
    this.setMode({ kind: 'edit', target, before });
    this.host.setInput(target.text);
  }

  /** Asks whether to delete `target` (mine): the next key answers. */
  askDelete(target: MessageRecord): void {
    if (this.mine(target, 'delete')) this.setMode({ kind: 'delete', target });
  }

  /** The answer to "delete this message? y/n". */
  answerDelete(yes: boolean): void {
    const mode = this.#mode;
    if (mode.kind !== 'delete') return;
    this.setMode(SENDING);
    const room = this.host.model.active;
    if (yes && room) void this.attempt(room, 'delete', () => room.delete(mode.target.messageId));
  }

  /** My last message in the open room that can still be edited (↑ in an empty input). */
  lastOwn(): MessageRecord | undefined {
    const room = this.host.model.active;
    if (!room) return undefined;
    return room.messages.findLast((m) => m.own && !m.deleted);
  }

  /** Adds my reaction `emoji` to `target`, or takes it back if I had reacted with it. */
  toggleReaction(target: MessageRecord, emoji: string): void {
    const room = this.host.model.active;
    if (room) void this.attempt(room, 'react', () => room.toggleReaction(target.messageId, emoji));
  }

  async submit(line: string): Promise<void> {
    const room = this.host.model.active;
    const mode = this.#mode;
    if (mode.kind === 'edit' && room) return this.saveEdit(room, mode.target, line);
    const command = parseCommand(line);
    if (!command) {
      if (!room) return this.host.hint('not in a room yet');
      const emoji = reactionOf(line, (text) => expandShortcodes(text, this.host.emoji));
      const target = emoji && (this.host.selected() ?? room.messages.at(-1));
      if (emoji && target) return this.toggleReaction(target, emoji);
      return this.send(room, line);
    }
    const say = (text: string) => room && this.host.notice(room.name, text);
    try {
      switch (command.kind) {
        case 'join':
          await this.host.model.join(command.room);
          break;
        case 'dm':
          await this.host.model.openDirect(command.name);
          break;
        case 'leave':
          if (room && this.host.model.rooms.length > 1) await this.host.model.leave(room.name);
          else say('you are in only one room; /join another first, or /quit');
          break;
        case 'rooms':
          for (const r of await this.host.client.listRooms())
            say(
              r.peer ? `@${r.peer} — direct, ${r.seq} messages` : `#${r.room} — ${r.members} online, ${r.seq} messages`,
            );
          break;
        case 'users':
          say(`online here: ${room?.members.join(', ') ?? ''}`);
          break;
        case 'help':
          for (const text of HELP) say(text);
          break;
        case 'clear':
          if (room) this.host.clear(room);
          break;
        case 'upload':
          if (room) await this.upload(room, command.path);
          break;
        case 'bell':
          this.bell = command.on ?? !this.bell;
          say(
            `the bell ${this.bell ? 'rings' : 'stays quiet'} when someone mentions you (/bell ${this.bell ? 'off' : 'on'})`,
          );
          break;
        case 'quit':
          await this.host.quit();
          break;
        case 'error':
          say(command.message);
          break;
      }
    } catch (error) {
      if (room) this.host.notice(room.name, explain(error), true);
      else this.host.hint(explain(error));
    }
  }

  /** Sends a line (as a reply in reply mode), or refuses it with a reason on screen. */
  private async send(room: RoomModel, line: string): Promise<void> {
    const text = expandShortcodes(line.startsWith('//') ? line.slice(1) : line, this.host.emoji);
    if (!this.fits(room, text, line)) return;
    const mode = this.#mode;
    if (mode.kind === 'reply') this.setMode(SENDING);
    const options = {
      ...(mode.kind === 'reply' ? { replyTo: mode.target.messageId } : {}),
      ...this.mentionsIn(room, text),
    };
    try {
      await room.send(text, options);
    } catch (error) {
      // The outbox reports what it tried and failed as a failed send (the app says it once);
      // what it refused before trying (queue full, room left, a v1 server) is said here.
      const reported =
        error instanceof ProtocolError ||
        (error instanceof ClientError && error.code !== 'QUEUE_FULL' && error.code !== 'UNSUPPORTED');
      if (!reported) this.host.notice(room.name, `not sent: ${explain(error)}`, true);
    }
  }

  private async saveEdit(room: RoomModel, target: MessageRecord, line: string): Promise<void> {
    this.setMode(SENDING);
    const text = expandShortcodes(line, this.host.emoji);
    if (text === target.text) return;
    if (!text.trim()) {
      this.host.hint('an edit cannot be empty: select the message (Alt+Up) and press d to delete it');
      return;
    }
    if (!this.fits(room, text, line)) return;
    const { mentions = [] } = this.mentionsIn(room, text);
    await this.attempt(room, 'edit', () => room.edit(target.messageId, text, { mentions }));
  }

  private async upload(room: RoomModel, path: string): Promise<void> {
    const ack = await this.host.uploads.send(room, path);
    this.host.hint(`sent ${ack.file.name} (${formatBytes(ack.file.size)})`);
  }

  /** Runs an edit, delete or reaction; a refusal is said in the log. */
  private async attempt(room: RoomModel, what: string, request: () => Promise<unknown>): Promise<void> {
    try {
      await request();
    } catch (error) {
      this.host.notice(room.name, `could not ${what}: ${explain(error)}`, true);
    }
  }

  /** Whether `text` is within the server's limit; if not, says so and keeps the line in the input. */
  private fits(room: RoomModel, text: string, line: string): boolean {
    const max = this.host.client.limits?.maxTextLength;
    const length = [...text].length;
    if (max === undefined || length <= max) return true;
    this.host.notice(room.name, `not sent: the message is ${length} characters, the server takes ${max}`, true);
    this.host.setInput(line);
    return false;
  }

  /** `@name` words naming someone in the room (or my direct room's peer), for `mentions` [MENTION-1]. */
  private mentionsIn(room: RoomModel, text: string): { mentions?: string[] } {
    const known = new Map(room.members.map((name) => [nameKey(name), name]));
    if (room.peer) known.set(nameKey(room.peer), room.peer);
    const found = new Set<string>();
    for (const [, word] of text.matchAll(/(?<![\p{L}\p{N}_])@([^\s@]+)/gu)) {
      const name = known.get(nameKey(word!.replace(/[.,;:!?)\]}'"]+$/u, '')));
      if (name) found.add(name);
    }
    const max = this.host.client.limits?.maxMentions ?? 0;
    return found.size > 0 && max > 0 ? { mentions: [...found].slice(0, max) } : {};
  }

  private mine(target: MessageRecord, what: string): boolean {
    if (target.own && !target.deleted) return true;
    this.host.hint(target.deleted ? 'that message was deleted' : `you can only ${what} your own messages`);
    return false;
  }
}
