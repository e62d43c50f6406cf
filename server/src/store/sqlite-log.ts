/**
 * The SQL of the SQLite store's room logs (schema in sqlite-schema.ts):
 * reading and writing entry rows, folding a change into its message, and
 * the reads that build folded records. Synchronous and transaction-free:
 * the store runs the writes inside its group commit.
 *
 * @module
 */

import { type Attachment, type ChatMessage, EntryKind } from '@kuykan/protocol';
import type Database from 'better-sqlite3';
import { nameSkeleton } from '../skeleton.js';
import { type StoredEntry, type StoredReaction, toRecord } from './fold.js';
import type { RangeQuery, RangeRecords, UnreadQuery } from './types.js';

interface Row {
  room: string;
  seq: number;
  ts: number;
  sender: string;
  sender_key: string;
  client_id: string;
  text: string;
  kind: string | null;
  target: number | null;
  emoji: string | null;
  identity: string;
  bot: number;
  mentions: string | null;
  reply_to: number | null;
  attachments: string | null;
  edited_ts: number | null;
  deleted: number;
  revision: number | null;
}

const FILTER: Record<RangeRecords, string> = {
  entries: '',
  messages: 'AND kind IS NULL',
  visible: 'AND kind IS NULL AND deleted = 0',
};

function toEntry(row: Row): StoredEntry {
  return {
    seq: row.seq,
    ts: row.ts,
    from: row.sender,
    clientId: row.client_id,
    text: row.text,
    identity: row.identity,
    bot: row.bot === 1,
    kind: (row.kind ?? undefined) as EntryKind | undefined,
    target: row.target ?? undefined,
    emoji: row.emoji ?? undefined,
    mentions: row.mentions === null ? undefined : (JSON.parse(row.mentions) as string[]),
    replyTo: row.reply_to ?? undefined,
    attachments: row.attachments === null ? undefined : (JSON.parse(row.attachments) as Attachment[]),
    editedTs: row.edited_ts ?? undefined,
    deleted: row.deleted === 1,
    revision: row.revision ?? undefined,
  };
}

function mentionsJson(mentions: string[] | undefined): string | null {
  return mentions?.length ? JSON.stringify(mentions) : null;
}

/** Prepared statements over one database; every method is one or a few statements. */
export class SqliteLog {
  private readonly sql;

