/**
 * Where the model remembers things between visits: a key-value store with the
 * Web Storage method names, injected so the model touches no platform global.
 * Browsers pass `new WebStorage(localStorage)`; Node, tests and bots use
 * `MemoryStorage` (or their own implementation, e.g. a file).
 *
 * @module
 */

/** The storage the model writes to: strings by string key (the shape of Web Storage). */
export interface ModelStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Keeps everything in memory, for one run. */
export class MemoryStorage implements ModelStorage {
  readonly #items = new Map<string, string>();

  getItem(key: string): string | null {
    return this.#items.get(key) ?? null;
  }

  setItem(key: string, value: string): void {
    this.#items.set(key, value);
  }

  removeItem(key: string): void {
    this.#items.delete(key);
  }
}

/**
 * A Web Storage object (`localStorage`, `sessionStorage`) that never throws:
 * a full quota, storage disabled by the user or a sandboxed frame
 * (`SecurityError`) lose what is written instead of breaking the chat.
 */
export class WebStorage implements ModelStorage {
  readonly #storage: ModelStorage;

  constructor(storage: ModelStorage) {
    this.#storage = storage;
  }

  getItem(key: string): string | null {
    try {
      return this.#storage.getItem(key);
    } catch {
      return null;
    }
  }

  setItem(key: string, value: string): void {
    try {
      this.#storage.setItem(key, value);
    } catch {
      // Quota or policy: this value is not remembered; the session goes on.
    }
  }

  removeItem(key: string): void {
    try {
      this.#storage.removeItem(key);
    } catch {
      // As above.
    }
  }
}
