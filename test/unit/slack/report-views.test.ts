/**
 * Every message the reports and the digest build stays within Slack's limits (validateMessageBlocks: 50 blocks,
 * 3,000 characters per text, …) for 1, 60 and 500 open remediations, long titles, many owners and a long audit trail.
 */
import type { AuditEvent } from '../../../src/app/audit.js';
import { selectDigest } from '../../../src/app/reports/digest.js';
import { buildInventoryReport } from '../../../src/app/reports/inventory-report.js';
import { LIST_PAGE_SIZE } from '../../../src/app/reports/list-remediations.js';
import { closedStats, ownerOrder, type StatusReport } from '../../../src/app/reports/status-report.js';
import type { Remediation } from '../../../src/domain/remediation.js';
import { SEVERITIES } from '../../../src/domain/severity.js';
import { DEFAULT_SLA } from '../../../src/domain/sla.js';
import { addDays, instant } from '../../../src/domain/time.js';
import { anchorMessage, digestPages, digestSummary } from '../../../src/slack/views/digest.js';
import { helpMessage } from '../../../src/slack/views/help.js';
import { inventoryMessage } from '../../../src/slack/views/inventory.js';
import { listMessage } from '../../../src/slack/views/list.js';
import { statusMessage } from '../../../src/slack/views/status.js';
import { timelineMessage } from '../../../src/slack/views/timeline.js';
import { aFinding, anAsset, aRemediation, aTest } from '../../support/builders.js';
import { validateMessageBlocks } from '../../support/slack/block-kit-limits.js';

const now = new Date('2026-11-02T09:00:00.000Z');
const ctx = { now, timeZone: 'Europe/Berlin', sla: DEFAULT_SLA };
const long = (s: string) => `${s} ${'<&> very-long-package-name/with/a/path '.repeat(20)}`;

function population(n: number): Remediation[] {
  return Array.from({ length: n }, (_, i) =>
    aRemediation({
      id: `PW-${i + 1}`,
      title: long(`Upgrade package ${i}`),
      severity: SEVERITIES[i % 4]!,
      dueAt: instant(addDays(now, (i % 60) - 30)),
      owner: i % 7 === 0 ? null : `U0OWNER${i % 97}`,
    }),
  );
}

function statusOf(rs: Remediation[]): StatusReport {
  const overdue = rs.filter((r) => r.dueAt < instant(now));
  const soon = rs.filter((r) => r.dueAt >= instant(now) && r.dueAt < instant(addDays(now, 7)));
  const assets = rs.map((r, i) => anAsset({ id: `a-${i}`, name: long(`asset-${i}`), owner: null, lastScannedAt: null, attributes: { pingStatus: 'ConnectionLost', dependabotDisabled: true }, source: i % 2 ? 'ssm' : 'github' }));
  return {
    at: instant(now),
    open: { total: rs.length, bySeverity: { critical: 1, high: 2, medium: 3, low: 4 }, byState: [{ state: 'new', count: rs.length }], dismissalReview: 0 },
    overdue: { count: overdue.length, byOwner: ownerOrder([...new Set(overdue.map((r) => r.owner))].map((owner) => ({ owner, count: overdue.filter((r) => r.owner === owner).length }))), oldest: overdue.slice(0, 10) },
    dueSoon: { days: 7, count: soon.length, soonest: soon.slice(0, 10) },
    ...closedStats([], 90),
    nextWindow: { windowId: 'w', windowName: 'Production, Saturday 22:00', startsAt: instant(now), endsAt: instant(addDays(now, 1)) },
    coverage: buildInventoryReport(assets, new Map(assets.map((a) => [a.id, 3])), 30, now),
    // Every remediation an emergency change awaiting approval: the worst case for the message's size.
    emergencies: { count: rs.length, overdue: Math.floor(rs.length / 2), oldest: rs.slice(0, 10).map((r, i) => ({ remediationId: r.id, by: 'U0LEAD', at: instant(now), approvalDueAt: instant(addDays(now, i % 2 ? 1 : -1)), overdue: i % 2 === 0 })) },
  };
}

