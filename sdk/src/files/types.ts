/**
 * The parts of sending a file (§17): what a room lends the upload code, and
 * the one platform-specific step, an HTTP PUT with progress.
 *
 * @module
 */

import type { UploadSlotFrame } from '@kuykan/protocol';
import type { Ack, FileAck, FileData, SendFileOptions, SendOptions, UploadProgress } from '../types.js';

/** A room as the upload code uses it. @internal */
export interface FileRoom {
  readonly name: string;
  /** The server's HTTP URL, against which the slot's URL is resolved. */
  readonly url: string;
  /** Asks the server for an upload slot [ATT-1]. */
  upload(request: { name: string; size: number; mediaType: string }): Promise<UploadSlotFrame>;
  send(text: string, options: SendOptions): Promise<Ack>;
}

/** What a platform entry loads to send files. @internal */
export interface FileSender {
  sendFile(room: FileRoom, data: FileData, options: SendFileOptions): Promise<FileAck>;
}

/** One PUT of a file's bytes. @internal */
export interface PutRequest {
  url: string;
  token: string;
  body: FileData;
  size: number;
  type: string;
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
}

/** The HTTP answer to a PUT: its status and body text. @internal */
export interface PutAnswer {
  status: number;
  body: string;
}

/** The platform's HTTP PUT (Node's http/https, the browser's XMLHttpRequest). @internal */
export type Put = (request: PutRequest) => Promise<PutAnswer>;
