/**
 * TEST ONLY. Cluster faults, as a decorator over the cluster chosen at
 * start-up (see faults.ts).
 *
 * @module
 */

import type { Cluster } from '../cluster/types.js';
import type { FaultName } from '../faults.js';

/** Wraps `cluster` when a cluster fault is on; returns it unchanged otherwise. */
export function faultyCluster(cluster: Cluster, faults: ReadonlySet<FaultName>): Cluster {
  if (!faults.has('stale-presence')) return cluster;
  // stale-presence (PRES-4): the cluster never hears that a user left, so nobody is told.
  return new Proxy(cluster, {
    get(target, property, receiver) {
      if (property === 'leave') return async () => undefined;
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
