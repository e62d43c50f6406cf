/**
 * The seam where the file pipeline (PROTOCOL.md §17) plugs into the server.
 * Without a {@link FileService} the server advertises no `files`
 * capability and answers `upload`, and a `send` that attaches files, with
 * `UNAVAILABLE` (handlers/files.ts); with one, the hub hands it those
 * requests.
 *
 * Still to do when a service is plugged in: the stores keep no attachments
 * yet (a message row would hold its file references, erased by a delete
 * [DEL-2]), and records would get their signed URLs when sent [ATT-5, ATT-7].
 *
 * @module
 */

import type { Attachment, UploadFrame, UploadSlotFrame } from '@kuykan/protocol';
import type { User } from './users.js';

export interface FileService {
  /** Answers an `upload` of a user in a room its session joined: a slot, or a `ProtocolError` [ATT-1]. */
  upload(user: User, room: string, frame: UploadFrame): Promise<Omit<UploadSlotFrame, 'type' | 'id'>>;
  /**
   * Claims uploaded files for a message of `user` in `room` about to be
   * committed: their records, or `FILE_INVALID` for a file that is unknown,
   * not the user's, of another room or attached already [ATT-7].
   */
  attach(user: User, room: string, fileIds: readonly string[]): Promise<Attachment[]>;
  /** A deleted message released its files [ATT-8]. */
  release(room: string, fileIds: readonly string[]): void;
}
