/**
 * `/upload PATH`: a file from disk streamed to the room (the SDK's
 * `sendFile`), one at a time, its progress for the status bar and Esc to
 * cancel it.
 *
 * @module
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, resolve } from 'node:path';
import type { Room } from '@kuykan/sdk';
import type { RoomModel } from '@kuykan/sdk/model';
import { formatBytes } from './message-lines.js';

/** The SDK's FileAck (its index does not export the type yet). */
type FileAck = Awaited<ReturnType<Room['sendFile']>>;

export interface UploadState {
  name: string;
  sent: number;
  total: number;
}

export class Uploads {
  #current: (UploadState & { abort: AbortController }) | undefined;

  constructor(private readonly onProgress: () => void) {}

  /** The upload under way, if any. */
  get current(): UploadState | undefined {
    return this.#current;
  }

  /** One line for the status bar: `uploading cat.png 45% (1.2 of 2.6 MB) · Esc cancels`. */
  describe(): string | undefined {
    const up = this.#current;
    if (!up) return undefined;
    const percent = up.total > 0 ? Math.floor((up.sent / up.total) * 100) : 100;
    return `uploading ${up.name} ${percent}% (${formatBytes(up.sent)} of ${formatBytes(up.total)}) · Esc cancels`;
  }

  /**
   * Streams the file at `path` (`~/` is the home directory) to `room` and
   * sends it as a message. Rejects with the file system's error (ENOENT…),
   * the server's refusal (a ProtocolError) or ClientError `ABORTED`.
   */
  async send(model: RoomModel, path: string): Promise<FileAck> {
    // The model's room is the SDK's Room (typed by what the model needs, which is not sendFile).
    const room = model.room as unknown as Room;
    if (this.#current) throw new Error(`${this.#current.name} is still uploading; Esc cancels it`);
    const file = resolve(path.startsWith('~/') ? `${homedir()}/${path.slice(2)}` : path);
    const info = await stat(file);
    if (!info.isFile()) throw new Error(`${path} is not a file`);
    const abort = new AbortController();
    const state = { name: basename(file), sent: 0, total: info.size, abort };
    this.#current = state;
    this.onProgress();
    try {
      return await room.sendFile(createReadStream(file), {
        name: state.name,
        size: info.size,
        signal: abort.signal,
        onProgress: ({ sent }) => {
          state.sent = sent;
          this.onProgress();
        },
      });
    } finally {
      this.#current = undefined;
      this.onProgress();
    }
  }

  /** Cancels the upload under way; returns whether there was one. */
  cancel(): boolean {
    this.#current?.abort.abort();
    return this.#current !== undefined;
  }
}
