import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { frameSizes } from '../scripts/frame-sizes.js';
import {
  Capability,
  CLOSE_ADVICE,
  CloseCode,
  DEFAULT_LIMITS,
  DIRECT_ROOM_PREFIX,
  ERROR_CODE_NAMES,
  type FieldKind,
  FRAMES,
  HELLO_TIMEOUT_MS,
  LIMIT_MINIMUMS,
  MAX_ARRAY_LENGTH,
  MAX_CLIENT_ID_LENGTH,
  MAX_DEPTH,
  MAX_EPOCH_LENGTH,
  MAX_FILE_NAME_LENGTH,
  MAX_MAP_ENTRIES,
  MAX_REQUEST_ID,
  MAX_SERVER_FRAME_BYTES,
  REACTION_NAMES,
  REPLY_PREVIEW_LENGTH,
  ROOM_PAGE_MAX,
  UNICODE_VERSION,
} from '../src/index.js';

const spec = readFileSync(fileURLToPath(new URL('../PROTOCOL.md', import.meta.url)), 'utf8');

/** Rows of the Markdown table that follows a heading containing `title`. */
function table(title: string): string[][] {
  const start = spec.indexOf(title);
  const lines = spec.slice(start).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  }
  return rows;
}

function kindText(kind: FieldKind): string {
  if (typeof kind === 'string') return kind;
  if ('list' in kind) return `[${kind.list}]`;
  if ('oneOf' in kind) return `one of ${kind.oneOf.join(', ')}`;
  return 'record' in kind ? 'record' : 'records';
}

/** A documented field `name key?:kind`, with named records (`{Limits}`, `[ChatMessage]`) reduced to their shape. */
function documentedField(text: string): string {
  return text.replace(/:\{[A-Z]\w*\}( \(v\d\))?$/, ':record$1').replace(/:\[[A-Z]\w*\]( \(v\d\))?$/, ':records$1');
}

