/**
 * `npm run bench` (quick: S1–S5, then the efficiency scenario; ~6 min),
 * `-- --full`, `-- --smoke` (what `npm test` runs), and the modes that run
 * one thing: `--efficiency` (fixed-rate efficiency), `--cluster` (one node
 * against three on Redis), `--profile` (stage costs, CPU profiles and allocations per message),
 * `--stages` (stage costs alone), `--footprint` (S1 alone), `--churn` (S4
 * alone). `--compare <ref>` (repeatable) adds the server of another commit to
 * --efficiency, --profile, --stages, --footprint and --churn;
 * `--loadgen-procs N` runs the load generator as N processes (default 1, 2 in --full);
 * `--repetitions N` overrides the mode's; `--nice N` starts servers and generators at that niceness.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundleScripts } from './bundle.js';
import { runChurn } from './churn.js';
import { runCluster } from './cluster.js';
import { type Checkout, prepareCheckout } from './compare.js';
import { EFFICIENCY_SETTINGS } from './efficiency.js';
import { runEfficiency } from './efficiency-run.js';
import { runFootprint } from './footprint.js';
import { baseName, json, loadAverage, loadProcesses, log, writeResults } from './output.js';
import { addCheckout, PINNED, setNiceness } from './procs.js';
import { runProfile } from './profiling.js';
import { type Mode, SETTINGS } from './scenarios.js';
import { runStageCosts, stagesMarkdown } from './stage-costs.js';
import { runSuite } from './suite.js';

const USAGE = `usage: npm run bench -- [mode] [options]

modes (one; default: quick, S1–S5 then the efficiency scenario, ~6 min):
  --full                 every scenario at full size
  --smoke                a few seconds of each (what npm test runs)
  --efficiency           fixed-rate efficiency: marginal CPU per delivered message
  --cluster              one node against three on Redis (needs Redis)
  --profile              stage costs, CPU profiles and allocations per message
  --stages               stage costs alone
  --footprint            S1 alone: RSS per idle connection (20,000 held with --full)
  --churn                S4 alone: connect + hello + login + join per second

options:
  --compare REF          also measure the server of another commit (repeatable;
                         --efficiency, --profile, --stages, --footprint, --churn)
  --loadgen-procs N      run the load generator as N processes
  --repetitions N        repeat each measurement N times
  --nice N               start servers and generators at niceness N
  --out DIR              write results to DIR
  --help                 this text
`;

/** A bad command line: say what is wrong and how to call, exit 2 (no stack trace). */
function usageError(message: string): never {
  process.stderr.write(`bench: ${message}\n\n${USAGE}`);
  process.exit(2);
}

const values = (() => {
  try {
    return parseArgs({
      options: {
        full: { type: 'boolean' },
        smoke: { type: 'boolean' },
        out: { type: 'string' },
        'loadgen-procs': { type: 'string' },
        cluster: { type: 'boolean' },
        efficiency: { type: 'boolean' },
        profile: { type: 'boolean' },
        stages: { type: 'boolean' },
        footprint: { type: 'boolean' },
        churn: { type: 'boolean' },
        compare: { type: 'string', multiple: true },
        repetitions: { type: 'string' },
        nice: { type: 'string' },
        help: { type: 'boolean' },
      },
    }).values;
  } catch (error) {
    return usageError((error as Error).message);
  }
})();
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const mode: Mode = values.full ? 'full' : values.smoke ? 'smoke' : 'quick';
const procs = Number(values['loadgen-procs'] ?? SETTINGS[mode].loadgenProcs);
if (!Number.isInteger(procs) || procs < 1) usageError(`--loadgen-procs must be a whole number ≥ 1, not ${procs}`);
const repetitions = values.repetitions === undefined ? undefined : Number(values.repetitions);
if (repetitions !== undefined && (!Number.isInteger(repetitions) || repetitions < 1)) {
  usageError(`--repetitions must be a whole number ≥ 1, not ${values.repetitions}`);
}
if (values.nice !== undefined && !Number.isInteger(Number(values.nice))) {
  usageError(`--nice must be a whole number, not ${values.nice}`);
}
const settings = { ...SETTINGS[mode], loadgenProcs: procs, ...(repetitions ? { repetitions } : {}) };
if (values.nice !== undefined) setNiceness(Number(values.nice));
const repo = fileURLToPath(new URL('../../', import.meta.url));
// Smoke figures mean nothing: they go to the ignored results/tmp/ so a smoke run leaves git clean.
const outDir =
  values.out ?? fileURLToPath(new URL(mode === 'smoke' ? '../results/tmp/' : '../results/', import.meta.url));

/** Worktrees of `--compare` refs, removed however the run ends. */
const checkouts: Checkout[] = [];
const removeCheckouts = () => {
  for (const c of checkouts.splice(0)) c.remove();
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    removeCheckouts();
    process.exit(130);
  });
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadBefore = loadAverage();
  const what =
    (['cluster', 'profile', 'stages', 'footprint', 'churn', 'efficiency'] as const).find((m) => values[m]) ??
    'S1–S5 and efficiency';
  log(
    `kuykan bench (${mode}, ${what}), ${PINNED ? 'server on core 0, load on the others (taskset)' : 'unpinned'}, ${loadProcesses(procs)}${values.nice ? `, niceness ${values.nice}` : ''}; load average ${loadBefore}`,
  );
  for (const ref of values.compare ?? []) {
    log(`building the server of ${ref} in a temporary worktree`);
    const checkout = prepareCheckout(repo, ref);
    checkouts.push(checkout);
    addCheckout(ref, checkout.dir);
    log(`  ${ref} is ${checkout.sha.slice(0, 12)}, in ${checkout.dir}`);
  }
  const refs = checkouts.map((c) => c.ref);
  if (refs.length > 0 && values.cluster) log('--compare has no effect on --cluster: its targets are this checkout’s');
  const stageCheckouts = [
    { label: 'this checkout', root: repo },
    ...checkouts.map((c) => ({ label: c.ref, root: c.dir, ref: c.ref })),
  ];
  await bundleScripts();
  const efficiency = { ...EFFICIENCY_SETTINGS[mode], ...(repetitions ? { repetitions } : {}) };
  if (values.cluster) await runCluster(mode, procs, outDir, loadBefore);
  else if (values.profile)
    await runProfile(mode, efficiency, procs, settings.churnConcurrency, outDir, stageCheckouts, loadBefore);
  else if (values.stages) {
    const stages = await runStageCosts(mode, stageCheckouts, log);
    const table = stagesMarkdown(stages);
    writeResults(outDir, baseName(`${mode}-stages`), { json: json({ mode, stages }), md: table });
    process.stdout.write(table);
  } else if (values.footprint) await runFootprint(mode, settings, outDir, loadBefore, refs);
  else if (values.churn) await runChurn(mode, settings, outDir, loadBefore, refs);
  else {
    if (!values.efficiency) await runSuite(mode, settings, outDir, loadBefore);
    await runEfficiency(mode, efficiency, procs, outDir, loadBefore, refs);
  }
  log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => {
    removeCheckouts();
    process.exit();
  });
