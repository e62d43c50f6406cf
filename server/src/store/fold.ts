/**
 * The rules of a version 2 log that every store applies alike (PROTOCOL.md
 * §16): which target an entry names, whether a change is allowed, whether a
 * reaction changes anything, and how a stored row becomes the record a
 * client receives (an entry, or a message folded with its reactions and
 * reply preview). Stores keep rows in their own way and call these.
 *
 * @module
 */

import {
  type Attachment,
  type ChatMessage,
  DEFAULT_LIMITS,
  EntryKind,
  ErrorCode,
  ProtocolError,
  previewText,
  REACTION_NAMES,
  type Reaction,
  type ReplyPreview,
} from '@kuykan/protocol';
import { LEGACY_IDENTITY } from '../identity.js';
import { messageIdOf } from '../ids.js';
import type { AppendResult, EntryChange, EntryRules, NewMessage, RangeRecords } from './types.js';

/** One entry of a room's log as a store keeps it. */
export interface StoredEntry {
  seq: number;
  ts: number;
  from: string;
  clientId: string;
  /** A message's current text, or a change entry's; "" once the message is deleted [DEL-2]. */
  text: string;
  /** The author's identity (identity.ts). */
  identity: string;
  bot: boolean;
  /** Absent for a message. */
  kind?: EntryKind;
  /** A change entry's message, by seq. */
  target?: number;
  emoji?: string;
  /** A message's current mentions, or an edit's. */
  mentions?: string[];
  /** The message a message answers, by seq. */
  replyTo?: number;
  /** A message's files, with unsigned URL paths; gone once the message is deleted [DEL-2]. */
  attachments?: Attachment[];
  /** A message's last edit. */
  editedTs?: number;
  /** A message was deleted (a tombstone). */
  deleted: boolean;
  /** Seq of the last entry that changed a message [FOLD-2]. */
  revision?: number;
}

/** One user's reaction with one emoji on a message. */
export interface StoredReaction {
  emoji: string;
  identity: string;
  name: string;
  /** Seq of the react entry. */
  seq: number;
  /** Seq at which the emoji last went from no reaction to one on this message [FOLD-3]. */
  appeared: number;
}

/** The defaults the reference server checks entries against. */
export const DEFAULT_RULES: EntryRules = {
  editWindowMs: DEFAULT_LIMITS.editWindowMs!,
  maxReactions: DEFAULT_LIMITS.maxReactions!,
};

/** The seq a messageId names in the log of `epoch`, if it is one of its ids [LOG-2]. */
export function targetSeq(epoch: string, messageId: string): number | undefined {
  const dot = messageId.lastIndexOf('.');
  if (dot < 0 || messageId.slice(0, dot) !== epoch) return undefined;
  const digits = messageId.slice(dot + 1);
  if (!/^[1-9][0-9]{0,15}$/.test(digits)) return undefined;
  const seq = Number(digits);
  return Number.isSafeInteger(seq) ? seq : undefined;
}

function notFound(what: string): ProtocolError {
  return new ProtocolError(ErrorCode.MESSAGE_NOT_FOUND, `${what} is no message of this room`);
}

/**
 * Checks a change against the message it targets, in the order of §5.4
 * [EDIT-1, EDIT-2, DEL-1, DEL-3, REACT-2]; `message` is the row the target
 * names, if any. Throws the refusal.
 */
export function checkChange(
  change: EntryChange,
  message: StoredEntry | undefined,
  identity: string,
  now: number,
  rules: EntryRules,
): StoredEntry {
  if (!message || message.kind !== undefined) throw notFound(`target ${change.target}`);
  const authored = change.kind === EntryKind.EDIT || change.kind === EntryKind.DELETE;
  if (authored && (message.identity !== identity || identity === LEGACY_IDENTITY)) {
    throw new ProtocolError(ErrorCode.NOT_AUTHOR, 'only the author may change a message');
  }
  if (message.deleted) throw new ProtocolError(ErrorCode.MESSAGE_DELETED, 'the message was deleted');
  if (change.kind === EntryKind.EDIT && rules.editWindowMs > 0 && now - message.ts > rules.editWindowMs) {
    throw new ProtocolError(ErrorCode.EDIT_EXPIRED, `messages can be edited for ${rules.editWindowMs} ms`);
  }
  return message;
}

/** Checks the message a reply answers [REPLY-1]. */
export function checkReply(replyTo: string, message: StoredEntry | undefined): StoredEntry {
  if (!message || message.kind !== undefined) throw notFound(`replyTo ${replyTo}`);
  if (message.deleted) throw new ProtocolError(ErrorCode.MESSAGE_DELETED, 'the message replied to was deleted');
  return message;
}

/**
 * A reaction checked against the reactions its message has [LOG-5,
 * REACT-3]: adding an emoji the user already reacted with, or removing one
 * they did not, changes nothing and gets this ack (seq 0); undefined when
 * it changes the message. A new emoji beyond `maxReactions` distinct ones
 * is refused.
 */