const trail = (id: string, n: number): AuditEvent[] =>
  Array.from({ length: n }, (_, i) => ({ seq: i + 1, at: instant(now), actor: `U0PERSON${i % 13}`, action: 'remediation.assessed', subject: id, data: { from: 'new', to: 'assessed', rationale: long(`reason ${i}`) }, prevHash: '0'.repeat(64), hash: 'f'.repeat(64) }));

describe.each([1, 60, 500])('with %i open remediations', (n) => {
  const rs = population(n);

  it('status is within the limits', () => {
    expect(validateMessageBlocks(statusMessage(statusOf(rs), ctx).blocks)).toEqual([]);
  });

  it('every list page is within the limits', () => {
    const pages = Math.ceil(n / LIST_PAGE_SIZE);
    for (let page = 1; page <= pages; page += 1) {
      const items = rs.slice((page - 1) * LIST_PAGE_SIZE, page * LIST_PAGE_SIZE);
      const m = listMessage({ request: { words: ['overdue', 'high'], page }, items, total: n, pageSize: LIST_PAGE_SIZE, pages }, ctx);
      expect(validateMessageBlocks(m.blocks)).toEqual([]);
    }
  });

  it('inventory is within the limits', () => {
    expect(validateMessageBlocks(inventoryMessage(statusOf(rs).coverage, 'Europe/Berlin').blocks)).toEqual([]);
  });

  it('the digest summary and every page of its complete list are within the limits', () => {
    const content = selectDigest({ open: rs, fresh: rs, coverage: statusOf(rs).coverage, since: null }, now, 'Europe/Berlin');
    const summary = digestSummary(content, ctx);
    expect(validateMessageBlocks(summary.blocks)).toEqual([]);
    expect(summary.cut).toBe(n > 10);
    const pages = digestPages(content, ctx);
    for (const page of pages) expect(validateMessageBlocks(page.blocks)).toEqual([]);
    const listed = pages.flatMap((p) => JSON.stringify(p.blocks).match(/\*PW-\d+\*/g) ?? []);
    expect(listed).toHaveLength(n);
  });

  it('the timeline, with a long trail and a heavy record, is within the limits', () => {
    const r = aRemediation({
      title: long('Upgrade'),
      tests: Array.from({ length: 12 }, () => aTest({ notes: long('notes'), files: Array.from({ length: 10 }, (_, i) => ({ sha256: 'a'.repeat(64), size: 1, name: long(`shot-${i}.png`), mimeType: 'image/png', slackFileId: null })) })),
      decisions: Array.from({ length: 30 }, (_, i) => ({ decision: 'rejected' as const, by: 'U1', at: instant(now), reason: long(`no ${i}`), changeTicket: long('CHG') })),
    });
    const findings = Array.from({ length: n }, (_, i) => aFinding({ id: `github:acme/api:alert:${i}`, title: long('title'), package: long('pkg'), manifest: long('manifest'), url: `https://github.com/${long('x')}`, cves: Array.from({ length: 9 }, (_, k) => `CVE-2026-${k}${i}`) }));
    const detail = { remediation: r, findings, assets: new Map() };
    expect(validateMessageBlocks(timelineMessage({ remediation: r, events: trail(r.id, n * 4), detail }, ctx).blocks)).toEqual([]);
  });
});

it('help and the audit anchor are within the limits', () => {
  const entries = Array.from({ length: 12 }, (_, i) => ({ usage: `cmd-${i} [a|b|c]`, summary: long('does things') }));
  expect(validateMessageBlocks(helpMessage('/patch', entries, { unknown: long('x'), hasRole: false }).blocks)).toEqual([]);
  expect(validateMessageBlocks(anchorMessage({ seq: 123456, hash: 'ab'.repeat(32) }).blocks)).toEqual([]);
  expect(validateMessageBlocks(anchorMessage(null).blocks)).toEqual([]);
});
