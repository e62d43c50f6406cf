/**
 * The seam where the file pipeline (PROTOCOL.md §17) plugs into the server.
 * Without a {@link FileService} the server advertises no `files`
 * capability and answers `upload`, and a `send` that attaches files, with
 * `UNAVAILABLE` (handlers/files.ts); with one, `upload` is handed to it.
 *
 * The interface is the part of the file module's facade (main's
 * `server/src/files/service.ts`) the WebSocket side needs, so that class
 * fits it as it is. Still to do when it is plugged in: `send` claims the
 * files once its clientId is known to be new (`attach`, ref = the message),
 * the message row keeps the records (column `attachments` of store version
 * 2), a delete releases them [ATT-8] and erases the column [DEL-2], records
 * get signed URLs as frames are built [ATT-5, ATT-7], and a version 1
 * session gets a `📎 <name>` line per file instead [VER-4].
 *
 * @module
 */

/** The user asking (the server's User fits). */
export interface FileUser {
  readonly key: string;
  readonly name: string;
}

/** A file as a message holds it (without its signed URLs). */
export interface FileRecord {
  fileId: string;
  name: string;
  size: number;
  /** Media type sniffed from the bytes. */
  type: string;
  width?: number;
  height?: number;
  /** Whether a thumbnail exists. */
  thumb: boolean;
}

export interface FileService {
  /** Answers an `upload`: where and with which token to PUT the bytes, or a refusal [ATT-1]. */
  requestSlot(
    user: FileUser,
    request: { room: string; name: string; size: number; type: string },
  ): Promise<{ url: string; token: string; expires: number }>;
  /**
   * Claims uploaded files for the message `ref` of `room`: their records,
   * or FILE_INVALID for a file that is unknown, not the user's, of another
   * room or held by another message [ATT-7].
   */
  attach(user: FileUser, room: string, fileIds: readonly string[], ref: string): Promise<FileRecord[]>;
  /** The message `ref` was deleted: its files are released [ATT-8]. */
  release(ref: string): Promise<number>;
  /** Signed, expiring download URLs of a file [ATT-5]. */
  urlsFor(file: Pick<FileRecord, 'fileId' | 'thumb'>): { url: string; thumbUrl?: string };
}
