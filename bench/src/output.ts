/** What every mode shares: the machine's description, the results files, and the log. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, hostname, loadavg } from 'node:os';
import { join } from 'node:path';
import { currentNiceness, LOAD_CORES, PINNED } from './procs.js';

export const log = (text: string) => process.stderr.write(`${text}\n`);

/** The load average now, as `uptime` prints it. */
export const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** `N load-generator process(es)`. */
export const loadProcesses = (procs: number) => `${procs} load-generator process${procs > 1 ? 'es' : ''}`;

/** Where the processes ran: the start of every results file's context line. */
export function machine(procs: number, loadBefore: string): string {
  const cores = `core${LOAD_CORES.length > 1 ? 's' : ''} ${LOAD_CORES.join(',')}`;
  return (
    `Measured ${new Date().toISOString()} on ${hostname()} (${cpus().length}× ${cpus()[0]?.model.trim()}), Node ${process.version}, ` +
    `${PINNED ? `server pinned to core 0 and ${loadProcesses(procs)} to ${cores}` : `processes not pinned, ${loadProcesses(procs)}`}` +
    `${currentNiceness() ? `, both at niceness ${currentNiceness()}` : ''}; ` +
    `load average before ${loadBefore}, after ${loadAverage()}.`
  );
}

/** A ratio as a table cell: `0.93×`, or `–` without one. */
export const ratioCell = (ratio: number | undefined) => (ratio === undefined ? '–' : `${ratio}×`);

/** `<date>-<host>-<name>`: the base name of a run's results files. */
export const baseName = (name: string) => `${new Date().toISOString().slice(0, 10)}-${hostname()}-${name}`;

/** Writes `<dir>/<base>.<ext>` for each entry of `files`; returns the path without extension. */
export function writeResults(dir: string, base: string, files: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  for (const [ext, text] of Object.entries(files)) writeFileSync(join(dir, `${base}.${ext}`), text);
  log(`wrote ${join(dir, base)}.{${Object.keys(files).join(',')}}`);
  return join(dir, base);
}

export const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
