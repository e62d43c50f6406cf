/**
 * Chooses the broker: the store kinds of store/index.ts, each behind the
 * one {@link Broker} seam.
 *
 * @module
 */

import { createStore, type StoreKind, type StoreOptions } from '../store/index.js';
import type { HistoryStore } from '../store/types.js';
import { StoreBroker } from './store.js';
import { LogSubscription } from './subscription.js';
import type { Broker } from './types.js';

/**
 * The broker of `kind`; `decorate` wraps the store beneath it (test faults,
 * see faults/store.ts).
 */
export function createBroker(
  kind: StoreKind,
  options: StoreOptions,
  decorate: (store: HistoryStore) => HistoryStore = (store) => store,
): Broker {
  return new StoreBroker(decorate(createStore(kind, options)));
}

export type { LogHandler } from './subscription.js';
export type { Broker } from './types.js';
export { LogSubscription, StoreBroker };
