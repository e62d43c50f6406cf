/**
 * v2: `upload` and the files of a `send` (PROTOCOL.md §17), handed to the
 * file service (files/service.ts). Without one the server advertises no
 * `files` capability and refuses both with UNAVAILABLE.
 *
 * @module
 */

import { type Attachment, ErrorCode, ProtocolError, type UploadFrame } from '@kuykan/protocol';
import { filesRef, storedAttachment } from '../attachments.js';
import type { FileService } from '../files/index.js';
import type { Room } from '../rooms.js';
import type { Session } from '../session.js';
import { joinedRoom } from './rooms.js';

/** Answers `upload` with a slot for the bytes [ATT-1]. */
export async function handleUpload(session: Session, frame: UploadFrame): Promise<void> {
  const room = joinedRoom(session, frame.room);
  const files = serviceOf(session);
  const { name, size, mediaType } = frame;
  const slot = await files.requestSlot(uploader(session), { room: room.name, name, size, type: mediaType });
  session.send({ type: 'uploadSlot', id: frame.id, ...slot });
}

/**
 * The files a `send` attaches, checked before the rate limit (§5.4): none
 * without a file service, at most `maxAttachments` [ATT-7].
 */
export function checkFiles(session: Session, files: readonly string[]): void {
  if (files.length === 0) return;
  serviceOf(session);
  const max = session.hub.limits.maxAttachments ?? 0;
  if (files.length > max) throw new ProtocolError(ErrorCode.FILE_INVALID, `at most ${max} files per message`);
}

/** What a `send` holds once its files are claimed, and how to give them back if nothing is committed. */
export interface ClaimedFiles {
  attachments: Attachment[];
  release(): Promise<void>;
}

/**
 * Claims a `send`'s files for the message its clientId names, before the
 * message is committed: a file that is unknown, not the user's, of another
 * room or held by another message is refused with FILE_INVALID and nothing
 * is committed [ATT-7]. Claiming again under the same clientId (a retried
 * send) returns the same records.
 */
export async function claimFiles(
  session: Session,
  room: Room,
  clientId: string,
  fileIds: readonly string[],
): Promise<ClaimedFiles | undefined> {
  if (fileIds.length === 0) return undefined;
  const files = serviceOf(session);
  const ref = filesRef(room.name, session.user!.key, clientId);
  const records = await files.attach(uploader(session), room.name, fileIds, ref);
  return {
    attachments: records.map(storedAttachment),
    release: async () => {
      await files.release(ref);
    },
  };
}

/** A committed delete released the message's files: collected after the grace [ATT-8]. */
export async function releaseFiles(session: Session, room: Room, clientId: string): Promise<void> {
  const files = session.hub.files;
  if (!files) return;
  try {
    await files.release(filesRef(room.name, session.user!.key, clientId));
  } catch (error) {
    // The message is deleted either way; an unreleased file only lives on until a later collection finds it.
    session.hub.log.warn({ err: error, room: room.name }, 'releasing the files of a deleted message failed');
  }
}

function serviceOf(session: Session): FileService {
  const { files } = session.hub;
  if (!files) throw new ProtocolError(ErrorCode.UNAVAILABLE, 'this server stores no files');
  return files;
}

/** Files belong to the user's identity, not to whoever holds the name next [LOGIN-10]. */
function uploader(session: Session): { key: string; name: string } {
  const user = session.user!;
  return { key: user.identity, name: user.name };
}
