/**
 * `index.html`: one self-contained page, written a piece at a time. Inline style, no script, no font, no image, no
 * outside request of any kind (its Content-Security-Policy forbids them, so even a mistake here could not fetch).
 * Remediations' timelines sit in closed <details>, so the printed report stays a readable length.
 */
import type { ChainVerdict } from '../audit.js';
import type { AsOfRecord } from './as-of.js';
import { emergencySection, findingsSection, summarySection, type FindingsContext } from './html-findings.js';
import { esc, plural, severityTag, STYLE, table } from './html-format.js';
import { periodName, type Period } from './period.js';

export interface PageHeader {
  readonly period: Period;
  readonly cutOff: string;
  readonly generatedAt: string;
  readonly generatedBy: string;
  readonly toolVersion: string;
  readonly verification: ChainVerdict;
  readonly head: { readonly seq: number; readonly hash: string } | null;
  /** What the reader must know before trusting the rest (a broken chain, files that no longer match…). */
  readonly problems: readonly string[];
}

const CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

function top(h: PageHeader, ctx: FindingsContext): string {
  const { time } = ctx;
  const v = h.verification;
  const chain = v.ok ? `<div class="banner good">Audit chain intact: ${plural(v.count, 'event')} verified up to seq ${v.headSeq} (sha256 <span class="mono">${esc(v.headHash)}</span>).</div>`
    : `<div class="banner bad"><strong>Audit chain BROKEN at seq ${v.badSeq}</strong>: ${esc(v.reason)}. Events before it verified: ${v.count}.</div>`;
  const running = h.cutOff < h.period.to ? ` The period is still running: everything is shown as of ${time(h.cutOff)}.` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Patch management evidence ${esc(periodName(h.period))}</title><style>${STYLE}</style></head>
<body>
<h1>Patch management evidence (SOC 2 CC7.1): ${esc(periodName(h.period))}</h1>
<p class="meta">Period ${time(h.period.from)} to ${time(h.period.to)} (${esc(h.period.timeZone)}, end excluded).${running} Generated ${time(h.generatedAt)} for ${esc(h.generatedBy)} by patchwarden ${esc(h.toolVersion)}.</p>
${chain}${h.problems.map((p) => `<div class="banner bad">${esc(p)}</div>`).join('')}
<p class="meta">Every file of this pack is listed with its SHA-256 in manifest.json; <code>patchwarden evidence verify &lt;this zip&gt;</code> recomputes them and re-checks the audit log segment (audit-log.jsonl). Each remediation is shown as it stood at the period end.</p>
<nav><a href="#summary">Summary</a> · <a href="#findings">Findings</a> · <a href="#emergency">Emergency changes</a> · <a href="#advisories">Advisories</a> · <a href="#remediations">Remediations</a></nav>\n`;
}

/**
 * The page, piece by piece: `index` and `details` are read once each, in id order. `details` null: the printed copy
 * of a long pack, which leaves the list and each remediation's block to index.html and remediations.csv (and says so).
 */
export async function* renderPage(
  header: PageHeader,
  ctx: FindingsContext,
  index: AsyncIterable<AsOfRecord>,
  details: AsyncIterable<string> | null,
  advisories: string,
): AsyncGenerator<string> {
  yield top(header, ctx);
  yield summarySection(ctx);
  yield findingsSection(ctx);
  yield emergencySection(ctx);
  yield advisories;
  yield `<h2 id="remediations">Remediations (${ctx.analysis.population.toLocaleString('en-US')})</h2>\n`;
  if (!details) {
    yield `<p>This printed report holds the answers above. The ${plural(ctx.analysis.population, 'remediation')} of the period, each with its record, evidence files and timeline, are in index.html beside it in the pack, and one row each in remediations.csv.</p>\n</body></html>\n`;
    return;
  }
  const rows: string[][] = [];
  const head = ['remediation', 'title', 'severity', 'state at period end', 'owner', 'due', 'closed', 'approved by', 'tests passed'];
  for await (const { remediation: r } of index) {
    const approved = r.decisions.filter((d) => d.decision === 'approved').at(-1);
    rows.push([ctx.links.ref(r.id), esc(r.title), severityTag(r.severity), esc(r.state), esc(r.owner ?? 'nobody'), ctx.time(r.dueAt), ctx.time(r.closedAt), esc(approved?.by ?? '—'), String(r.tests.filter((t) => t.result === 'pass').length)]);
    if (rows.length === 500) yield table(head, rows.splice(0));
  }
  yield table(head, rows);
  for await (const block of details) yield block;
  yield '</body></html>\n';
}
