/**
 * TEST ONLY. Engine faults, as a decorator over the engine chosen at
 * start-up (see faults.ts).
 *
 * @module
 */

import type { Engine } from '../engine/types.js';
import type { FaultName } from '../faults.js';

/** Wraps `engine` when an engine fault is on; returns it unchanged otherwise. */
export function faultyEngine(engine: Engine, faults: ReadonlySet<FaultName>): Engine {
  if (!faults.has('stale-presence')) return engine;
  // stale-presence (PRES-4): the engine never hears that a user left, so nobody is told.
  return new Proxy(engine, {
    get(target, property, receiver) {
      if (property === 'leave') return async () => undefined;
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
