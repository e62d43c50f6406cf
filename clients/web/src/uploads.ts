/**
 * Files on their way to a room: each is uploaded with the SDK's `sendFile`
 * (which PUTs the bytes with progress, then sends a message carrying the
 * file), can be cancelled while it goes, and stays listed with the reason
 * when it fails, until dismissed. A failure that may pass (the network, the
 * server away or overloaded, a rate limit) can be retried: the same file is
 * sent again under the same entry; a refusal that would only repeat (too
 * large, invalid, over the quota) cannot.
 *
 * @module
 */
// The SDK's browser build carries its own copy of the protocol classes: match what it throws.
import { ErrorCode, ProtocolError, type Room } from '@kuykan/sdk';

/** One file being sent, or failed. */
export interface UploadEntry {
  id: number;
  name: string;
  sent: number;
  total: number;
  /** Why it was not sent, in the UI language (set once failed). */
  error?: string;
  /**
   * Sends the same file again; only on a failure that may pass. The entry
   * carries its action so the list needs no wiring beyond its own element.
   */
  retry?: () => void;
}

/** What a retry needs to send the file again. */
interface Attempt {
  room: Room;
  file: File;
  explain: (error: unknown) => string;
  /**
   * Whether sending the same file again may succeed (error-text.ts). Passed
   * in rather than imported: a static path from this lazy chunk to the
   * protocol package makes the bundler split the SDK out of the first paint.
   */
  retryable: (error: unknown) => boolean;
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
  async send(room: Room, file: File, words: Omit<Attempt, 'room' | 'file'>, maxBytes?: number): Promise<void> {
    const { explain } = words;
    const entry: UploadEntry = { id: ++counter, name: file.name, sent: 0, total: file.size };
    // The server would refuse it (UPLOAD_INVALID): say why without asking it; no retry can help.
    if (maxBytes !== undefined && file.size > maxBytes) {
      this.set({ ...entry, error: explain(new ProtocolError(ErrorCode.TOO_LARGE, 'file too large')) });
      return;
    }
    await this.attempt(entry, { room, file, ...words }, 0);
  }

  /** Cancels an upload under way, or dismisses a failed one. */
  cancel(id: number): void {
    const abort = this.aborts.get(id);
    if (abort) abort.abort();
    else this.remove(id);
  }

  /** One try at sending `what` under `entry`, after `delayMs` (a rate limit's `retryAfterMs` left to wait). */
  private async attempt(entry: UploadEntry, what: Attempt, delayMs: number): Promise<void> {
    const abort = new AbortController();
    this.aborts.set(entry.id, abort);
    const fresh: UploadEntry = { id: entry.id, name: entry.name, sent: 0, total: what.file.size };
    this.set(fresh);
    try {
      if (delayMs > 0) await wait(delayMs, abort.signal);
      await what.room.sendFile(what.file, {
        name: what.file.name,
        signal: abort.signal,
        onProgress: ({ sent, total }) => this.set({ ...fresh, sent, total }),
      });
      this.remove(entry.id);
    } catch (error) {
      // A cancel needs no explanation: the user asked for it.
      if (abort.signal.aborted) this.remove(entry.id);
      else this.fail(fresh, what, error);
    } finally {
      this.aborts.delete(entry.id);
    }
  }

  /** Lists the failure, with a retry when it may pass; a rate limit's wait is kept for the retry. */
  private fail(entry: UploadEntry, what: Attempt, error: unknown): void {
    const failed: UploadEntry = { ...entry, error: what.explain(error) };
    if (what.retryable(error)) {
      const retryAfterMs = error instanceof ProtocolError ? (error.retryAfterMs ?? 0) : 0;
      const notBefore = Date.now() + retryAfterMs;
      failed.retry = () => void this.attempt(entry, what, notBefore - Date.now());
    }
    this.set(failed);
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

/** Resolves after `ms`, or rejects at once when `signal` fires (a cancel during the wait). */
function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}
