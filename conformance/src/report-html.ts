/**
 * One self-contained HTML page for a {@link RunReport}: the verdict, the
 * summary, one row per requirement, and every failure with its requirement
 * text, message, transcript and replay command. No external assets: styles
 * are inline, so the page can be attached to a CI run as is.
 *
 * @module
 */

import { summarize, verdict } from './report.js';
import type { RunReport, Status } from './runner.js';

const html = (text: string) =>
  text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!);

const COLORS: Record<Status, string> = {
  PASS: '#1a7f37',
  FAIL: '#cf222e',
  'NON-STRICT': '#9a6700',
  INCONCLUSIVE: '#9a6700',
  SKIP: '#57606a',
  UNCOVERED: '#57606a',
  'NOT RUN': '#8c959f',
};

/** The report as one HTML document. */
export function renderHtml(report: RunReport): string {
  const s = summarize(report);
  const byId = new Map(report.requirements.map((r) => [r.requirement.id, r.requirement]));
  const rows = report.requirements
    .filter((r) => r.status !== 'NOT RUN')
    .map(
      (r) =>
        `<tr id="${html(r.requirement.id)}"><td>${html(r.requirement.id)}</td><td>${html(r.requirement.level)}</td>` +
        `<td style="color:${COLORS[r.status]};font-weight:600">${r.status}</td>` +
        `<td>${html(r.status === 'UNCOVERED' ? (r.reason ?? '') : r.tests.join(', '))}</td>` +
        `<td class="text">${html(r.requirement.text)}</td></tr>`,
    )
    .join('\n');
  const failures = report.cases
    .filter((c) => c.outcome === 'fail' || c.outcome === 'error' || c.outcome === 'timeout')
    .map((c) => {
      const requirement = c.requirement ? byId.get(c.requirement) : undefined;
      return (
        `<section class="failure"><h3>✗ ${html(c.test)} — ${c.outcome === 'fail' ? `breaks <a href="#${html(c.requirement ?? '')}">${html(c.requirement ?? '')}</a>` : c.outcome.toUpperCase()}</h3>` +
        (requirement
          ? `<p class="req">[${html(requirement.id)} ${html(requirement.level)}] ${html(requirement.text)}</p>`
          : '') +
        `<p>${html(c.message ?? '')}</p>` +
        (c.transcript ? `<pre>${html(c.transcript)}</pre>` : '') +
        (c.replay
          ? `<p><code>kuykan-conformance ${html(report.urls.join(' '))} --replay ${html(c.replay)}</code></p>`
          : '') +
        '</section>'
      );
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kuykan-conformance: ${html(report.server)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#1f2328}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
td.text{color:#57606a;font-size:12px}pre{background:#f6f8fa;padding:8px;overflow-x:auto;font-size:12px}
.verdict{font-size:18px;font-weight:600}.failure{border-left:4px solid #cf222e;padding-left:12px;margin:1.5em 0}.req{color:#57606a}
</style></head><body>
<h1>kuykan-conformance</h1>
<p>${html(report.server)} at ${html(report.urls.join(', '))} · seed ${report.seed} · ${s.cases} cases in ${(report.durationMs / 1000).toFixed(1)} s</p>
<p class="verdict">${html(verdict(report))}</p>
<p>${s.pass} pass, ${s.fail} fail, ${s.nonStrict} non-strict, ${s.inconclusive} inconclusive, ${s.skip} skip, ${s.uncovered} uncovered${s.notRun > 0 ? `, ${s.notRun} not run` : ''} · MUSTs covered ${s.mustsCovered}/${s.musts}, SHOULDs covered ${s.shouldsCovered}/${s.shoulds}</p>
${failures ? `<h2>Failures</h2>\n${failures}` : ''}
<h2>Requirements</h2>
<table><thead><tr><th>ID</th><th>Level</th><th>Result</th><th>Tests / reason</th><th>Text</th></tr></thead><tbody>
${rows}
</tbody></table>
</body></html>
`;
}
