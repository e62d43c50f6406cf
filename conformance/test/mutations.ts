/**
 * The proxy half of the fault matrix: each entry is one realistic server bug,
 * written as a rewrite of the reference server's frames by the mutation
 * proxy, with the requirement the suite must name and the sections to run
 * (by area in `mutations/`). `BENIGN` entries are spec-allowed variations
 * the suite must NOT fail.
 */

import { BENIGN } from './mutations/benign.js';
import { EVENT_FAULTS } from './mutations/events.js';
import { ROOM_FAULTS } from './mutations/rooms.js';
import type { ProxyFault } from './mutations/tools.js';
import { V2_FAULTS } from './mutations/v2.js';
import { WIRE_FAULTS } from './mutations/wire.js';

export const PROXY_FAULTS: readonly ProxyFault[] = [...WIRE_FAULTS, ...ROOM_FAULTS, ...EVENT_FAULTS, ...V2_FAULTS];

export type { ProxyFault };
export { BENIGN };
