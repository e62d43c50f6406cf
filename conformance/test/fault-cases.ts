/**
 * The server half of the fault matrix: every TEST-ONLY fault of the reference
 * server, the requirement the suite must name when the fault is on, and the
 * sections whose tests can see it.
 */

import type { FaultName } from '@kuykan/server';

export const FAULT_EXPECTATIONS: Readonly<Record<FaultName, { requirement: string; only: string }>> = {
  'duplicate-fanout': { requirement: 'MSG-7', only: 'messages' },
  'reorder-fanout': { requirement: 'MSG-8', only: 'messages' },
  'case-sensitive-names': { requirement: 'NAME-5', only: 'login' },
  'history-off-by-one': { requirement: 'HIST-1', only: 'history' },
  'resume-skip': { requirement: 'RES-1', only: 'resume' },
  'accept-oversize': { requirement: 'WIRE-5', only: 'limits/frame-size' },
  'error-without-id': { requirement: 'REQ-2', only: 'transport,rooms' },
  'stale-presence': { requirement: 'PRES-4', only: 'presence' },
  'seq-gap': { requirement: 'MSG-6', only: 'messages' },
  'ack-before-commit': { requirement: 'MSG-9', only: 'messages' },
  'idempotency-ignored': { requirement: 'MSG-5', only: 'messages' },
  'presence-duplicate': { requirement: 'PRES-2', only: 'presence' },
};
