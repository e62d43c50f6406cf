/**
 * The sweep of a dead node: its users leave the rooms no other node holds
 * them in, one presence event each [PRES-4], and its names are freed. Any
 * node sweeps any expired node (`nodes:sweeping` lets one finish a sweep
 * another started); a node that lost its place sweeps itself.
 *
 * @module
 */

import type { Logger } from 'pino';
import type { RedisKeys } from '../redis/keys.js';
import type { EngineRedis } from './redis-scripts.js';

/** Rooms of a dead node swept per script call. */
const SWEEP_BATCH = 100;

/**
 * Sweeps a dead node in batches of {@link SWEEP_BATCH} rooms, one script
 * each, so Redis serves other clients in between however many rooms the node
 * had. `by` is the sweeping node: it sweeps another only while its own
 * liveness key stands, and itself (after losing its place) unconditionally.
 */
export async function sweepNode(
  redis: EngineRedis,
  keys: RedisKeys,
  node: string,
  by: string,
  log: Logger,
): Promise<void> {
  const [head, ...tails] = [
    keys.roomKeyAround('holders'),
    keys.roomKeyAround('members'),
    keys.roomKeyAround('pv'),
    keys.roomKeyAround('events'),
    keys.roomKeyAround('bots'),
  ].flatMap(([h, t], i) => (i === 0 ? [h, t] : [t]));
  let total = 0;
  for (;;) {
    const [left, more] = await redis.kuykanSweep(
      keys.node(node),
      keys.node(node, 'rooms'),
      keys.node(node, 'names'),
      keys.nodes,
      keys.sweeping,
      keys.node(by),
      node,
      by === node ? '1' : '0',
      SWEEP_BATCH,
      head!,
      ...tails,
    );
    if (left < 0) return;
    total += left;
    if (more === 0) break;
  }
  log.info({ node, left: total }, 'swept a dead node');
}