  constructor(db: Database.Database) {
    const range = (records: RangeRecords) => {
      const where = `room = ? AND seq > ? AND seq < ? ${FILTER[records]}`;
      return {
        oldest: db.prepare<[string, number, number, number], Row>(
          `SELECT * FROM messages WHERE ${where} ORDER BY seq ASC LIMIT ?`,
        ),
        newest: db.prepare<[string, number, number, number], Row>(
          `SELECT * FROM (SELECT * FROM messages WHERE ${where} ORDER BY seq DESC LIMIT ?) ORDER BY seq ASC`,
        ),
      };
    };
    this.sql = {
      row: db.prepare<[string, number], Row>('SELECT * FROM messages WHERE room = ? AND seq = ?'),
      byClient: db.prepare<[string, string, string], Row>(
        'SELECT * FROM messages WHERE room = ? AND sender_key = ? AND client_id = ?',
      ),
      insert: db.prepare(
        `INSERT INTO messages (room, seq, ts, sender, sender_key, client_id, text, kind, target, emoji, identity, bot, mentions, reply_to, attachments)
         VALUES (@room, @seq, @ts, @sender, @sender_key, @client_id, @text, @kind, @target, @emoji, @identity, @bot, @mentions, @reply_to, @attachments)`,
      ),
      edit: db.prepare(
        'UPDATE messages SET text = ?, mentions = ?, edited_ts = ?, revision = ? WHERE room = ? AND seq = ?',
      ),
      revise: db.prepare('UPDATE messages SET revision = ? WHERE room = ? AND seq = ?'),
      // DEL-2: the text and mentions are overwritten in the row, not flagged; secure_delete zeroes the old bytes.
      erase: db.prepare(
        "UPDATE messages SET text = '', mentions = NULL, attachments = NULL, deleted = 1, revision = ? WHERE room = ? AND seq = ?",
      ),
      eraseEdits: db.prepare(
        "UPDATE messages SET text = '', mentions = NULL WHERE room = ? AND target = ? AND kind = 'edit'",
      ),
      dropReactions: db.prepare('DELETE FROM reactions WHERE room = ? AND target = ?'),
      reactions: db.prepare<[string, number], StoredReaction>(
        'SELECT emoji, identity, name, seq, appeared FROM reactions WHERE room = ? AND target = ?',
      ),
      appeared: db.prepare<[string, number, string], { appeared: number }>(
        'SELECT appeared FROM reactions WHERE room = ? AND target = ? AND emoji = ? LIMIT 1',
      ),
      react: db.prepare(
        'INSERT INTO reactions (room, target, emoji, identity, name, seq, appeared) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      unreact: db.prepare('DELETE FROM reactions WHERE room = ? AND target = ? AND emoji = ? AND identity = ?'),
      mention: db.prepare('INSERT OR IGNORE INTO mentions (room, key, seq) VALUES (?, ?, ?)'),
      unmention: db.prepare('DELETE FROM mentions WHERE room = ? AND seq = ?'),
      ranges: { entries: range('entries'), messages: range('messages'), visible: range('visible') },
      unread: db.prepare<[string, number, number, string], { n: number }>(
        'SELECT count(*) AS n FROM messages WHERE room = ? AND seq > ? AND seq <= ? AND kind IS NULL AND deleted = 0 AND identity <> ?',
      ),
      mentioned: db.prepare<[string, string, number, number, string], { n: number }>(
        `SELECT count(*) AS n FROM mentions m JOIN messages e ON e.room = m.room AND e.seq = m.seq
         WHERE m.room = ? AND m.key = ? AND m.seq > ? AND m.seq <= ? AND e.identity <> ?`,
      ),
    };
  }

  /** The entry at a seq. */
  row(room: string, seq: number): StoredEntry | undefined {
    const row = this.sql.row.get(room, seq);
    return row && toEntry(row);
  }

  /** The entry a user made with a clientId in the room, if any [MSG-5, LOG-3]. */
  byClient(room: string, userKey: string, clientId: string): StoredEntry | undefined {
    const row = this.sql.byClient.get(room, userKey, clientId);
    return row && toEntry(row);
  }

  /** The current reactions on a message. */
  reactions(room: string, target: number): StoredReaction[] {
    return this.sql.reactions.all(room, target);
  }

  /** Writes a new entry; a message's mentions are indexed for unread counts. */
  insert(room: string, userKey: string, entry: StoredEntry): void {
    this.sql.insert.run({
      room,
      seq: entry.seq,
      ts: entry.ts,
      sender: entry.from,
      sender_key: userKey,
      client_id: entry.clientId,
      text: entry.text,
      kind: entry.kind ?? null,
      target: entry.target ?? null,
      emoji: entry.emoji ?? null,
      identity: entry.identity,
      bot: entry.bot ? 1 : 0,
      mentions: mentionsJson(entry.mentions),
      reply_to: entry.replyTo ?? null,
      attachments: entry.attachments?.length ? JSON.stringify(entry.attachments) : null,
    });
    if (entry.kind === undefined) this.indexMentions(room, entry.seq, entry.mentions);
  }

  private indexMentions(room: string, seq: number, mentions: string[] | undefined): void {
    this.sql.unmention.run(room, seq);
    for (const name of mentions ?? []) this.sql.mention.run(room, nameSkeleton(name), seq);
  }

  /** Folds a committed change entry into its message [FOLD-1]; a delete erases what it removes [DEL-2]. */
  apply(room: string, message: StoredEntry, entry: StoredEntry): void {
    switch (entry.kind) {
      case EntryKind.EDIT:
        this.sql.edit.run(entry.text, mentionsJson(entry.mentions), entry.ts, entry.seq, room, message.seq);
        this.indexMentions(room, message.seq, entry.mentions);
        return;
      case EntryKind.DELETE:
        this.sql.erase.run(entry.seq, room, message.seq);
        this.sql.eraseEdits.run(room, message.seq);
        this.sql.dropReactions.run(room, message.seq);
        this.indexMentions(room, message.seq, undefined);
        return;
      case EntryKind.REACT: {
        const appeared = this.sql.appeared.get(room, message.seq, entry.emoji!)?.appeared ?? entry.seq;
        this.sql.react.run(room, message.seq, entry.emoji, entry.identity, entry.from, entry.seq, appeared);
        this.sql.revise.run(entry.seq, room, message.seq);
        return;
      }
      case EntryKind.UNREACT:
        this.sql.unreact.run(room, message.seq, entry.emoji, entry.identity);
        this.sql.revise.run(entry.seq, room, message.seq);
        return;
    }
  }

  /** A row as clients receive it, folded with its reactions and reply preview for `viewer`. */
  record(room: string, epoch: string, entry: StoredEntry, viewer?: string): ChatMessage {
    const folds = entry.kind === undefined && !entry.deleted;
    return toRecord(epoch, entry, {
      reply: folds && entry.replyTo !== undefined ? this.row(room, entry.replyTo) : undefined,
      // Only a message that some entry changed can have reactions.
      reactions: folds && entry.revision !== undefined ? this.reactions(room, entry.seq) : undefined,
      viewer,
    });
  }

  range(room: string, epoch: string, query: RangeQuery): ChatMessage[] {
    const records = query.records ?? 'entries';
    const statement = this.sql.ranges[records][query.newest ? 'newest' : 'oldest'];
    const rows = statement.all(room, query.afterSeq ?? 0, query.beforeSeq ?? Number.MAX_SAFE_INTEGER, query.limit);
    return rows.map((row) => this.record(room, epoch, toEntry(row), query.viewer));
  }

  unread(room: string, query: UnreadQuery): { unread: number; mentions: number } {
    const args = [room, query.afterSeq, query.upToSeq] as const;
    const unread = this.sql.unread.get(...args, query.identity)?.n ?? 0;
    const mentions = query.direct
      ? unread
      : (this.sql.mentioned.get(room, query.nameKey, query.afterSeq, query.upToSeq, query.identity)?.n ?? 0);
    return { unread, mentions };
  }
}
