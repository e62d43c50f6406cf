/**
 * Runs the per-stage micro-benchmarks (stages.ts) for this checkout and for
 * each `--compare` checkout, alternating, each in its own process pinned to
 * the server's core; and makes their table.
 */
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { spread } from './marginal.js';
import { launch, SERVER_CORE } from './procs.js';
import type { StageCost } from './stages.js';

const here = fileURLToPath(new URL('.', import.meta.url));

/** One checkout's costs: a label (`this checkout` or the ref) and the stages of each of its runs. */
export interface CheckoutCosts {
  label: string;
  runs: StageCost[][];
}

/** Runs stages.ts once for the checkout at `root`, with `budgetMs` of measurement per stage. */
function measureOnce(root: string, budgetMs: number): Promise<StageCost[]> {
  // The working directory is the checkout: tsx resolves `@kuykan/protocol` through that checkout's tsconfig.
  const child = launch(
    SERVER_CORE,
    [process.execPath, '--import', 'tsx', `${here}stages.ts`, '--root', root, '--budget-ms', String(budgetMs)],
    {},
    root,
  );
  let errors = '';
  child.stderr!.on('data', (d) => (errors += d));
  return new Promise((resolve, reject) => {
    let result: StageCost[] | undefined;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('stages ')) result = JSON.parse(line.slice('stages '.length)) as StageCost[];
    });
    child.once('close', (code) =>
      result ? resolve(result) : reject(new Error(`stage benchmarks in ${root} exited ${code}:\n${errors}`)),
    );
  });
}

/**
 * Measures every checkout (`label` → root) `repetitions` times, in alternating order so that a change in
 * the machine's load falls on both sides of an A/B.
 */
export async function measureStages(
  checkouts: Array<{ label: string; root: string }>,
  repetitions: number,
  budgetMs: number,
  log: (line: string) => void,
): Promise<CheckoutCosts[]> {
  const costs = checkouts.map(({ label }) => ({ label, runs: [] as StageCost[][] }));
  for (let rep = 0; rep < repetitions; rep++) {
    const indices = checkouts.map((_, i) => i);
    for (const i of rep % 2 === 0 ? indices : indices.reverse()) {
      log(`  stage costs: ${checkouts[i]!.label}, run ${rep + 1} of ${repetitions}`);
      costs[i]!.runs.push(await measureOnce(checkouts[i]!.root, budgetMs));
    }
  }
  return costs;
}

/** A stage's figure over a checkout's runs: the median of the runs' medians, and the best batch of any run. */
export function combine(costs: CheckoutCosts, index: number): { median: number; best: number } | undefined {
  const found = costs.runs.map((run) => run[index]?.nsPerOp).filter((s) => s !== undefined);
  if (found.length === 0) return undefined;
  return {
    median: spread(found.map((s) => s.median))!.median,
    best: Math.min(...found.map((s) => s.min)),
  };
}

const ns = (n: number) =>
  n >= 1e6 ? `${(n / 1e6).toFixed(2)} ms` : n >= 1e4 ? `${(n / 1e3).toFixed(1)} µs` : `${Math.round(n)} ns`;

/** The table: one row per stage, a column per checkout, and each other checkout's ratio to the first. */
export function stagesMarkdown(costs: CheckoutCosts[]): string {
  const [first, ...others] = costs;
  if (!first) return '';
  const stages = first.runs[0] ?? [];
  const header = [
    'stage',
    'what is measured',
    ...costs.map((c) => `${c.label}: per op, median (best batch)`),
    ...others.map((c) => `${first.label} ÷ ${c.label} (below 1: cheaper now)`),
  ];
  const rows = stages.map((stage, index) => {
    const figures = costs.map((c) => combine(c, index));
    const cells = figures.map((f, i) =>
      f ? `${ns(f.median)} (${ns(f.best)})` : `– (${costs[i]!.runs[0]?.[index]?.error ?? 'not measured'})`,
    );
    const ratios = others.map((_, i) => {
      const [a, b] = [figures[0], figures[i + 1]];
      return a && b ? `${(a.median / b.median).toFixed(2)}×` : '–';
    });
    return `| ${[stage.stage, stage.name, ...cells, ...ratios].join(' | ')} |`;
  });
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows, ''].join('\n');
}

/** Stage benchmark settings by mode: measured time per stage, ms. */
export const STAGE_BUDGET_MS = { smoke: 20, quick: 300, full: 1000 } as const;

/**
 * `--stages` (and part of `--profile`): measures this checkout and each compare checkout, three times
 * alternating when there is something to compare, once otherwise.
 */
export async function runStageCosts(
  mode: keyof typeof STAGE_BUDGET_MS,
  checkouts: Array<{ label: string; root: string }>,
  log: (line: string) => void,
): Promise<CheckoutCosts[]> {
  const repetitions = checkouts.length > 1 && mode !== 'smoke' ? 3 : 1;
  log(`Stage costs: ${STAGE_BUDGET_MS[mode]} ms per stage, ${repetitions} run(s) per checkout`);
  return measureStages(checkouts, repetitions, STAGE_BUDGET_MS[mode], log);
}
