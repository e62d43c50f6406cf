/**
 * The parts of sending a file (§17): what a room lends the upload code, and
 * the one platform-specific step, an HTTP PUT with progress.
 *
 * @module
 */

import type { UploadSlotFrame } from '@kuykan/protocol';
import type { Ack, FileData, SendOptions, UploadProgress } from '../types.js';

/** A room as the upload code uses it. @internal */
export interface FileRoom {
  readonly name: string;
  /** The server's HTTP URL, against which the slot's URL is resolved. */
  readonly url: string;
  /** Asks the server for an upload slot [ATT-1]. */
  upload(request: { name: string; size: number; mediaType: string }): Promise<UploadSlotFrame>;
  send(text: string, options: SendOptions): Promise<Ack>;
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

/**
 * The platform's HTTP PUT (Node's http/https, the browser's XMLHttpRequest):
 * resolves with the answer, whatever its status; rejects when no answer
 * came (the network, or the signal), with whatever the platform gives. @internal
 */
export type Put = (request: PutRequest) => Promise<PutAnswer>;
