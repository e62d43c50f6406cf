/**
 * A small typed event emitter that needs no Node built-in, so the same code
 * runs in browsers; typed with typed-emitter's event-map convention.
 *
 * @module
 */

import type { EventMap } from 'typed-emitter';

export type { EventMap };

export class Emitter<Events extends EventMap> {
  readonly #listeners = new Map<keyof Events, Set<Events[keyof Events]>>();

  /** Adds a listener. */
  on<E extends keyof Events>(event: E, listener: Events[E]): this {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener);
    return this;
  }

  /** Adds a listener that runs once. */
  once<E extends keyof Events>(event: E, listener: Events[E]): this {
    const wrapper = ((...args: Parameters<Events[E]>) => {
      this.off(event, wrapper);
      listener(...args);
    }) as Events[E];
    return this.on(event, wrapper);
  }

  /** Removes a listener. */
  off<E extends keyof Events>(event: E, listener: Events[E]): this {
    this.#listeners.get(event)?.delete(listener);
    return this;
  }

  /**
   * Calls the listeners of `event`. A listener that throws does not stop the
   * others or the SDK; its error is reported on `error` (or the console).
   */
  emit<E extends keyof Events>(event: E, ...args: Parameters<Events[E]>): boolean {
    const set = this.#listeners.get(event);
    if (!set || set.size === 0) return false;
    for (const listener of [...set]) {
      try {
        listener(...args);
      } catch (error) {
        const onError = event === 'error' ? undefined : this.#listeners.get('error');
        if (onError?.size) {
          for (const report of onError) (report as (ctx: { error: unknown }) => void)({ error });
        } else {
          console.error(error);
        }
      }
    }
    return true;
  }

  /** Number of listeners of `event`. */
  listenerCount(event: keyof Events): number {
    return this.#listeners.get(event)?.size ?? 0;
  }
}
