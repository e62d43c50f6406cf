/**
 * The message selected with the keyboard (Alt+↑/↓), by messageId, so it
 * stays on its message while others arrive, are paged in above it or change.
 *
 * @module
 */

export class MessageSelection {
  #id: string | undefined;

  /** The selected messageId, if any. */
  get id(): string | undefined {
    return this.#id;
  }

  /** The selected message of `messages`, if it is still there. */
  of<M extends { messageId: string }>(messages: readonly M[]): M | undefined {
    return this.#id === undefined ? undefined : messages.find((m) => m.messageId === this.#id);
  }

  /**
   * Moves by `step` messages (-1: older). With nothing selected, or the
   * selected message gone, -1 selects the newest; moving past the newest
   * ends the selection. Returns the messageId selected after the move.
   */
  move(messages: readonly { messageId: string }[], step: number): string | undefined {
    const at = this.#id === undefined ? -1 : messages.findIndex((m) => m.messageId === this.#id);
    if (at === -1) this.#id = step < 0 ? messages.at(-1)?.messageId : undefined;
    else this.#id = messages[Math.max(0, at + step)]?.messageId;
    return this.#id;
  }

  clear(): void {
    this.#id = undefined;
  }
}
