/**
 * Runs the registered test cases against a server (or cluster) and folds
 * their outcomes into one result per requirement ID: PASS, FAIL, NON-STRICT,
 * SKIP, INCONCLUSIVE, or UNCOVERED.
 *
 * @module
 */

import type { WelcomeFrame } from '@kuykan/protocol';
import { PropertyFailure, type RunSettings, TestContext } from './context.js';
import { Failure, Skip, Timeout } from './failure.js';
import { encodeReplay } from './replay.js';
import { isMandatory, type Requirement } from './requirements.js';
import { Transcript } from './wire.js';

/** One test: example or property, tagged with the requirement IDs it covers. */
export interface TestCase {
  /** Stable id, e.g. `messages/exactly-once-in-order`. */
  readonly id: string;
  /** Spec section the suite file groups it under. */
  readonly section: string;
  /** Requirement IDs this test checks. */
  readonly covers: readonly string[];
  /** One sentence of what it checks. */
  readonly title: string;
  run(ctx: TestContext): Promise<void>;
}

/** Outcome of one test case. */
export interface CaseResult {
  readonly test: string;
  readonly section: string;
  readonly outcome: 'pass' | 'fail' | 'skip' | 'timeout' | 'error';
  /** For `fail`: the requirement broken. */
  readonly requirement?: string;
  readonly message?: string;
  readonly transcript?: string;
  readonly replay?: string;
  readonly durationMs: number;
}

/** Result per requirement. */
export type Status = 'PASS' | 'FAIL' | 'NON-STRICT' | 'SKIP' | 'INCONCLUSIVE' | 'UNCOVERED' | 'NOT RUN';

export interface RequirementResult {
  readonly requirement: Requirement;
  readonly status: Status;
  /** Tests covering it that ran. */
  readonly tests: string[];
  /** Why no test covers it (UNCOVERED). */
  readonly reason?: string;
}

export interface RunReport {
  readonly seed: number;
  readonly urls: readonly string[];
  readonly server: string;
  /** Capabilities the server advertised in `welcome`. */
  readonly capabilities: readonly string[];
  /** The protocol version the server chose when offered every version the suite speaks. */
  readonly version: number;
  /** Whether `--only`, `--skip` or `--replay` left requirements out. */
  readonly partial: boolean;
  readonly cases: CaseResult[];
  readonly requirements: RequirementResult[];
  /** 0 all MUSTs pass, 1 a failure. */
  readonly exitCode: 0 | 1;
  readonly durationMs: number;
}

export interface RunOptions extends RunSettings {
  readonly tests: readonly TestCase[];
  readonly requirements: readonly Requirement[];
  /** Why each requirement no test covers is not covered. */
  readonly uncovered: Readonly<Record<string, string>>;
  /** When set, only requirements covered by these tests are reported (others NOT RUN). */
  readonly partial: boolean;
  readonly strict: boolean;
  /** fast-check path for a replay. */
  readonly path?: string;
  readonly welcome: WelcomeFrame;
  /** Called before and after each case (progress display). */
  readonly onCase?: (event: { index: number; total: number; test: TestCase; result?: CaseResult }) => void;
}

/** Runs the cases one after another; never throws for a server's misbehaviour. */
export async function runSuite(options: RunOptions): Promise<RunReport> {
  const started = Date.now();
  const cases: CaseResult[] = [];
  for (const [index, test] of options.tests.entries()) {
    options.onCase?.({ index, total: options.tests.length, test });
    const result = await runCase(test, options);
    cases.push(result);
    options.onCase?.({ index, total: options.tests.length, test, result });
  }
  const requirements = foldResults(options, cases);
  const failed = requirements.some(
    (r) =>
      r.status === 'FAIL' ||
      (r.status === 'INCONCLUSIVE' && isMandatory(r.requirement.level)) ||
      (options.strict && r.status === 'NON-STRICT'),
  );
  const welcome = options.welcome;
  return {
    seed: options.seed,
    urls: options.urls,
    server: `${welcome.server} ${welcome.serverVersion}`,
    capabilities: welcome.capabilities,
    version: welcome.version,
    partial: options.partial,
    cases,
    requirements,
    exitCode: failed ? 1 : 0,
    durationMs: Date.now() - started,
  };
}

