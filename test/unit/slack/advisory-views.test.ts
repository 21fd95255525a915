/**
 * The advisory views as pure builders, within Slack's limits (validateMessageBlocks, validateView) for 1, 60 and
 * 500 items: an advisory's message with that many CVEs and links, its review modals with that many remediations to
 * pick from, the Create remediation modal with that many assets, the digest's Advisories section with that many
 * advisories, the review reminder, and the advisories CSV; `/patch sync`'s message with a line per feed.
 */
import type { AdvisoryStatus } from '../../../src/app/advisories/advisory-status.js';
import { selectDigest } from '../../../src/app/reports/digest.js';
import { buildInventoryReport } from '../../../src/app/reports/inventory-report.js';
import type { SyncReport } from '../../../src/app/sync/report.js';
import type { AdvisoryReview } from '../../../src/domain/advisory.js';
import { DEFAULT_SLA } from '../../../src/domain/sla.js';
import { addDays, instant } from '../../../src/domain/time.js';
import { encodeAdvisoryMetadata } from '../../../src/slack/ids.js';
import { ADVISORY_CSV_HEADER, advisoriesCsv } from '../../../src/slack/posting/advisories-csv.js';
import { advisoryMessage } from '../../../src/slack/views/advisory-message.js';
import { reviewReminder } from '../../../src/slack/views/advisory-reminder.js';
import { coveredModal, notApplicableModal } from '../../../src/slack/views/advisory-review-modals.js';
import { digestSummary } from '../../../src/slack/views/digest.js';
import { newRemediationModal } from '../../../src/slack/views/new-remediation-modal.js';
import { syncProgressMessage, syncSummaryMessage } from '../../../src/slack/views/sync-progress.js';
import { parseCsv } from '../../support/csv-parse.js';
import { anAdvisory, anAsset, aRemediation } from '../../support/builders.js';
import { LIMITS, validateMessageBlocks, validateView } from '../../support/slack/block-kit-limits.js';

const now = new Date('2026-11-02T09:00:00.000Z');
const ctx = { now, timeZone: 'Europe/Berlin', sla: DEFAULT_SLA };
const strict = { strictActionIds: true };
const long = (s: string) => `${s} ${'<&> a long bulletin title with *marks* and _underscores_ '.repeat(12)}`;
const meta = encodeAdvisoryMetadata({ a: 'adv-0123456789ab' });

const cves = (n: number) => Array.from({ length: n }, (_, i) => `CVE-2026-${10000 + i}`);
const reviews: AdvisoryReview['decision'][] = ['not_applicable', 'covered', 'remediation_created'];
const reviewOf = (advisoryId: string, i: number): AdvisoryReview => ({
  advisoryId, decision: reviews[i % 3]!, by: `U0LEAD${i % 7}`, at: instant(now), reason: i % 3 === 2 ? null : long(`reason ${i}`), remediationId: i % 3 === 0 ? null : `PW-${100000 + i}`,
});

/** An advisory as heavy as a feed makes one: a long title and summary, `n` CVEs, `n` links. */
function heavy(n: number, review: AdvisoryReview | null): AdvisoryStatus {
  const advisory = anAdvisory({ title: long('CVE-2026-1 - Issue'), summary: long('summary').repeat(5), cves: cves(n), link: `https://aws.amazon.com/security/security-bulletins/${'x'.repeat(300)}/` });
  const links = Array.from({ length: n }, (_, i) => ({ advisoryId: advisory.id, remediationId: `PW-${i + 1}`, via: 'cve' as const, cves: cves(3), at: instant(now) }));
  return { advisory, review, links };
}

/** `n` advisories first read since the last digest: reviewed, linked, the baseline, awaiting review, by turns. */
function section(n: number): AdvisoryStatus[] {
  return Array.from({ length: n }, (_, i) => {
    const advisory = anAdvisory({ title: long(`Bulletin ${i}`), feed: `Feed ${i % 25} ${'f'.repeat(60)}`, firstSeenAt: instant(addDays(now, -(i % 20))), ...(i % 4 === 2 ? { baseline: true as const } : {}) });
    const links = i % 4 === 1 ? [{ advisoryId: advisory.id, remediationId: `PW-${i}`, via: 'cve' as const, cves: advisory.cves, at: instant(now) }] : [];
    return { advisory, review: i % 4 === 0 ? reviewOf(advisory.id, i) : null, links };
  });
}

function feedReport(n: number): SyncReport {
  const feeds = Array.from({ length: n }, (_, i) => ({
    feed: long(`Feed ${i}`).slice(0, 100), status: (['ok', 'unchanged', 'failed'] as const)[i % 3]!, listed: 1000, read: 1000, new: 700, changed: 3, baseline: 680, requests: 1, error: i % 3 === 2 ? long('feed “x”: answered with an HTML page') : null,
  }));
  const counts = { assetsSeen: 1, assetsWritten: 1, findingsSeen: 1, findingsNew: 1, findingsChanged: 0, findingsClosed: 0, remediationsCreated: 1, pages: 1, requests: 1 };
  return {
    id: 'sync:2026-11-02T09:00:00.000Z', startedAt: instant(now), finishedAt: instant(now), status: 'ok', requestedBy: 'U0LEAD',
    sources: (['github', 'snyk', 'ssm'] as const).map((source) => ({ source, status: 'ok' as const, startedAt: instant(now), finishedAt: instant(now), counts, error: null })),
    advisories: feeds, advisoryLinks: n, advisoryMessages: { recorded: 20, waiting: n }, remediations: { created: 1, updated: 0, closed: 0, reopened: 0 }, kevUpdated: 0, recovered: 0, warnings: [long('warning')],
  };
}

