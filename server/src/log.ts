/**
 * The server's logger: one pino logger, JSON lines when stdout is not a
 * terminal (for a log shipper), readable coloured lines when a person watches
 * one (pino-pretty, written synchronously so nothing is lost at exit).
 *
 * @module
 */

import { type Logger, pino } from 'pino';
import pretty from 'pino-pretty';

/** `json`: one JSON object a line; `pretty`: for a terminal. */
export type LogFormat = 'json' | 'pretty';

export const LOG_FORMATS: readonly LogFormat[] = ['json', 'pretty'];

/** The format for this process's stdout: pretty on a terminal, JSON elsewhere. */
export function defaultLogFormat(): LogFormat {
  return process.stdout.isTTY ? 'pretty' : 'json';
}

export function createLogger(level: string, format: LogFormat = defaultLogFormat()): Logger {
  const options = { level, base: { service: 'kuykan-server' } };
  if (format === 'json') return pino(options);
  return pino(
    options,
    pretty({ sync: true, singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' }),
  );
}

/**
 * A logger for the lines scripts and operators wait for (the listening line):
 * written at `info` even when the level is higher, in the same format as the rest.
 */
export function announcer(log: Logger): Logger {
  return log.child({}, { level: 'info' });
}