async function runCase(test: TestCase, options: RunOptions): Promise<CaseResult> {
  const ctx = new TestContext(options, options.welcome, test.id, options.path);
  const started = Date.now();
  const base = { test: test.id, section: test.section };
  // A hard cap so a hung server cannot hang the run.
  const cap = Math.max(options.timeoutMs * 12, 120_000);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      test.run(ctx),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Timeout(`test did not finish within ${cap} ms`)), cap);
      }),
    ]);
    const violation = ctx.violations[0];
    if (violation) throw violation;
    return { ...base, outcome: 'pass', durationMs: Date.now() - started };
  } catch (error) {
    const durationMs = Date.now() - started;
    const transcript = ctx.transcript.format();
    // A global-check violation (unknown error or close code, missing id, leaked key) happened on a
    // frame the body then judged: it names the root cause, so it wins over the body's finding.
    const found = ctx.violations[0] ?? error;
    if (found instanceof Skip) return { ...base, outcome: 'skip', message: found.message, durationMs };
    const replay = encodeReplay({
      seed: options.seed,
      test: test.id,
      path: found instanceof PropertyFailure ? found.path : options.path,
      runs: options.runs,
    });
    if (found instanceof Failure) {
      return {
        ...base,
        outcome: 'fail',
        requirement: found.requirement,
        message: found.message,
        transcript,
        replay,
        durationMs,
      };
    }
    if (found instanceof Timeout) {
      // What never came is something the spec requires: a failure, with the transcript to show it.
      const requirement = found.requirement ?? test.covers[0];
      return {
        ...base,
        outcome: 'fail',
        requirement,
        message: `${found.message} (the spec requires it)`,
        transcript,
        replay,
        durationMs,
      };
    }
    const message = found instanceof Error ? `${found.name}: ${found.message}` : String(found);
    return { ...base, outcome: 'error', message, transcript, replay, durationMs };
  } finally {
    clearTimeout(timer);
    await ctx.closeAll();
  }
}

/**
 * A report for a run that stopped before any test: the probe already found
 * `result` (e.g. a welcome that breaks HS-7); every other requirement is NOT RUN.
 */
export function probeFailureReport(
  options: Omit<RunOptions, 'welcome'> & { server: string },
  result: CaseResult,
): RunReport {
  const requirements = foldResults({ ...options, partial: true }, [result]);
  return {
    seed: options.seed,
    urls: options.urls,
    server: options.server,
    capabilities: [],
    version: 0,
    partial: true,
    cases: [result],
    requirements,
    exitCode: 1,
    durationMs: result.durationMs,
  };
}

function foldResults(options: Omit<RunOptions, 'welcome'>, cases: CaseResult[]): RequirementResult[] {
  const byId = new Map(options.tests.map((t) => [t.id, t]));
  return options.requirements.map((requirement) => {
    const { id, level } = requirement;
    const covering = cases.filter((c) => byId.get(c.test)?.covers.includes(id) || c.requirement === id);
    const tests = covering.map((c) => c.test);
    const mandatory = isMandatory(level);
    let status: Status;
    if (covering.some((c) => c.outcome === 'fail' && c.requirement === id)) status = mandatory ? 'FAIL' : 'NON-STRICT';
    else if (covering.length === 0) status = options.partial ? 'NOT RUN' : 'UNCOVERED';
    else if (covering.some((c) => c.outcome === 'timeout' || c.outcome === 'error')) status = 'INCONCLUSIVE';
    else if (covering.some((c) => c.outcome === 'pass')) status = 'PASS';
    else if (covering.every((c) => c.outcome === 'skip')) status = 'SKIP';
    else status = 'INCONCLUSIVE';
    const reason = status === 'UNCOVERED' ? (options.uncovered[id] ?? 'no test yet') : undefined;
    return { requirement, status, tests, reason };
  });
}

export { Transcript };
