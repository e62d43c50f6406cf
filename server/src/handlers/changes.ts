/**
 * v2: `edit`, `delete` and `react` (PROTOCOL.md §16.4–§16.6). Each is
 * checked in the order of §5.4 up to the rate limit here; the store checks
 * the target (MESSAGE_NOT_FOUND, NOT_AUTHOR, MESSAGE_DELETED, EDIT_EXPIRED,
 * TOO_MANY_REACTIONS) atomically with the commit, once the clientId is
 * known to be new [LOG-3]. Edits send no `mention` events [EDIT-3].
 *
 * @module
 */

import {
  type DeleteFrame,
  type EditFrame,
  EntryKind,
  ProtocolError,
  type ReactFrame,
  validateClientId,
  validateReaction,
  validateText,
} from '@kuykan/protocol';
import type { Session } from '../session.js';
import { commitEntry } from './commit.js';
import { releaseFiles } from './files.js';
import { checkMentions } from './messages.js';
import { joinedRoom } from './rooms.js';

export async function handleEdit(session: Session, frame: EditFrame): Promise<void> {
  const room = joinedRoom(session, frame.room);
  for (const checked of [
    validateClientId(frame.clientId),
    validateText(frame.text, session.hub.limits.maxTextLength),
  ]) {
    if (!checked.ok) throw new ProtocolError(checked.code, checked.reason);
  }
  const mentions = checkMentions(session, frame.mentions ?? []);
  await commitEntry(session, room, frame.id, {
    clientId: frame.clientId,
    text: frame.text,
    change: { kind: EntryKind.EDIT, target: frame.target },
    ...(mentions.length ? { mentions } : {}),
  });
}

export async function handleDelete(session: Session, frame: DeleteFrame): Promise<void> {
  const room = joinedRoom(session, frame.room);
  const checked = validateClientId(frame.clientId);
  if (!checked.ok) throw new ProtocolError(checked.code, checked.reason);
  const { deletedClientId } = await commitEntry(session, room, frame.id, {
    clientId: frame.clientId,
    text: '',
    change: { kind: EntryKind.DELETE, target: frame.target },
  });
  // The message's file references are gone with it: its files are collected after the grace [ATT-8].
  if (deletedClientId !== undefined) await releaseFiles(session, room, deletedClientId);
}

export async function handleReact(session: Session, frame: ReactFrame): Promise<void> {
  const room = joinedRoom(session, frame.room);
  for (const checked of [validateClientId(frame.clientId), validateReaction(frame.emoji)]) {
    if (!checked.ok) throw new ProtocolError(checked.code, checked.reason);
  }
  await commitEntry(session, room, frame.id, {
    clientId: frame.clientId,
    text: '',
    change: { kind: frame.on ? EntryKind.REACT : EntryKind.UNREACT, target: frame.target, emoji: frame.emoji },
  });
}
