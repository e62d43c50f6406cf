/**
 * The command line as a function, so tests can run it in-process:
 * parses options, probes the server, selects tests, runs, reports, and
 * returns the exit code (0 conformant, 1 a failure, 2 the harness could not run).
 *
 * @module
 */

import { execSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { FrameType, SUPPORTED_VERSIONS, type WelcomeFrame } from '@kuykan/protocol';
import { decode } from '@msgpack/msgpack';
import { runClientCli } from './client/cli.js';
import { decodeReplay } from './replay.js';
import { renderJson, renderJunit, renderTable } from './report.js';
import { renderHtml } from './report-html.js';
import { isMandatory, loadRequirements } from './requirements.js';
import { probeFailureReport, type RunReport, runSuite, type TestCase } from './runner.js';
import { ALL_TESTS, UNCOVERED_REASONS } from './suites/index.js';
import { Transcript, WireClient } from './wire.js';

/** Where the CLI writes. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether `out` is a terminal (live progress line, colors). */
  isTTY: boolean;
}

export const USAGE = `usage: kuykan-conformance ws://host:port [more URLs…] [options]
       kuykan-conformance client ADAPTER_MODULE   (client rules; the module exports createClient())
       kuykan-conformance client --driver CMD     (client rules over a JSON-lines driver on stdio)

Several URLs form one cluster: test clients are spread across them.
  --seed N            random seed (default: random; printed)
  --runs N            fast-check runs per property (default 20)
  --only GLOBS        run tests whose requirement ID, test id or section matches (comma list, e.g. 'ROOM-*,messages')
  --skip GLOBS        leave out matching tests
  --list              list requirements and the tests that cover them, then exit
  --report SPEC       also write reports: json=path,junit=path,html=path
  --replay TOKEN      re-run exactly the failing case a token names (implies --trace)
  --trace             print every frame sent and received
  --strict            SHOULD failures fail the run
  --timeout MS        wait for any expected frame (default 10000)
  --token T           bearer token sent in hello (token-auth servers)
  --token-cmd CMD     shell command printing a fresh token, run for each connection
  --kill-cmd CMD      shell command that crashes and restarts the server (MSG-3, RES-5)
  --restart-cmd CMD   shell command that shuts the server down gracefully and starts it again (CLOSE-4, RES-5)
  --durable           the server's store is durable: a room's epoch must survive restarts (RES-5)
exit codes: 0 all MUSTs pass, 1 a requirement failed, 2 the harness could not run`;

class UsageError extends Error {}

function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

function matcher(spec: string | undefined): ((t: TestCase) => 'all' | 'some' | 'none') | undefined {
  if (!spec) return undefined;
  const globs = spec
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean)
    .map(globToRegExp);
  return (t) => {
    const hit = (s: string) => globs.some((g) => g.test(s));
    if (hit(t.id) || hit(t.section)) return 'all';
    const n = t.covers.filter(hit).length;
    return n === 0 ? 'none' : n === t.covers.length ? 'all' : 'some';
  };
}

function positiveInt(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`--${name} must be a non-negative integer`);
  return n;
}

