/**
 * The model's truth of a room's log (PROTOCOL.md §16): entries committed in
 * seq order, each message's folded state, who reacts with what, read
 * markers; what each kind of session must be served; and the comparison of
 * a folded record a session holds with the truth.
 *
 * A session folds with `applyEntry` from @kuykan/protocol, as every client
 * does; the truth folds the same way and keeps, beside it, the reacting
 * users in order, so `me`, counts and names are exact whatever the viewer.
 *
 * @module
 */

import { applyEntry, type ChatMessage, EntryKind, previewText, REACTION_NAMES } from '@kuykan/protocol';
import { expect } from '../failure.js';

/** One room of the model. */
export interface ModelRoom {
  readonly name: string;
  epoch?: string;
  /** log[seq - 1] is the entry (message or change) with that seq, as committed. */
  readonly log: ChatMessage[];
  /** clientIds used per user key: `key:clientId` → the ack. */
  readonly sent: Map<string, ChatMessage>;
  /** Users who disconnected while joined: they may still be members during the grace. */
  readonly maybe: Set<string>;
  /** Each message's folded state now, by messageId (no `me`: that depends on the viewer). */
  readonly truth: Map<string, ChatMessage>;
  /** Users reacting now, in reaction order, by `messageId\nemoji`. */
  readonly reacting: Map<string, string[]>;
  /** A direct room's two members (names). */
  readonly direct?: readonly [string, string];
}

export function newRoom(name: string, direct?: readonly [string, string]): ModelRoom {
  return { name, log: [], sent: new Map(), maybe: new Set(), truth: new Map(), reacting: new Map(), direct };
}

const clone = (m: ChatMessage): ChatMessage => structuredClone(m);

/**
 * Applies an entry to a set of records as a client does: `applyEntry` on
 * its target, and the previews of replies to it follow its edits and
 * deletion [REPLY-3]. A message entry becomes a record.
 */
export function fold(records: Map<string, ChatMessage>, entry: ChatMessage, me?: string): void {
  if (entry.kind === undefined) {
    const record = clone(entry) as ChatMessage & { type?: string; room?: string };
    delete record.type;
    delete record.room;
    records.set(entry.messageId, record);
    return;
  }
  const target = entry.target === undefined ? undefined : records.get(entry.target);
  if (!target || !applyEntry(target, entry, me)) return;
  if (entry.kind !== EntryKind.EDIT && entry.kind !== EntryKind.DELETE) return;
  for (const record of records.values()) {
    const reply = record.reply;
    if (!reply || reply.messageId !== entry.target) continue;
    record.reply =
      entry.kind === EntryKind.DELETE
        ? { messageId: reply.messageId, from: reply.from, text: '', deleted: true }
        : { messageId: reply.messageId, from: reply.from, text: previewText(target.text) };
  }
}

/** Commits an acknowledged entry to the truth. */
export function commit(room: ModelRoom, entry: ChatMessage): void {
  room.log.push(entry);
  fold(room.truth, entry);
  if (entry.kind !== EntryKind.REACT && entry.kind !== EntryKind.UNREACT) return;
  const key = `${entry.target}\n${entry.emoji}`;
  const list = (room.reacting.get(key) ?? []).filter((n) => n !== entry.from);
  if (entry.kind === EntryKind.REACT) list.push(entry.from);
  room.reacting.set(key, list);
}

/** Whether `name` reacts to `messageId` with `emoji` now (from any of its sessions). */
export function reacts(room: ModelRoom, messageId: string, emoji: string, name: string): boolean {
  return room.reacting.get(`${messageId}\n${emoji}`)?.includes(name) ?? false;
}

/**
 * A message's record as the server must serve it to `viewer` now [FOLD-1,
 * FOLD-3], except that `names` lists every user reacting, in order (the
 * server serves the first `REACTION_NAMES`).
 */
export function served(room: ModelRoom, messageId: string, viewer: string): ChatMessage {
  const record = clone(room.truth.get(messageId)!);
  if (record.reactions) {
    record.reactions = record.reactions.map((r) => {
      const who = room.reacting.get(`${messageId}\n${r.emoji}`) ?? [];
      const out = { emoji: r.emoji, count: who.length, names: [...who] };
      return who.includes(viewer) ? { ...out, me: true } : out;
    });
  }
  return record;
}

/** The messages (not change entries) of the room's first `at` entries. */
export function messagesUpTo(room: ModelRoom, at: number): ChatMessage[] {
  return room.log.slice(0, at).filter((e) => e.kind === undefined);
}

/** What a version 1 session is served of a message: none when deleted, else its current text [VER-4]. */
export function servedV1(room: ModelRoom, messageId: string): string | undefined {
  const record = room.truth.get(messageId)!;
  return record.deleted ? undefined : `${record.seq}:${record.text}`;
}

const str = (v: unknown) => JSON.stringify(v ?? null);

/**
 * Compares a record a session holds (or was served) with the truth for
 * `viewer`. Folded by a client, names are a sample [FOLD-3]: then they only
 * have to be users still reacting; served by the server they are exact.
 */
export function expectRecord(
  requirement: string,
  where: string,
  got: ChatMessage,
  want: ChatMessage,
  served: boolean,
): void {
  const show = `${where}: message seq ${want.seq}`;
  expect(
    requirement,
    got.messageId === want.messageId && got.seq === want.seq,
    `${show} is ${got.messageId}@${got.seq}`,
  );
  expect(
    want.deleted ? 'DEL-2' : 'FOLD-1',
    got.text === want.text,
    `${show} has text ${str(got.text)}, expected ${str(want.text)}`,
  );
  expect('FOLD-1', (got.deleted === true) === (want.deleted === true), `${show} deleted=${str(got.deleted)}`);
  expect(
    'FOLD-1',
    got.editedTs === want.editedTs,
    `${show} editedTs ${str(got.editedTs)}, expected ${str(want.editedTs)}`,
  );
  expect(
    'FOLD-2',
    got.revision === want.revision,
    `${show} revision ${str(got.revision)}, expected ${str(want.revision)}`,
  );
  expect(
    'FOLD-1',
    str(got.mentions?.length ? got.mentions : undefined) === str(want.mentions),
    `${show} mentions ${str(got.mentions)}, expected ${str(want.mentions)}`,
  );
  expect('REPLY-3', str(got.reply) === str(want.reply), `${show} reply ${str(got.reply)}, expected ${str(want.reply)}`);
  const shape = (list: ChatMessage['reactions']) => str((list ?? []).map((r) => [r.emoji, r.count, r.me === true]));
  expect(
    'FOLD-3',
    shape(got.reactions) === shape(want.reactions),
    `${show} reactions ${shape(got.reactions)}, expected ${shape(want.reactions)}`,
  );
  for (const [i, r] of (got.reactions ?? []).entries()) {
    const all = want.reactions?.[i]?.names ?? [];
    const ok = served
      ? str(r.names) === str(all.slice(0, REACTION_NAMES))
      : r.names.length <= REACTION_NAMES && r.names.every((n) => all.includes(n));
    expect('FOLD-3', ok, `${show} lists names ${str(r.names)} for ${r.emoji}; reacting now: ${str(all)}`);
  }
}
