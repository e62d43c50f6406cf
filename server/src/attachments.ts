/**
 * Attachments as messages hold them (PROTOCOL.md §17), between the file
 * module (files/) and the room logs: the records a `send` stores, the
 * signed URLs records get as they leave the broker, and what a version 1
 * session sees instead [VER-4].
 *
 * A store keeps each file with unsigned URL paths (`/files/<id>`), so
 * nothing stored expires; {@link signAttachments} signs them whenever a
 * record is read or committed, so every frame carries URLs that work for
 * the next hours [ATT-5].
 *
 * @module
 */

import type { Attachment, ChatMessage } from '@kuykan/protocol';
import type { Attachment as FileRecord, FileRef, FileService } from './files/index.js';
import { messageRef } from './files/index.js';

/** The ref under which a message's files are claimed: known before the message has a seq. */
export function filesRef(room: string, userKey: string, clientId: string): FileRef {
  return messageRef(room, `${userKey}\u0000${clientId}`);
}

/** The attachment a message stores for a claimed file: unsigned paths, signed on the way out. */
export function storedAttachment(file: FileRecord): Attachment {
  return {
    fileId: file.fileId,
    name: file.name,
    size: file.size,
    mediaType: file.mediaType,
    ...(file.width === undefined ? {} : { width: file.width }),
    ...(file.height === undefined ? {} : { height: file.height }),
    url: `/files/${file.fileId}`,
    ...(file.thumb ? { thumbUrl: `/files/${file.fileId}/thumb` } : {}),
  };
}

/** A record with its attachments' URLs signed by the file service; records without files pass unchanged. */
export function signAttachments(files: Pick<FileService, 'urlsFor'>): (record: ChatMessage) => ChatMessage {
  return (record) => {
    if (!record.attachments) return record;
    return {
      ...record,
      attachments: record.attachments.map((file) => ({
        ...file,
        ...files.urlsFor({ fileId: file.fileId, thumb: file.thumbUrl !== undefined }),
      })),
    };
  };
}

/**
 * A message as a version 1 session gets it: one more line of text per file,
 * `📎 ` and its name, since version 1 has no attachments [VER-4].
 */
export function withFileLines(message: ChatMessage): ChatMessage {
  if (!message.attachments?.length) return message;
  const lines = message.attachments.map((file) => `📎 ${file.name}`).join('\n');
  return { ...message, text: message.text === '' ? lines : `${message.text}\n${lines}` };
}
