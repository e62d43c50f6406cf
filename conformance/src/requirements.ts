/**
 * The requirements the suite reports on: `spec/requirements.json` from
 * `@kuykan/protocol`, or, when that file is missing, the same list extracted
 * from `PROTOCOL.md` with the extractor's regex.
 *
 * @module
 */

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** RFC 2119 levels used by the spec. */
export type Level = 'MUST' | 'MUST NOT' | 'SHOULD' | 'SHOULD NOT' | 'MAY';

/** One `[AREA-N LEVEL]` statement of PROTOCOL.md. */
export interface Requirement {
  readonly id: string;
  readonly level: Level;
  readonly text: string;
  readonly section: string;
}

/** Same pattern as the spec's extractor. */
const TAG = /\[([A-Z]+-\d+) (MUST NOT|MUST|SHOULD NOT|SHOULD|MAY)\]/;

/** True for MUST and MUST NOT: a failure fails the run. */
export function isMandatory(level: Level): boolean {
  return level === 'MUST' || level === 'MUST NOT';
}

/** Loads the requirements of protocol v1, in document order. */
export function loadRequirements(): Requirement[] {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('@kuykan/protocol/package.json'));
  const jsonPath = join(packageDir, 'requirements.json');
  if (existsSync(jsonPath)) {
    const data = JSON.parse(readFileSync(jsonPath, 'utf8')) as { requirements: Requirement[] };
    return data.requirements;
  }
  return extractRequirements(readFileSync(join(packageDir, 'PROTOCOL.md'), 'utf8'));
}

/** Extracts requirements from the Markdown spec: a tag starts a list item that runs to the next item or heading. */
export function extractRequirements(markdown: string): Requirement[] {
  const out: Requirement[] = [];
  let section = '';
  let current: { id: string; level: Level; lines: string[]; section: string } | undefined;
  const flush = () => {
    if (current)
      out.push({
        id: current.id,
        level: current.level,
        text: current.lines.join(' ').trim(),
        section: current.section,
      });
    current = undefined;
  };
  for (const line of markdown.split('\n')) {
    const heading = /^#{2,3} (.+)$/.exec(line);
    if (heading) {
      flush();
      if (line.startsWith('## ')) section = heading[1]!.trim();
      continue;
    }
    const tag = TAG.exec(line);
    if (tag && /^\s*- /.test(line)) {
      flush();
      current = { id: tag[1]!, level: tag[2] as Level, lines: [line.slice(tag.index + tag[0].length)], section };
    } else if (current && line.trim() !== '' && !/^\s*- /.test(line)) {
      current.lines.push(line.trim());
    } else {
      flush();
    }
  }
  flush();
  return out;
}
