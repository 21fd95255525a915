import { createAnalysis } from '../../../../src/app/evidence/analysis.js';
import type { AsOfRecord } from '../../../../src/app/evidence/as-of.js';
import { instantFormat, links } from '../../../../src/app/evidence/html-format.js';
import { renderPage } from '../../../../src/app/evidence/html-page.js';
import { buildInventoryReport } from '../../../../src/app/reports/inventory-report.js';
import { aRemediation } from '../../../support/builders.js';

const period = { label: '2026-11', from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z', timeZone: 'UTC' };
const records: AsOfRecord[] = [
  { remediation: aRemediation({ id: 'PW-1', title: 'Upgrade <script>alert(1)</script>', dueAt: '2026-11-05T00:00:00.000Z' }), source: 'history', trailState: null },
  { remediation: aRemediation({ id: 'PW-2' }), source: 'rewound', trailState: 'assessed' },
];

async function page(linked: boolean, details: string[] | null): Promise<string> {
  const analysis = createAnalysis({ from: period.from, cutOff: period.to });
  for (const r of records) analysis.observe(r);
  const ctx = { analysis: analysis.result(), inventory: buildInventoryReport([], new Map(), 30, new Date(period.to)), sources: [], laterApprovals: new Map(), time: instantFormat('UTC'), links: links(linked) };
  const header = { period, cutOff: period.to, generatedAt: '2026-12-10T08:00:00.000Z', generatedBy: 'U0AUDIT', toolVersion: '0.1.0', verification: { ok: true as const, count: 3, headSeq: 3, headHash: 'ab'.repeat(32) }, head: null, problems: ['One file no longer matches.'] };
  let html = '';
  for await (const piece of renderPage(header, ctx, (async function* () { yield* records; })(), details && (async function* () { yield* details; })(), '<h2 id="advisories">Advisories</h2>')) html += piece;
  return html;
}

describe('index.html', () => {
  it('is one self-contained page: a CSP that forbids every outside request, no script, text escaped', async () => {
    const html = await page(true, ['<section class="remediation" id="PW-1"></section>']);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">`);
    expect(html).not.toMatch(/<script|<link |<img |@import|url\(/i);
    expect(html).toContain('Upgrade &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<div class="banner bad">One file no longer matches.</div>');
    expect(html).toContain('<a href="#PW-1">PW-1</a>');
    expect(html).toContain('<section class="remediation" id="PW-1">');
    expect(html.trimEnd().endsWith('</body></html>')).toBe(true);
  });

  it('the printed copy of a long pack has no internal links and leaves the list and the blocks to index.html', async () => {
    const html = await page(false, null);
    expect(html).not.toContain('href="#PW-');
    expect(html).toContain('The 2 remediations of the period, each with its record, evidence files and timeline, are in index.html');
    expect(html).not.toContain('<section class="remediation"');
    expect(html).toContain('id="finding-sla"');
  });
});