/** Runs the CLI; resolves with the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const requirements = loadRequirements();
  if (values.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  const killCmd = values['kill-cmd'];
  const restartCmd = values['restart-cmd'];
  // Durability tests need an operator command; without one their requirements stay UNCOVERED with the reason.
  const runnable = ALL_TESTS.filter(
    (t) =>
      t.section !== 'durability' ||
      (t.id === 'durability/shutdown-closes-1012' ? restartCmd : killCmd || restartCmd) !== undefined,
  );
  if (values.list) {
    const uncovered: string[] = [];
    for (const r of requirements) {
      const tests = runnable.filter((t) => t.covers.includes(r.id)).map((t) => t.id);
      if (tests.length === 0 && isMandatory(r.level)) uncovered.push(r.id);
      io.out(
        `${r.id.padEnd(9)} ${r.level.padEnd(10)} ${tests.length > 0 ? tests.join(', ') : `UNCOVERED — ${UNCOVERED_REASONS[r.id] ?? 'no test yet'}`}\n`,
      );
    }
    const musts = requirements.filter((r) => isMandatory(r.level)).length;
    io.out(
      `MUSTs covered ${musts - uncovered.length}/${musts}; uncovered ${uncovered.length}: ${uncovered.join(', ')}\n`,
    );
    return 0;
  }
  if (positionals[0] === 'client')
    return runClientCli(values.driver ? ['--driver', values.driver] : positionals.slice(1), io, USAGE);
  try {
    const urls = positionals;
    if (urls.length === 0) throw new UsageError('give at least one ws:// URL');
    for (const url of urls) if (!/^wss?:\/\//.test(url)) throw new UsageError(`not a ws:// or wss:// URL: ${url}`);
    const replay = values.replay ? decodeReplay(values.replay) : undefined;
    const seed = replay?.seed ?? positiveInt(values.seed, 'seed', Math.floor(Math.random() * 2 ** 31));
    const runs = replay?.runs ?? positiveInt(values.runs, 'runs', 20);
    const timeoutMs = positiveInt(values.timeout, 'timeout', 10_000);
    const reports = parseReports(values.report);
    const only = matcher(values.only);
    const skip = matcher(values.skip);
    let tests = runnable.filter((t) => (only ? only(t) !== 'none' : true) && (skip ? skip(t) !== 'all' : true));
    if (replay) tests = ALL_TESTS.filter((t) => t.id === replay.test);
    if (tests.length === 0) {
      io.err(
        replay
          ? `replay token names unknown test ${replay.test}\n`
          : 'no test matches the selection: zero cases to run\n',
      );
      return 2;
    }
    const token = values['token-cmd']
      ? async () => execSync(values['token-cmd']!, { encoding: 'utf8' }).trim()
      : values.token
        ? async () => values.token
        : undefined;
    const trace = values.trace || replay ? (line: string) => io.err(`${line}\n`) : undefined;
    const settings = {
      urls,
      seed,
      runs,
      timeoutMs,
      token,
      trace,
      tests,
      requirements,
      uncovered: UNCOVERED_REASONS,
      partial: Boolean(values.only || values.skip || replay),
      strict: Boolean(values.strict),
      path: replay?.path,
      killCmd,
      restartCmd,
      durable: Boolean(values.durable),
    };
    let welcome: WelcomeFrame;
    let report: RunReport;
    try {
      welcome = await probe(urls, timeoutMs, token);
    } catch (error) {
      if (!(error instanceof WelcomeInvalid)) {
        io.err(`kuykan-conformance: cannot run: ${(error as Error).message}\n`);
        return 2;
      }
      // The server answered, but its welcome breaks the spec: that is a failure to report, not a harness problem.
      report = probeFailureReport(
        { ...settings, server: 'unknown server' },
        {
          test: 'handshake/limits-and-capabilities',
          section: 'handshake',
          outcome: 'fail',
          requirement: 'HS-7',
          message: error.message,
          transcript: error.transcript,
          durationMs: 0,
        },
      );
      io.out(`${renderTable(report, io.isTTY)}\n`);
      for (const [kind, path] of reports) writeFileSync(path, RENDER[kind](report));
      return report.exitCode;
    }
    io.out(
      `kuykan-conformance: ${welcome.server} ${welcome.serverVersion} at ${urls.join(', ')} · seed ${seed} · runs ${runs} · ${tests.length} tests\n`,
    );
    report = await runSuite({
      ...settings,
      welcome,
      onCase: ({ index, total, test, result }) => {
        if (io.isTTY) {
          const line = result ? '' : `[${index + 1}/${total}] ${test.id}`;
          io.out(`\r\x1b[2K${line}`);
        } else if (result) {
          io.out(
            `${result.outcome.toUpperCase().padEnd(7)} ${test.id} (${result.durationMs} ms)${result.requirement ? ` — ${result.requirement}` : ''}\n`,
          );
        }
      },
    });
    io.out(`${renderTable(report, io.isTTY)}\n`);
    for (const [kind, path] of reports) writeFileSync(path, RENDER[kind](report));
    return report.exitCode;
  } catch (error) {
    if (error instanceof UsageError || /replay token/.test((error as Error).message)) {
      io.err(`${(error as Error).message}\n\n${USAGE}\n`);
      return 2;
    }
    io.err(`kuykan-conformance: harness error: ${(error as Error).stack ?? error}\n`);
    return 2;
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      seed: { type: 'string' },
      runs: { type: 'string' },
      only: { type: 'string' },
      skip: { type: 'string' },
      list: { type: 'boolean' },
      report: { type: 'string' },
      replay: { type: 'string' },
      trace: { type: 'boolean' },
      strict: { type: 'boolean' },
      timeout: { type: 'string' },
      token: { type: 'string' },
      'token-cmd': { type: 'string' },
      'kill-cmd': { type: 'string' },
      'restart-cmd': { type: 'string' },
      durable: { type: 'boolean' },
      driver: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

type ReportKind = 'json' | 'junit' | 'html';

function parseReports(spec: string | undefined): [ReportKind, string][] {
  if (!spec) return [];
  return spec.split(',').map((part) => {
    const [kind, path] = part.split('=', 2);
    if ((kind !== 'json' && kind !== 'junit' && kind !== 'html') || !path)
      throw new UsageError(`bad --report part "${part}" (json=path, junit=path or html=path)`);
    return [kind, path];
  });
}

const RENDER: Record<ReportKind, (report: RunReport) => string> = {
  json: renderJson,
  junit: renderJunit,
  html: renderHtml,
};

/** The server's welcome could not be decoded: a spec failure (HS-7), reported with its transcript. */
class WelcomeInvalid extends Error {
  constructor(
    message: string,
    readonly transcript: string,
  ) {
    super(message);
  }
}

/** Whether raw bytes are a map with the welcome type number (decodable as MessagePack, not as a welcome). */
function isWelcomeMap(bytes: Uint8Array): boolean {
  try {
    const value = decode(bytes) as { t?: unknown } | null;
    return typeof value === 'object' && value !== null && value.t === FrameType.welcome;
  } catch {
    return false;
  }
}

/** Opens one session on every URL: the server must answer `hello`. Returns the first welcome. */
async function probe(
  urls: readonly string[],
  timeoutMs: number,
  token?: () => Promise<string | undefined>,
): Promise<WelcomeFrame> {
  let first: WelcomeFrame | undefined;
  for (const url of urls) {
    const transcript = new Transcript();
    const conn = await WireClient.open(url, { label: 'probe', transcript, timeoutMs }).catch((error: Error) => {
      throw new Error(`cannot connect to ${url}: ${error.message}`);
    });
    try {
      conn.send({
        type: 'hello',
        versions: [...SUPPORTED_VERSIONS],
        client: 'kuykan-conformance',
        token: await token?.(),
      });
      const reply = await conn
        .next((f) => f.type === 'welcome' || f.type === 'error', 'welcome')
        .catch(() => undefined);
      if (reply?.type !== 'welcome') {
        const invalid = conn.undecodableBytes.some(isWelcomeMap);
        if (invalid)
          throw new WelcomeInvalid(
            `${url} answered hello with a welcome that breaks its schema: ${conn.undecodable.join('; ')}`,
            transcript.format(),
          );
        throw new Error(`${url} did not answer hello with welcome`);
      }
      first ??= reply;
    } finally {
      conn.close();
    }
  }
  return first!;
}
