/** Repetitions over targets in alternating order, so that warm-up and drift favour none. */
import type { TargetKind } from './clients.js';

/** `targets` in repetition `rep`'s order: as given on even repetitions, reversed on odd ones. */
export function order(targets: TargetKind[], rep: number): TargetKind[] {
  return rep % 2 === 0 ? targets : [...targets].reverse();
}

/** Runs `fn` for every target, `repetitions` times in alternating order; returns each target's results, by repetition. */
export async function alternating<T>(
  targets: TargetKind[],
  repetitions: number,
  fn: (target: TargetKind, rep: number) => Promise<T>,
): Promise<Map<TargetKind, T[]>> {
  const all = new Map<TargetKind, T[]>(targets.map((t) => [t, []]));
  for (let rep = 0; rep < repetitions; rep++) {
    for (const target of order(targets, rep)) all.get(target)!.push(await fn(target, rep));
  }
  return all;
}