describe.each([1, 60, 500])('with %i items', (n) => {
  it('an advisory’s message with that many CVEs and links, awaiting review and after each kind of review, is within the limits', () => {
    for (const review of [null, ...reviews.map((_, i) => reviewOf('adv', i))]) {
      const m = advisoryMessage(heavy(n, review), ctx.timeZone);
      expect(validateMessageBlocks(m.blocks, strict)).toEqual([]);
      expect(m.text.length).toBeLessThanOrEqual(LIMITS.messageText);
    }
  });

  it('the review modals, with that many remediations to pick from, are within the limits', () => {
    const s = heavy(n, null);
    const rs = Array.from({ length: n }, (_, i) => aRemediation({ id: `PW-${i + 1}`, title: long(`Upgrade ${i}`) }));
    expect(validateView(notApplicableModal(s, meta), strict)).toEqual([]);
    for (const [linked, open] of [[rs, rs], [[], rs], [rs.slice(0, 1), []]] as const) expect(validateView(coveredModal(s, linked, open, meta), strict)).toEqual([]);
  });

  it('the Create remediation modal, with that many assets in the inventory, is within the limits (by hand and from an advisory)', () => {
    const assets = Array.from({ length: n }, (_, i) => anAsset({ id: `github:acme/${'r'.repeat(80)}-${i}`, name: long(`repo-${i}`) }));
    for (const from of [null, heavy(n, null)]) expect(validateView(newRemediationModal({ from, assets, privateMetadata: meta }), strict)).toEqual([]);
  });

  it('the digest with that many advisories in its Advisories section is within the limits', () => {
    const coverage = buildInventoryReport([], new Map(), 30, now);
    const base = selectDigest({ open: [], fresh: [], coverage, since: null }, now, ctx.timeZone);
    const fresh = section(n);
    const content = { ...base, advisories: { fresh, earlier: section(n), reviews: { reviewWithinDays: 7, unreviewed: n, overdue: n, oldest: fresh.slice(0, 10).map((s) => s.advisory) } } };
    const summary = digestSummary(content, ctx);
    expect(validateMessageBlocks(summary.blocks)).toEqual([]);
    const text = JSON.stringify(summary.blocks);
    const baseline = fresh.filter((s) => s.advisory.baseline).length;
    expect(text).toContain(`*Advisories since patchwarden started: ${n - baseline}*`);
    if (baseline > 0) expect(text).toContain(`${baseline} ${baseline === 1 ? 'advisory' : 'advisories'} recorded as the baseline`);
    if (n - baseline > 10) expect(text).toContain(`and ${n - baseline - 10} more: all are in the advisories CSV`);
  });

  it('the review reminder names at most ten and counts the rest, within a message’s text', () => {
    const overdue = section(n).map((s) => s.advisory);
    const { text } = reviewReminder(overdue, { overdue: n, reviewWithinDays: 7 }, Array.from({ length: 30 }, (_, i) => `U0LEAD${i}`));
    expect(text.length).toBeLessThanOrEqual(LIMITS.messageText);
    expect(text.split('\n').filter((l) => l.startsWith('• '))).toHaveLength(Math.min(n, 10));
    if (n > 10) expect(text).toContain(`…and ${n - 10} more.`);
  });

  it('the advisories CSV has one row per advisory, each with its status', () => {
    const rows = parseCsv(advisoriesCsv(section(n), 7, now));
    expect(rows[0]).toEqual([...ADVISORY_CSV_HEADER]);
    expect(rows).toHaveLength(n + 1);
    expect(new Set(rows.slice(1).map((r) => r[8]))).toEqual(new Set(['reviewed', 'linked', 'baseline', 'awaiting review', 'overdue'].slice(0, Math.min(n, 5))));
  });

  it('/patch sync’s message, with a line per source and per feed (the policy allows 20 feeds), is within the limits', () => {
    const feeds = Math.min(n, 20);
    const progress = [
      ...(['github', 'snyk', 'ssm'] as const).map((source) => ({ source, state: 'running' as const, done: 12_000, total: 50_000, unit: 'alerts' })),
      ...Array.from({ length: feeds }, (_, i) => ({ source: 'advisories' as const, feed: long(`Feed ${i}`).slice(0, 100), state: 'done' as const, done: 1000, total: 10_000, unit: 'advisories', note: '20 new, 980 recorded as the baseline' })),
    ];
    const message = syncProgressMessage(progress, 'U0LEAD');
    expect(validateMessageBlocks(message.blocks)).toEqual([]);
    expect(JSON.stringify(message.blocks).match(/\(advisory feed\)/g)).toHaveLength(feeds);
    const summary = syncSummaryMessage(feedReport(feeds), 'U0LEAD', ctx.timeZone);
    expect(validateMessageBlocks(summary.blocks)).toEqual([]);
    expect(JSON.stringify(summary.blocks).match(/\(advisory feed\)/g)).toHaveLength(feeds);
  });
});
