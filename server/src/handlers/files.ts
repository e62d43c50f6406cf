/**
 * v2: `upload` and the files of a `send` (PROTOCOL.md §17): handed to the
 * file service when one is plugged in (attachments.ts); without one,
 * refused with UNAVAILABLE where the file checks would run (§5.4), and the
 * server advertises no `files` capability.
 *
 * @module
 */

import { ErrorCode, ProtocolError, type UploadFrame } from '@kuykan/protocol';
import type { Session } from '../session.js';
import { joinedRoom } from './rooms.js';

export async function handleUpload(session: Session, frame: UploadFrame): Promise<void> {
  const room = joinedRoom(session, frame.room);
  const { files } = session.hub;
  if (!files) throw new ProtocolError(ErrorCode.UNAVAILABLE, 'this server stores no files yet');
  const { name, size, mediaType } = frame;
  const slot = await files.requestSlot(session.user!, { room: room.name, name, size, type: mediaType });
  session.send({ type: 'uploadSlot', id: frame.id, ...slot });
}

/**
 * The files a `send` attaches, checked before the rate limit (§5.4): none
 * may be attached without a file service; at most `maxAttachments` [ATT-7].
 */
export function checkFiles(session: Session, files: readonly string[]): void {
  if (files.length === 0) return;
  const { hub } = session;
  if (!hub.files) throw new ProtocolError(ErrorCode.UNAVAILABLE, 'this server stores no files yet');
  const max = hub.limits.maxAttachments ?? 0;
  if (files.length > max) throw new ProtocolError(ErrorCode.FILE_INVALID, `at most ${max} files per message`);
  // TODO(files): claim the files (FileService.attach) once the clientId is known to be new, and keep
  // their records with the message (attachments.ts lists what remains).
  throw new ProtocolError(ErrorCode.UNAVAILABLE, 'attachments are not kept by this store yet');
}
