/**
 * TEST ONLY. Connection-level faults, resolved at start-up into the frame
 * limits and error shaping every session uses (see faults.ts), plus the
 * name comparison of the user table.
 *
 * @module
 */

import type { ErrorFrame, ProtocolError, ServerFrame } from '@kuykan/protocol';
import type { FaultName } from '../faults.js';
import { nameSkeleton } from '../skeleton.js';
import { withSeqGaps } from './fanout.js';

/** How sessions bound and shape frames; production values unless a fault changes them. */
export interface WirePolicy {
  /** Largest WebSocket message accepted, bytes. */
  readonly maxPayload: number;
  /** Largest frame decoded, bytes. */
  readonly maxFrameBytes: number;
  /** The `error` frame sent for a refusal. */
  errorFrame(error: ProtocolError): ErrorFrame;
  /** A reply as sent (replies only: broadcasts go through the room fan-out). */
  reply(frame: ServerFrame): ServerFrame;
}

const asIs = (frame: ServerFrame): ServerFrame => frame;

export function wirePolicy(maxFrameBytes: number, faults: ReadonlySet<FaultName>): WirePolicy {
  // accept-oversize (WIRE-5): frames far above the limit are read and served.
  const oversize = faults.has('accept-oversize');
  // error-without-id (REQ-2): errors lose their request id.
  const withoutId = faults.has('error-without-id');
  return {
    maxPayload: oversize ? 64 * maxFrameBytes : maxFrameBytes,
    maxFrameBytes: oversize ? Number.MAX_SAFE_INTEGER : maxFrameBytes,
    errorFrame: withoutId
      ? (error) => {
          const frame = error.toFrame();
          delete frame.id;
          return frame;
        }
      : (error) => error.toFrame(),
    // seq-gap (MSG-6): acks show the same jumping seqs as the fan-out.
    reply: faults.has('seq-gap') ? (frame) => (frame.type === 'ack' ? withSeqGaps(frame) : frame) : asIs,
  };
}

/** How the user table compares names: by confusable skeleton [NAME-5], unless case-sensitive-names is on. */
export function nameKeyOf(faults: ReadonlySet<FaultName>): (name: string) => string {
  return faults.has('case-sensitive-names') ? (name) => name : nameSkeleton;
}
