/**
 * Renders a {@link RunReport}: the per-requirement table with failures and
 * the uncovered list for humans, JSON for tools, JUnit XML for CI.
 *
 * @module
 */

import { Capability, PROTOCOL_VERSION } from '@kuykan/protocol';
import { isMandatory } from './requirements.js';
import type { RunReport, Status } from './runner.js';

/** Counts for the summary line and the closing note. */
export function summarize(report: RunReport) {
  const count = (pred: (s: Status, mandatory: boolean) => boolean) =>
    report.requirements.filter((r) => pred(r.status, isMandatory(r.requirement.level))).length;
  const musts = report.requirements.filter((r) => isMandatory(r.requirement.level));
  const shoulds = report.requirements.filter((r) => r.requirement.level.startsWith('SHOULD'));
  const covered = (list: typeof musts) => list.filter((r) => r.status !== 'UNCOVERED' && r.status !== 'NOT RUN').length;
  return {
    pass: count((s) => s === 'PASS'),
    fail: count((s) => s === 'FAIL'),
    nonStrict: count((s) => s === 'NON-STRICT'),
    skip: count((s) => s === 'SKIP'),
    inconclusive: count((s) => s === 'INCONCLUSIVE'),
    uncovered: count((s) => s === 'UNCOVERED'),
    notRun: count((s) => s === 'NOT RUN'),
    /** Requirements skipped because a capability is not advertised (not other skips, e.g. a long heartbeat). */
    notOffered: report.requirements.filter(
      (r) =>
        r.status === 'SKIP' &&
        r.tests.every((t) => report.cases.some((c) => c.test === t && /not advertised/.test(c.message ?? ''))),
    ).length,
    /** What the server does not offer: protocol version 2 (a v1-only server), then capabilities. */
    missingCapabilities: [
      ...(report.version > 0 && report.version < PROTOCOL_VERSION ? [`v${PROTOCOL_VERSION}`] : []),
      ...Object.values(Capability).filter((c) => !report.capabilities.includes(c)),
    ],
    mustsCovered: covered(musts),
    musts: musts.length,
    shouldsCovered: covered(shoulds),
    shoulds: shoulds.length,
    cases: report.cases.length,
    casesFailed: report.cases.filter((c) => c.outcome !== 'pass' && c.outcome !== 'skip').length,
  };
}

/** The human report: table, failures with text, transcript and replay token, uncovered MUSTs, summary. */
export function renderTable(report: RunReport, color = false): string {
  const paint = (status: Status) => {
    if (!color) return status.padEnd(12);
    const code =
      status === 'PASS' ? 32 : status === 'FAIL' ? 31 : status === 'NON-STRICT' || status === 'INCONCLUSIVE' ? 33 : 90;
    return `\x1b[${code}m${status.padEnd(12)}\x1b[0m`;
  };
  const lines: string[] = [
    `kuykan-conformance: ${report.server} at ${report.urls.join(', ')} (seed ${report.seed})`,
    '',
  ];
  lines.push(`${'ID'.padEnd(9)} ${'LEVEL'.padEnd(10)} ${'RESULT'.padEnd(12)} TESTS`);
  for (const r of report.requirements) {
    if (r.status === 'NOT RUN') continue;
    const detail =
      r.status === 'UNCOVERED'
        ? `— ${r.reason}`
        : r.tests.length > 2
          ? `${r.tests.slice(0, 2).join(', ')} +${r.tests.length - 2}`
          : r.tests.join(', ');
    lines.push(`${r.requirement.id.padEnd(9)} ${r.requirement.level.padEnd(10)} ${paint(r.status)} ${detail}`);
  }
  const problems = report.cases.filter((c) => c.outcome === 'fail' || c.outcome === 'timeout' || c.outcome === 'error');
  if (problems.length > 0) lines.push('', 'FAILURES');
  const byId = new Map(report.requirements.map((r) => [r.requirement.id, r.requirement]));
  for (const c of problems) {
    const requirement = c.requirement ? byId.get(c.requirement) : undefined;
    lines.push('', `✗ ${c.test} — ${c.outcome === 'fail' ? `breaks ${c.requirement}` : c.outcome.toUpperCase()}`);
    if (requirement) lines.push(`  [${requirement.id} ${requirement.level}] ${requirement.text}`);
    lines.push(`  ${c.message ?? ''}`);
    if (c.transcript) lines.push('  transcript (minimal case):', c.transcript);
    if (c.replay) lines.push(`  replay: kuykan-conformance ${report.urls.join(' ')} --replay ${c.replay}`);
  }
  const uncovered = report.requirements.filter((r) => r.status === 'UNCOVERED' && isMandatory(r.requirement.level));
  lines.push('', `MUSTs not covered by any test: ${uncovered.length === 0 ? 'none' : ''}`);
  for (const r of uncovered) lines.push(`  ${r.requirement.id}: ${r.reason}`);
  const s = summarize(report);
  lines.push(
    '',
    `${s.pass} pass, ${s.fail} fail, ${s.nonStrict} non-strict, ${s.inconclusive} inconclusive, ${s.skip} skip, ${s.uncovered} uncovered` +
      `${s.notRun > 0 ? `, ${s.notRun} not run` : ''} · MUSTs covered ${s.mustsCovered}/${s.musts}, SHOULDs covered ${s.shouldsCovered}/${s.shoulds} · ` +
      `${s.cases} cases in ${(report.durationMs / 1000).toFixed(1)} s`,
    verdict(report),
  );
  return lines.join('\n');
}

