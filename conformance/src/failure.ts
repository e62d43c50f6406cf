/**
 * How a test reports an outcome other than a pass: a {@link Failure} names the
 * requirement that was broken; a {@link Timeout} is a reply or event that never
 * came, which fails the requirement it names (or the test's first); {@link Skip}
 * marks a capability the server does not advertise.
 *
 * @module
 */

/** A requirement was observed to be broken. */
export class Failure extends Error {
  override readonly name = 'Failure';
  /** @param requirement the ID broken, e.g. `MSG-7` */
  constructor(
    readonly requirement: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Something the test waited for did not happen in time. The spec requires
 * it, so it fails `requirement` (default: the first the test covers).
 */
export class Timeout extends Error {
  override readonly name = 'Timeout';
  constructor(
    message: string,
    readonly requirement?: string,
  ) {
    super(message);
  }
}

/** The test does not apply to this server (capability not advertised). */
export class Skip extends Error {
  override readonly name = 'Skip';
}

/** Throws a {@link Failure} of `requirement` unless `condition` holds. */
export function expect(requirement: string, condition: unknown, message: string): asserts condition {
  if (!condition) throw new Failure(requirement, message);
}
