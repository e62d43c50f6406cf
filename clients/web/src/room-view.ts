/**
 * What the UI shows of one room: messages (confirmed, in seq order, then the
 * ones still being sent), system notices, members, typing users, unread count.
 * Capped so a room with thousands of messages keeps a bounded DOM.
 */
import type { ChatMessage, OutgoingStatus } from '@kuykan/sdk';

/** Items kept per room; older ones are dropped and can be paged back in. */
export const MAX_ITEMS = 600;

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

let noticeCounter = 0;

export class RoomView {
  items: Item[] = [];
  members: readonly string[] = [];
  typing: readonly string[] = [];
  unread = 0;
  /** Unread messages that mention this user. */
  mentions = 0;
  /** What was typed but not sent, kept while another room is open. */
  draft = '';
  /** Older history exists on the server. */
  hasOlder = true;
  loadingOlder = false;
  /** v2: for a direct room, the other member's name (the room's title). */
  peer: string | undefined;
  /** v2: the first message unread when the room was opened (the "New messages" line), set on opening. */
  unreadFrom: string | undefined;

  constructor(readonly name: string) {}

  /** What the UI calls the room: `@peer` for a direct room, else its name. */
  get title(): string {
    return this.peer ? `@${this.peer}` : `# ${this.name}`;
  }

  /** The newest confirmed seq shown (0 when none). */
  get lastSeq(): number {
    for (let n = this.items.length - 1; n >= 0; n--) {
      const item = this.items[n]!;
      if (item.kind === 'message' && item.message.seq > 0) return item.message.seq;
    }
    return 0;
  }

  /**
   * v2: newer records of messages shown (an edit, a deletion, a reaction, or
   * a reply whose quote followed its original). The SDK makes a new record
   * for every change, so identity tells what to re-render.
   */
  replace(records: ReadonlyArray<ChatMessage | undefined>): boolean {
    const byId = new Map<string, ChatMessage>();
    for (const record of records) if (record) byId.set(record.messageId, record);
    let changed = false;
    const items = this.items.map((item) => {
      if (item.kind !== 'message' || item.message.seq === 0) return item;
      const next = byId.get(item.message.messageId);
      if (!next || next === item.message) return item;
      changed = true;
      return { ...item, message: next };
    });
    if (changed) this.items = items;
    return changed;
  }

  /** My newest confirmed message that is not deleted (↑ in an empty composer edits it). */
  get lastOwn(): ChatMessage | undefined {
    for (let n = this.items.length - 1; n >= 0; n--) {
      const item = this.items[n]!;
      if (item.kind === 'message' && item.own && item.message.seq > 0 && !item.message.deleted) return item.message;
    }
    return undefined;
  }

  /** The first message of others after the read marker `readSeq`, if it is shown. */
  firstUnread(readSeq: number): string | undefined {
    for (const item of this.items) {
      if (item.kind === 'message' && item.message.seq > readSeq && !item.own && !item.message.deleted) return item.key;
    }
    return undefined;
  }

  /** A message with this id is shown. */
  has(messageId: string): boolean {
    return this.items.some((item) => item.kind === 'message' && item.message.messageId === messageId);
  }

  /** Oldest confirmed seq shown, for paging back. */
  get oldestSeq(): number | undefined {
    for (const item of this.items) if (item.kind === 'message' && item.message.seq > 0) return item.message.seq;
    return undefined;
  }

  /** Replaces everything with a fresh page (first join, or a reset). */
  reset(messages: ChatMessage[], ownName: string | undefined): void {
    this.items = messages.map((m) => messageItem(m, ownName));
    this.hasOlder = (messages[0]?.seq ?? 1) > 1;
  }

  /** Adds a confirmed message; replaces its pending copy if this client sent it. */
  addMessage(message: ChatMessage, own: boolean): void {
    // Each change makes a new array, so the list re-renders exactly when items change.
    const items = this.items.filter(
      (i) =>
        !(i.kind === 'message' && i.message.seq === 0 && message.clientId && i.message.clientId === message.clientId),
    );
    const firstPending = items.findIndex((i) => i.kind === 'message' && i.message.seq === 0);
    const item = messageItem(message, undefined, own);
    if (firstPending >= 0) items.splice(firstPending, 0, item);
    else items.push(item);
    this.items = items;
    this.trim();
  }

  /** Shows a message of this client before the server confirms it. */
  setOutgoing(clientId: string, text: string, status: OutgoingStatus, from: string, failure?: Failure): void {
    const index = this.items.findIndex(
      (i) => i.kind === 'message' && i.message.seq === 0 && i.message.clientId === clientId,
    );
    if (status === 'sent') {
      if (index >= 0) this.items = this.items.filter((_, n) => n !== index);
      return;
    }
    if (index >= 0) {
      const item = this.items[index] as Extract<Item, { kind: 'message' }>;
      this.items = this.items.map((existing, n) => (n === index ? { ...item, status, failure } : existing));
      return;
    }
    const message: ChatMessage = { seq: 0, messageId: `pending-${clientId}`, ts: Date.now(), from, text, clientId };
    this.items = [...this.items, { kind: 'message', key: message.messageId, message, own: true, status, failure }];
  }

  /** Prepends a page of older history. */
  prepend(messages: ChatMessage[], more: boolean, ownName: string | undefined): void {
    const oldest = this.oldestSeq ?? Number.POSITIVE_INFINITY;
    const older = messages.filter((m) => m.seq < oldest).map((m) => messageItem(m, ownName));
    this.items = [...older, ...this.items];
    this.hasOlder = more;
  }

  addNotice(text: string, name?: string): void {
    this.items = [...this.items, { kind: 'notice', key: `notice-${++noticeCounter}`, text, ts: Date.now(), name }];
    this.trim();
  }

  private trim(): void {
    if (this.items.length <= MAX_ITEMS) return;
    this.items = this.items.slice(this.items.length - MAX_ITEMS);
    this.hasOlder = true;
  }
}

function messageItem(message: ChatMessage, ownName: string | undefined, own?: boolean): Item {
  return {
    kind: 'message',
    key: message.messageId,
    message,
    own: own ?? (ownName !== undefined && message.from.toLowerCase() === ownName.toLowerCase()),
  };
}
