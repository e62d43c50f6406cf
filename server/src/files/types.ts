/**
 * The public shapes of the file module: what the WebSocket handlers pass in
 * and get back (PROTOCOL.md §17 Attachments).
 *
 * @module
 */

/** The user asking: the server's User (its identity key and display name). */
export interface FileUser {
  /** Identity: the name key, or `sub:<subject>` with token auth. */
  readonly key: string;
  readonly name: string;
}

/** The fields of an `upload` frame. */
export interface UploadRequest {
  room: string;
  /** File name as the client gave it; sanitised before use. */
  name: string;
  /** Exact size in bytes. */
  size: number;
  /** The client's idea of the type: informational, the server sniffs the bytes. */
  type: string;
}

/** The fields of an `uploadSlot` frame. */
export interface UploadSlot {
  /** Path of the PUT, resolved against the WebSocket's origin (ws→http, wss→https). */
  url: string;
  /** Bearer token for the PUT. */
  token: string;
  /** When the token expires, ms since the epoch. */
  expires: number;
}

/** A file as messages carry it, and as the PUT answers it (201 JSON). */
export interface Attachment {
  fileId: string;
  /** Sanitised display name. */
  name: string;
  /** Bytes served (after EXIF stripping for images). */
  size: number;
  /** Sniffed media type. */
  mediaType: string;
  width?: number;
  height?: number;
  /** Whether `/files/<fileId>/thumb` exists. */
  thumb: boolean;
}

/** Signed, expiring download URLs of an attachment (paths, resolved like the upload URL). */
export interface AttachmentUrls {
  url: string;
  thumbUrl?: string;
}

/**
 * Names the message holding attachments; opaque to the file module, compared
 * as a string. Build it with {@link messageRef}.
 */
export type FileRef = string;

/** The ref of message `seq` in `room` (any id unique in the room will do, e.g. `userKey:clientId`). */
export function messageRef(room: string, seq: number | string): FileRef {
  // seq holds no NUL and comes first, so the pair is unambiguous for any room name.
  return `${seq}\u0000${room}`;
}

/** What one collector pass removed. */
export interface CollectReport {
  /** File records deleted (never attached, or released, past their grace). */
  files: number;
  /** Blobs deleted from the store (no file pointed at them). */
  blobs: number;
  /** Expired slot records deleted. */
  slots: number;
}
