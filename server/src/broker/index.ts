/**
 * The broker seam: the store kinds of store/index.ts, each behind the one
 * {@link Broker} ({@link StoreBroker}).
 *
 * @module
 */

import { StoreBroker } from './store.js';
import { LogSubscription } from './subscription.js';

export type { LogHandler } from './subscription.js';
export type { Broker } from './types.js';
export { LogSubscription, StoreBroker };
