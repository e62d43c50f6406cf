/**
 * Replay tokens: one opaque string that encodes the seed, the test id and,
 * for properties, the fast-check path of the shrunk case, so
 * `--replay <token>` re-runs exactly the failing case.
 *
 * @module
 */

/** What a replay token carries. */
export interface ReplaySpec {
  readonly seed: number;
  readonly test: string;
  /** fast-check counterexample path, for property tests. */
  readonly path?: string | undefined;
  /** fast-check runs of the original run (a path is only valid with the same runs). */
  readonly runs?: number | undefined;
}

const PREFIX = 'kc1.';

/** Encodes a replay token (`kc1.` + base64url JSON). */
export function encodeReplay(spec: ReplaySpec): string {
  const body: Record<string, unknown> = { s: spec.seed, t: spec.test };
  if (spec.path) body.p = spec.path;
  if (spec.runs !== undefined) body.r = spec.runs;
  return PREFIX + Buffer.from(JSON.stringify(body)).toString('base64url');
}

/** Decodes a replay token; throws `Error` with a readable message if it is not one. */
export function decodeReplay(token: string): ReplaySpec {
  if (!token.startsWith(PREFIX)) throw new Error('not a kuykan-conformance replay token (expected kc1.…)');
  let body: { s?: unknown; t?: unknown; p?: unknown; r?: unknown };
  try {
    body = JSON.parse(Buffer.from(token.slice(PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    throw new Error('replay token is corrupt');
  }
  if (
    typeof body.s !== 'number' ||
    typeof body.t !== 'string' ||
    (body.p !== undefined && typeof body.p !== 'string')
  ) {
    throw new Error('replay token is corrupt');
  }
  return {
    seed: body.s,
    test: body.t,
    path: body.p as string | undefined,
    runs: typeof body.r === 'number' ? body.r : undefined,
  };
}