describe('PROTOCOL.md and @kuykan/protocol agree', () => {
  it('Appendix A lists every frame with its number, direction, version, fields, keys and reply', () => {
    const rows = table('## Appendix A');
    expect(rows.map((r) => r[1]).sort()).toEqual(Object.keys(FRAMES).sort());
    for (const [t, name, dir, since, fields, reply] of rows) {
      const descriptor = FRAMES[name as keyof typeof FRAMES];
      expect(descriptor.code, name).toBe(Number(t));
      expect(dir, name).toBe(descriptor.direction === 'client' ? 'C→S' : 'S→C');
      expect(Number(since), name).toBe(descriptor.since);
      expect(reply || undefined, name).toBe(descriptor.reply);
      const documented = fields!.split(/, (?=[a-zA-Z]+ [a-z]+\??:)/).map((f) => f.trim());
      // A field added to an older frame type is marked with the version that added it.
      const expected = Object.entries(descriptor.fields).map(
        ([field, spec]) =>
          `${field} ${spec.key}${spec.optional ? '?' : ''}:${kindText(spec.kind)}` +
          ((spec.since ?? 1) > descriptor.since ? ` (v${spec.since})` : ''),
      );
      expect(documented.map(documentedField), name).toEqual(expected);
    }
  });

  it('§5.2 lists every error code and §5.3 every close code with its advice', () => {
    const errors = table('### 5.2 Error codes');
    expect(errors.map(([code, name]) => [Number(code), name])).toEqual(
      Object.entries(ERROR_CODE_NAMES).map(([c, n]) => [Number(c), n]),
    );
    const advice = {
      'do not reconnect': 'stop',
      'reconnect with backoff': 'backoff',
      'reconnect now and resume': 'reconnect',
    } as const;
    const closes = table('### 5.3 Close codes');
    expect(closes.map(([code]) => Number(code)).sort()).toEqual(Object.values(CloseCode).sort());
    for (const [code, , text] of closes) {
      expect(CLOSE_ADVICE[Number(code) as CloseCode], code).toBe(advice[text as keyof typeof advice]);
    }
  });

  it('§4 lists every limit with its default', () => {
    const rows = table('## 4. Limits');
    expect(rows.map((r) => r[0]).sort()).toEqual(Object.keys(DEFAULT_LIMITS).sort());
    for (const [field, key, meaning] of rows) {
      const spec = FRAMES.welcome.fields.limits!.kind as {
        record: Record<string, { key: string; optional?: boolean }>;
      };
      expect(key, field).toBe(`${spec.record[field!]!.key}${spec.record[field!]!.optional ? '?' : ''}`);
      const stated = /\[(\d+)\]$/.exec(meaning!)?.[1];
      expect(Number(stated), field).toBe(DEFAULT_LIMITS[field as keyof typeof DEFAULT_LIMITS]);
    }
  });

  it('§3.1 states the measured frame sizes', () => {
    for (const [shape, bytes] of Object.entries(frameSizes())) {
      const label = shape.replace(' (chosen)', '');
      const row = table('### 3.1 Shape').find((r) => r[0]!.replaceAll('*', '').replace(' (chosen)', '') === label);
      expect(row?.[1]?.replaceAll('*', ''), shape).toBe(String(bytes));
    }
  });

  /** The text of one requirement, from its tag to the next list item. */
  function requirement(id: string): string {
    const start = spec.indexOf(`[${id} `);
    expect(start, id).toBeGreaterThan(0);
    const end = spec.indexOf('\n- ', start);
    return spec.slice(start, end < 0 ? undefined : end).replace(/\s+/g, ' ');
  }

  it('states every constant of the prose as the package defines it', () => {
    const mib = MAX_SERVER_FRAME_BYTES / (1024 * 1024);
    expect(requirement('WIRE-6')).toContain(`up to ${mib} MiB (\`MAX_SERVER_FRAME_BYTES\`)`);
    expect(requirement('WIRE-12')).toContain(`request ids at most 2^${Math.log2(MAX_REQUEST_ID + 1)} − 1`);
    expect(requirement('WIRE-17')).toContain(`\`MAX_DEPTH\` (${MAX_DEPTH})`);
    expect(requirement('WIRE-18')).toContain(`\`MAX_MAP_ENTRIES\` (${MAX_MAP_ENTRIES})`);
    expect(requirement('WIRE-18')).toContain(`\`MAX_ARRAY_LENGTH\` (${MAX_ARRAY_LENGTH})`);
    expect(requirement('HS-8')).toContain(`within ${HELLO_TIMEOUT_MS / 1000} seconds`);
    expect(requirement('MSG-4')).toContain(`1 to ${MAX_CLIENT_ID_LENGTH} code points`);
    expect(table('### 5.2 Error codes').find((r) => r[1] === 'CLIENT_ID_INVALID')?.[2]).toContain(
      `over ${MAX_CLIENT_ID_LENGTH} code points`,
    );
    expect(spec).toContain(`opaque string (at most ${MAX_EPOCH_LENGTH} characters)`);
    expect(spec).toContain(`**Unicode ${UNICODE_VERSION}**`);
    const minimums = requirement('LIMIT-6');
    expect(minimums).toContain(`\`sendRate\` ≥ ${LIMIT_MINIMUMS.sendRate}`);
    expect(minimums).toContain(`\`heartbeatMs\` ≥ ${LIMIT_MINIMUMS.heartbeatMs}`);
    expect(minimums).toContain(`\`maxFrameBytes\` from ${LIMIT_MINIMUMS.maxFrameBytes} to ${mib} MiB`);
    expect(requirement('REPLY-2')).toContain(`\`REPLY_PREVIEW_LENGTH\` (${REPLY_PREVIEW_LENGTH})`);
    expect(requirement('FOLD-3')).toContain(`\`REACTION_NAMES\` (${REACTION_NAMES})`);
    expect(requirement('ROOM-11')).toContain(`\`ROOM_PAGE_MAX\`, ${ROOM_PAGE_MAX}`);
    expect(requirement('DM-2')).toContain(`begins with \`${DIRECT_ROOM_PREFIX}\` (\`DIRECT_ROOM_PREFIX\`)`);
    expect(requirement('ATT-1')).toContain(`\`MAX_FILE_NAME_LENGTH\` (${MAX_FILE_NAME_LENGTH})`);
  });

  it('HS-7 lists exactly the capabilities the package defines', () => {
    const listed = /supports: (.*)\./
      .exec(requirement('HS-7'))![1]!
      .match(/`[^`]+`/g)!
      .map((c) => c.slice(1, -1));
    expect(listed.sort()).toEqual(Object.values(Capability).sort());
  });
});
