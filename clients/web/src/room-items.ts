/**
 * What the message list draws of one room: the app model's messages and the
 * sends still on their way (`@kuykan/sdk/model` keeps both), with the web
 * client's own notices (joins, leaves, reconnects) where they happened. The
 * model knows nothing of notices: they are this view's, as in the terminal.
 *
 * @module
 */
import type { ChatMessage, OutgoingStatus } from '@kuykan/sdk';
import type { MessageRecord, PendingMessage, RoomModel } from '@kuykan/sdk/model';
import { canRetry, errorText } from './error-text.js';
import { t } from './i18n.js';

export type Item =
  | {
      kind: 'message';
      key: string;
      message: ChatMessage;
      own: boolean;
      status?: OutgoingStatus;
      /** For a failed send: why, in the UI language, and whether re-sending could work. */
      failure?: Failure;
    }
  | { kind: 'notice'; key: string; text: string; ts: number /** A user name within the text. */; name?: string };

/** Why a send failed, and whether Retry is worth offering. */
export interface Failure {
  reason: string;
  retry: boolean;
}

type Notice = Extract<Item, { kind: 'notice' }> & {
  /** The newest seq when it happened: it shows after that message. */
  after: number;
};

/** Notices kept per room (the model bounds the messages; this bounds what lies between them). */
const MAX_NOTICES = 100;

let noticeCounter = 0;
/** One empty list for every room without notices, so an unchanged room keeps its items. */
const NONE: readonly Notice[] = [];

/** What the UI calls a room: `@peer` for a direct room, else `# name`. */
export function roomTitle(room: Pick<RoomModel, 'name' | 'peer'>): string {
  return room.peer ? `@${room.peer}` : `# ${room.name}`;
}

interface Drawn {
  messages: RoomModel['messages'];
  pending: RoomModel['pending'];
  notices: readonly Notice[];
  items: Item[];
}

export class RoomItems {
  readonly #notices = new Map<string, readonly Notice[]>();
  readonly #drawn = new WeakMap<RoomModel, Drawn>();

  /** Writes the notices of a room's presence, resets and reconnects from now on. */
  follow(room: RoomModel): void {
    room.on('presence', ({ name, kind }) => this.notice(room, t(kind === 'join' ? 'joined' : 'left', { name }), name));
    room.on('reset', () => {
      this.clear(room.name);
      this.notice(room, t('resetNotice'));
    });
    // The gap arrived as messages; mark the point where the link came back.
    room.on('resumed', () => this.notice(room, t('resumedNotice')));
  }

  /** A notice after the room's newest message. */
  notice(room: RoomModel, text: string, name?: string): void {
    const after = room.messages.at(-1)?.seq ?? 0;
    const notice: Notice = { kind: 'notice', key: `notice-${++noticeCounter}`, text, ts: Date.now(), name, after };
    this.#notices.set(room.name, [...(this.#notices.get(room.name) ?? []), notice].slice(-MAX_NOTICES));
  }

  /** Forgets a room's notices (it was redrawn after a reset, or left). */
  clear(room: string): void {
    this.#notices.delete(room);
  }

  /**
   * The items of a room, in order: messages with the notices between them,
   * then my sends on their way. The same array until one of those changes,
   * so the list re-renders (and scrolls) only then.
   */
  of(room: RoomModel, me: string): Item[] {
    const { messages, pending } = room;
    const notices = this.#notices.get(room.name) ?? NONE;
    const drawn = this.#drawn.get(room);
    if (drawn?.messages === messages && drawn.pending === pending && drawn.notices === notices) return drawn.items;
    const items: Item[] = [];
    let next = 0;
    for (const message of messages) {
      while (next < notices.length && notices[next]!.after < message.seq) items.push(notices[next++]!);
      items.push({ kind: 'message', key: message.messageId, message, own: message.own });
    }
    items.push(...notices.slice(next));
    for (const sending of pending) items.push(pendingItem(sending, me));
    this.#drawn.set(room, { messages, pending, notices, items });
    return items;
  }
}

/** My newest confirmed message that is not deleted (↑ in an empty composer edits it). */
export function lastOwn(room: RoomModel): MessageRecord | undefined {
  const { messages } = room;
  for (let n = messages.length - 1; n >= 0; n--) if (messages[n]!.own && !messages[n]!.deleted) return messages[n];
  return undefined;
}

/** A send the server has not confirmed, drawn as my message without a seq. */
function pendingItem({ clientId, text, status, error, ts }: PendingMessage, me: string): Item {
  const message: ChatMessage = { seq: 0, messageId: `pending-${clientId}`, ts, from: me, text, clientId };
  const failure = status === 'failed' ? { reason: errorText(error), retry: canRetry(error) } : undefined;
  return { kind: 'message', key: message.messageId, message, own: true, status, failure };
}
