/**
 * Files on their way to a room: each is uploaded with the SDK's `sendFile`
 * (which PUTs the bytes with progress, then sends a message carrying the
 * file), can be cancelled while it goes, and stays listed with the reason
 * when the server refuses it (too large, quota, invalid), until dismissed.
 *
 * @module
 */
import { ErrorCode, ProtocolError, type Room } from '@kuykan/sdk';

/** One file being sent, or refused. */
export interface UploadEntry {
  id: number;
  name: string;
  sent: number;
  total: number;
  /** Why it was not sent, in the UI language (set once failed). */
  error?: string;
}

let counter = 0;

export class Uploads {
  /** Uploads under way and failed ones not yet dismissed; a new array on every change. */
  entries: readonly UploadEntry[] = [];
  private readonly aborts = new Map<number, AbortController>();

  /** @param changed called after every change (progress included), to re-render. */
  constructor(private readonly changed: () => void) {}

  /**
   * Sends `file` to `room`; resolves when it is sent or has failed (the
   * failure stays listed, worded by `explain`).
   */
  async send(room: Room, file: File, explain: (error: unknown) => string, maxBytes?: number): Promise<void> {
    const entry: UploadEntry = { id: ++counter, name: file.name, sent: 0, total: file.size };
    // The server would refuse it (UPLOAD_INVALID): say why without asking it.
    if (maxBytes !== undefined && file.size > maxBytes) {
      this.set({ ...entry, error: explain(new ProtocolError(ErrorCode.TOO_LARGE, 'file too large')) });
      return;
    }
    const abort = new AbortController();
    this.aborts.set(entry.id, abort);
    this.set(entry);
    try {
      await room.sendFile(file, {
        name: file.name,
        signal: abort.signal,
        onProgress: ({ sent, total }) => this.set({ ...entry, sent, total }),
      });
      this.remove(entry.id);
    } catch (error) {
      // A cancel needs no explanation: the user asked for it.
      if (abort.signal.aborted) this.remove(entry.id);
      else this.set({ ...entry, error: explain(error) });
    } finally {
      this.aborts.delete(entry.id);
    }
  }

  /** Cancels an upload under way, or dismisses a failed one. */
  cancel(id: number): void {
    const abort = this.aborts.get(id);
    if (abort) abort.abort();
    else this.remove(id);
  }

  private set(entry: UploadEntry): void {
    const index = this.entries.findIndex((e) => e.id === entry.id);
    this.entries = index < 0 ? [...this.entries, entry] : this.entries.map((e, n) => (n === index ? entry : e));
    this.changed();
  }

  private remove(id: number): void {
    this.entries = this.entries.filter((e) => e.id !== id);
    this.changed();
  }
}
