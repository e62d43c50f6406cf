/**
 * What the model remembers per user: the joined rooms in order, the open
 * room, and each room's unsent draft. Keys are `kuykan.user.<nameKey>.…`, the
 * layout the web client used before the model, so saved state carries over.
 *
 * @module
 */

import { nameKey } from '@kuykan/protocol';
import type { ModelStorage } from './storage.js';

/** @internal */
export class SavedRooms {
  readonly #storage: ModelStorage;
  readonly #prefix: string;

  constructor(storage: ModelStorage, user: string) {
    this.#storage = storage;
    this.#prefix = `kuykan.user.${nameKey(user)}`;
  }

  /** The rooms this user had joined, in order ([] when none or unreadable). */
  rooms(): string[] {
    try {
      const rooms: unknown = JSON.parse(this.#storage.getItem(`${this.#prefix}.rooms`) ?? '[]');
      return Array.isArray(rooms) ? rooms.filter((r): r is string => typeof r === 'string') : [];
    } catch {
      return [];
    }
  }

  active(): string | undefined {
    return this.#storage.getItem(`${this.#prefix}.active`) ?? undefined;
  }

  save(rooms: readonly string[], active: string | undefined): void {
    this.#storage.setItem(`${this.#prefix}.rooms`, JSON.stringify(rooms));
    if (active) this.#storage.setItem(`${this.#prefix}.active`, active);
    else this.#storage.removeItem(`${this.#prefix}.active`);
  }

  draft(room: string): string {
    return this.#storage.getItem(`${this.#prefix}.draft.${room}`) ?? '';
  }

  saveDraft(room: string, text: string): void {
    if (text) this.#storage.setItem(`${this.#prefix}.draft.${room}`, text);
    else this.#storage.removeItem(`${this.#prefix}.draft.${room}`);
  }
}