export function unchangedReaction(
  change: Extract<EntryChange, { emoji: string }>,
  target: { ts: number },
  reactions: readonly StoredReaction[],
  input: NewMessage,
  rules: EntryRules,
): AppendResult | undefined {
  const on = change.kind === EntryKind.REACT;
  const mine = reactions.some((r) => r.emoji === change.emoji && r.identity === input.identity);
  if (on !== mine) {
    const present = reactions.some((r) => r.emoji === change.emoji);
    if (on && !present && new Set(reactions.map((r) => r.emoji)).size >= rules.maxReactions) {
      throw new ProtocolError(ErrorCode.TOO_MANY_REACTIONS, `at most ${rules.maxReactions} distinct reactions`);
    }
    return undefined;
  }
  const ack = { seq: 0, messageId: change.target, ts: target.ts, from: input.from, text: '' };
  return { message: ack, duplicate: false, unchanged: true };
}

/** The row of a new entry; `target` and `replyTo` are the seqs the store resolved. */
export function newRow(input: NewMessage, seq: number, ts: number, target?: number, replyTo?: number): StoredEntry {
  const change = input.change;
  const mentions = change && change.kind !== EntryKind.EDIT ? undefined : input.mentions;
  return {
    seq,
    ts,
    from: input.from,
    clientId: input.clientId,
    text: change && change.kind !== EntryKind.EDIT ? '' : input.text,
    identity: input.identity ?? LEGACY_IDENTITY,
    bot: !change && input.bot === true,
    kind: change?.kind,
    target,
    emoji: change && 'emoji' in change ? change.emoji : undefined,
    mentions: mentions?.length ? mentions : undefined,
    replyTo,
    attachments: !change && input.attachments?.length ? input.attachments : undefined,
    deleted: false,
  };
}

/** Whether a row belongs to a range of `records` [FOLD-4, VER-4]. */
export function inRange(row: StoredEntry, records: RangeRecords = 'entries'): boolean {
  if (records === 'entries') return true;
  return row.kind === undefined && (records === 'messages' || !row.deleted);
}

/** The reply preview of a message's original, in its current state [REPLY-2, REPLY-3]. */
export function replyPreview(epoch: string, original: StoredEntry): ReplyPreview {
  return {
    messageId: messageIdOf(epoch, original.seq),
    from: original.from,
    text: original.deleted ? '' : previewText(original.text),
    ...(original.deleted ? { deleted: true } : {}),
  };
}

/**
 * A message's reactions as a reader sees them [FOLD-3]: each emoji once, in
 * the order it last appeared, with its count, the first names in reaction
 * order and whether `viewer` reacted with it.
 */
export function reactionList(reactions: readonly StoredReaction[], viewer: string | undefined): Reaction[] {
  const byEmoji = new Map<string, StoredReaction[]>();
  for (const reaction of [...reactions].sort((a, b) => a.appeared - b.appeared || a.seq - b.seq)) {
    const list = byEmoji.get(reaction.emoji);
    if (list) list.push(reaction);
    else byEmoji.set(reaction.emoji, [reaction]);
  }
  return [...byEmoji].map(([emoji, list]) => ({
    emoji,
    count: list.length,
    names: list.slice(0, REACTION_NAMES).map((r) => r.name),
    ...(viewer !== undefined && list.some((r) => r.identity === viewer) ? { me: true } : {}),
  }));
}

/** What a message record is folded with. */
export interface FoldParts {
  /** The original a message answers. */
  reply?: StoredEntry;
  /** The message's reactions. */
  reactions?: readonly StoredReaction[];
  /** Whose `me` the reactions show. */
  viewer?: string;
}

/**
 * The record of a row as clients receive it: a change entry as committed
 * (an edit of a deleted message with text "" [DEL-2]), a message folded
 * with its current state [FOLD-1], or a tombstone once deleted.
 */
export function toRecord(epoch: string, row: StoredEntry, parts: FoldParts = {}): ChatMessage {
  const record: ChatMessage = {
    seq: row.seq,
    messageId: messageIdOf(epoch, row.seq),
    ts: row.ts,
    from: row.from,
    text: row.text,
    clientId: row.clientId,
  };
  if (row.kind !== undefined) {
    record.kind = row.kind;
    record.target = messageIdOf(epoch, row.target!);
    if (row.emoji !== undefined) record.emoji = row.emoji;
    if (row.mentions) record.mentions = [...row.mentions];
    return record;
  }
  if (row.bot) record.bot = true;
  if (row.editedTs !== undefined) record.editedTs = row.editedTs;
  if (row.revision !== undefined) record.revision = row.revision;
  if (row.deleted) {
    record.deleted = true;
    return record;
  }
  if (row.mentions) record.mentions = [...row.mentions];
  if (row.attachments) record.attachments = row.attachments.map((file) => ({ ...file }));
  if (row.replyTo !== undefined && parts.reply) record.reply = replyPreview(epoch, parts.reply);
  if (parts.reactions?.length) record.reactions = reactionList(parts.reactions, parts.viewer);
  return record;
}
