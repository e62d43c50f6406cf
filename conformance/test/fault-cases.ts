/**
 * The fault matrix: every TEST-ONLY fault of the reference server and the
 * requirement the suite must name when the fault is on.
 */

import type { FaultName } from '@kuykan/server';

export const FAULT_EXPECTATIONS: Readonly<Record<FaultName, string>> = {
  'duplicate-fanout': 'MSG-7',
  'reorder-fanout': 'MSG-8',
  'case-sensitive-names': 'NAME-5',
  'history-off-by-one': 'HIST-1',
  'resume-skip': 'RES-1',
  'accept-oversize': 'WIRE-5',
  'error-without-id': 'REQ-2',
  'stale-presence': 'PRES-4',
  'seq-gap': 'MSG-6',
  'ack-before-commit': 'MSG-9',
  'idempotency-ignored': 'MSG-5',
  'presence-duplicate': 'PRES-2',
};
