/**
 * TEST ONLY. Fault injection for the conformance suite's own tests: each fault
 * makes the server break exactly one requirement, so the suite can prove it
 * notices. Off unless `faults` / `KUYKAN_FAULTS` names them; never use in production.
 *
 * Faults never branch inside the production code: at start-up the server
 * wraps the real components in decorators (faults/store.ts over the history
 * store, faults/cluster.ts over the cluster, faults/fanout.ts over the room
 * fan-out, faults/wire.ts for the session frame limits, error shape and name
 * comparison), which are the components themselves when no fault is on.
 *
 * @module
 */

/** Every fault and the requirement it breaks. */
export const FAULTS = {
  'duplicate-fanout': 'MSG-7: one member receives each message twice',
  'reorder-fanout': 'MSG-8: consecutive messages reach members swapped',
  'case-sensitive-names': 'NAME-5: names differing in case are both accepted',
  'history-off-by-one': 'HIST-1: a history page skips the message next to its bound',
  'resume-skip': 'RES-1: a resume omits the first message of the gap',
  'accept-oversize': 'WIRE-5: frames over maxFrameBytes are accepted',
  'error-without-id': 'REQ-2: errors omit the request id',
  'stale-presence': 'PRES-4: no leave after the presence grace',
  'seq-gap': 'MSG-6: seqs sometimes jump by two',
  'ack-before-commit': 'MSG-9: the ack is sent before the message is committed and delivered',
  'idempotency-ignored': 'MSG-5: a retried clientId makes a second message',
  'presence-duplicate': 'PRES-2: a second session of a user triggers another presence join',
} as const;

export type FaultName = keyof typeof FAULTS;

/** Validates fault names (from options or a comma list), refusing unknown ones. */
export function parseFaults(input: readonly string[] | string): FaultName[] {
  const names = typeof input === 'string' ? input.split(',') : input;
  return names
    .map((name) => name.trim())
    .filter((name) => name.length > 0)
    .map((name) => {
      if (!Object.hasOwn(FAULTS, name))
        throw new Error(`unknown fault "${name}"; known: ${Object.keys(FAULTS).join(', ')}`);
      return name as FaultName;
    });
}