/**
 * The one-line verdict. Only a full run can call a server conformant; one
 * that does not advertise a capability is conformant to the core profile.
 */
export function verdict(report: RunReport): string {
  const s = summarize(report);
  if (report.exitCode !== 0) return 'RESULT: NOT conformant';
  if (report.partial)
    return `RESULT: no failure in the selected tests; ${s.notRun} requirements not run (--only/--skip/--replay), so this is no conformance verdict`;
  if (s.notOffered > 0) {
    const missing = s.missingCapabilities.join(', ');
    return `RESULT: conformant to the core profile${missing ? ` (without ${missing})` : ''}; ${s.notOffered} requirement${s.notOffered === 1 ? '' : 's'} not offered`;
  }
  return 'RESULT: conformant (all MUSTs pass)';
}

/** The machine-readable report. */
export function renderJson(report: RunReport): string {
  return `${JSON.stringify(
    {
      seed: report.seed,
      urls: report.urls,
      server: report.server,
      exitCode: report.exitCode,
      verdict: verdict(report),
      durationMs: report.durationMs,
      summary: summarize(report),
      requirements: report.requirements.map((r) => ({
        id: r.requirement.id,
        level: r.requirement.level,
        status: r.status,
        tests: r.tests,
        reason: r.reason,
      })),
      cases: report.cases,
    },
    null,
    2,
  )}\n`;
}

const xml = (text: string) =>
  text
    .replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** JUnit XML: one testsuite per section, one testcase per test. */
export function renderJunit(report: RunReport): string {
  const sections = [...new Set(report.cases.map((c) => c.section))];
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="kuykan-conformance" tests="${report.cases.length}">`,
  ];
  for (const section of sections) {
    const cases = report.cases.filter((c) => c.section === section);
    const failures = cases.filter((c) => c.outcome === 'fail').length;
    const errors = cases.filter((c) => c.outcome === 'timeout' || c.outcome === 'error').length;
    const skipped = cases.filter((c) => c.outcome === 'skip').length;
    out.push(
      `  <testsuite name="${xml(section)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}">`,
    );
    for (const c of cases) {
      out.push(
        `    <testcase classname="${xml(section)}" name="${xml(c.test)}" time="${(c.durationMs / 1000).toFixed(3)}">`,
      );
      const body = xml(`${c.message ?? ''}\n${c.transcript ?? ''}\nreplay: ${c.replay ?? ''}`);
      if (c.outcome === 'fail')
        out.push(`      <failure message="${xml(`${c.requirement}: ${c.message ?? ''}`)}">${body}</failure>`);
      else if (c.outcome === 'timeout' || c.outcome === 'error')
        out.push(`      <error message="${xml(c.message ?? '')}">${body}</error>`);
      else if (c.outcome === 'skip') out.push(`      <skipped message="${xml(c.message ?? '')}"/>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
