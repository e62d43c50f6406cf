/**
 * The keyboard: which part of the screen a key belongs to (the login prompt,
 * the emoji picker, a y/n question, the selected message, the input), and
 * the selection made with Alt+↑/↓ with the keys that act on it.
 *
 * @module
 */
import type { ChatModel, MessageRecord } from '@kuykan/sdk/model';
import type blessed from 'blessed';
import type { Actions } from './actions.js';
import { MessageSelection } from './selection.js';
import type { Uploads } from './upload.js';
import type { EmojiPicker } from './views/emoji-picker.js';
import type { InputBar } from './views/input-bar.js';
import type { LoginPrompt } from './views/login-prompt.js';
import type { MessageLog } from './views/message-log.js';

/** What Alt+↑ selection offers, above the input. */
export const SELECTION_KEYS = 'r reply · e edit · d delete · + react · ↑↓ move · Esc done';

/** What the keyboard drives. */
export interface KeyHost {
  readonly model: ChatModel;
  readonly actions: Actions;
  readonly input: InputBar;
  readonly log: MessageLog;
  readonly picker: EmojiPicker;
  readonly uploads: Uploads;
  /** My name. */
  me(): string | undefined;
  /** The login prompt, while it is open. */
  login(): LoginPrompt | undefined;
  drawLog(): void;
  /** Opens the next (1) or previous (-1) room of the list, invitations included. */
  openNext(step: number): void;
  quit(): Promise<void>;
}

export class Keyboard {
  readonly selection = new MessageSelection();
  /** The message the emoji picker reacts to (opened with + on a selection); else it inserts. */
  private reactTo: MessageRecord | undefined;

  constructor(private readonly host: KeyHost) {}

  /** Another room opened: nothing stays selected. */
  reset(): void {
    this.selection.clear();
    this.refreshMode();
  }

  /** The selected message of the open room, in its current state. */
  selected(): MessageRecord | undefined {
    const room = this.host.model.active;
    return room && this.selection.of(room.messages);
  }

  /** Alt+↑/↓ (and ↑/↓ while selecting): moves the selection and keeps it in view. */
  private moveSelection(step: number): void {
    const room = this.host.model.active;
    if (!room) return;
    const id = this.selection.move(room.messages, step);
    this.host.drawLog();
    if (id) this.host.log.reveal(id);
    this.refreshMode();
  }

  private endSelection(): void {
    this.selection.clear();
    this.host.drawLog();
    this.refreshMode();
  }

  /** The label above the input: the selection's keys, or what Enter will do. */
  refreshMode(): void {
    this.host.input.setMode(this.selection.id ? SELECTION_KEYS : this.host.actions.label);
  }

  picked(emoji: string): void {
    const target = this.reactTo;
    this.reactTo = undefined;
    if (target) this.host.actions.toggleReaction(target, emoji);
    else this.host.input.insert(emoji);
  }

  /** Keys while a message is selected; returns whether the key was the selection's. */
  private onSelectionKey(ch: string | undefined, key: blessed.Widgets.Events.IKeyEventArg): boolean {
    const target = this.selected();
    if (!target) {
      this.selection.clear();
      return false;
    }
    switch (key.full) {
      case 'up':
      case 'M-up':
        this.moveSelection(-1);
        return true;
      case 'down':
      case 'M-down':
        this.moveSelection(1);
        return true;
      case 'escape':
        this.endSelection();
        return true;
    }
    const act = {
      r: () => this.host.actions.reply(target),
      e: () => this.host.actions.edit(target, this.host.input.value),
      d: () => this.host.actions.askDelete(target),
    }[ch ?? ''];
    if (act) {
      this.endSelection();
      act();
      return true;
    }
    if (ch === '+') {
      this.reactTo = target;
      this.host.picker.show();
      return true;
    }
    // Typing goes to the input: the selection ends.
    if (ch && !key.ctrl && !key.meta && ch >= ' ') this.endSelection();
    return false;
  }

  /** Routes a key: the login prompt, the picker, a y/n question, the selection, then the input. */
  handle(ch: string | undefined, key: blessed.Widgets.Events.IKeyEventArg): void {
    // blessed reports a carriage return twice, as `return` and then `enter`: act on `enter` only.
    if (key.full === 'return') return;
    if (key.full === 'C-c') {
      void this.host.quit();
      return;
    }
    const login = this.host.login();
    if (login) {
      login.handleKey(ch, key);
      return;
    }
    if (this.host.picker.open) {
      this.host.picker.handleKey(ch, key);
      return;
    }
    // "Delete this message? y/n": the next key answers, and only y deletes.
    if (this.host.actions.mode.kind === 'delete') {
      this.host.actions.answerDelete(ch === 'y' || ch === 'Y');
      return;
    }
    if (this.selection.id !== undefined && this.onSelectionKey(ch, key)) return;
    switch (key.full) {
      case 'M-up':
      case 'M-down':
        this.moveSelection(key.full === 'M-up' ? -1 : 1);
        return;
      case 'escape':
        if (!this.host.actions.cancel()) this.host.uploads.cancel();
        return;
      case 'up': {
        // In an empty input, ↑ edits my last message (history is Ctrl+↑, or ↑ once there is text).
        const last =
          this.host.input.atRest && this.host.actions.mode.kind === 'send' ? this.host.actions.lastOwn() : undefined;
        if (last) {
          this.host.actions.edit(last, '');
          return;
        }
        break;
      }
      case 'C-e':
        this.reactTo = undefined;
        this.host.picker.show();
        return;
      case 'pageup':
        this.host.log.scroll(-this.host.log.pageSize);
        return;
      case 'pagedown':
        this.host.log.scroll(this.host.log.pageSize);
        return;
      case 'C-n':
      case 'C-p':
        this.host.openNext(key.full === 'C-n' ? 1 : -1);
        return;
    }
    this.host.input.handleKey(ch, key);
  }
}
