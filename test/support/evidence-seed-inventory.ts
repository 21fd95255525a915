/**
 * The inventory side of the seeded month: assets with each kind of coverage gap, Snyk issues open, resolved and
 * outside November, and the sync runs of November (Snyk failing once), written as the sync commits them.
 */
import type { Store } from '../../src/app/ports.js';
import type { Advisory, AdvisoryReview } from '../../src/domain/advisory.js';
import { SYSTEM_ID } from '../../src/domain/roles.js';
import { aFinding, anAsset } from './builders.js';

export const SEED_INVENTORY = {
  /** Time-independent gaps (the stale-scan gap also depends on when the pack is made). */
  lostAgent: ['ssm:i-0abc000000000003'],
  dependabotDisabled: ['github:acme/legacy'],
  unowned: ['snyk:project:0f4c1d2e'],
  staleScan: ['snyk:project:0f4c1d2e'],
  /** Snyk issues open at some moment of November: the open one and the one resolved in it. */
  snykRows: [{ issue: 'b8f1-open', status: 'open' }, { issue: 'b8f2-resolved', status: 'resolved' }],
  /** Advisories of November, in the order first read, with their review and whether it was late. */
  advisories: [['adv-0ct-open', 'not_applicable', 'no'], ['adv-base', 'baseline', 'no'], ['adv-in-time', 'not_applicable', 'no'], ['adv-late', 'not_applicable', 'yes'], ['adv-cve', 'covered_by_cve', 'no'], ['adv-waiting', 'awaiting_review', 'yes']],
} as const;

export async function seedInventory(store: Store, at: Date): Promise<void> {
  const seen = at.toISOString();
  const project = 'snyk:project:0f4c1d2e';
  const assets = [
    anAsset({ id: 'github:acme/api', name: 'acme/api', lastScannedAt: seen, lastSeenAt: seen }),
    anAsset({ id: 'github:acme/legacy', name: 'acme/legacy', lastScannedAt: seen, lastSeenAt: seen, attributes: { dependabotDisabled: true } }),
    anAsset({ id: 'ssm:i-0abc000000000001', name: 'web-1', kind: 'instance', source: 'ssm', lastScannedAt: seen, lastSeenAt: seen, attributes: { pingStatus: 'Online' } }),
    anAsset({ id: 'ssm:i-0abc000000000003', name: 'batch-1', kind: 'instance', source: 'ssm', lastScannedAt: seen, lastSeenAt: seen, attributes: { pingStatus: 'ConnectionLost' } }),
    anAsset({ id: project, name: 'acme/api:package.json', kind: 'application', source: 'snyk', owner: null, lastScannedAt: '2026-09-01T00:00:00.000Z', lastSeenAt: seen }),
  ];
  const snyk = (id: string, detectedAt: string, fixedAt: string | null) =>
    aFinding({ id: `snyk:${id}`, source: 'snyk', assetId: project, title: `Issue ${id}`, package: 'express', detectedAt, fixedAt, state: fixedAt ? 'fixed' : 'open', url: `https://app.snyk.io/issue/${id}` });
  const findings = [
    aFinding({ assetId: 'github:acme/api', detectedAt: '2026-11-01T09:00:00.000Z' }),
    snyk('b8f1-open', '2026-11-02T09:00:00.000Z', null),
    snyk('b8f2-resolved', '2026-10-02T09:00:00.000Z', '2026-11-10T09:00:00.000Z'),
    snyk('b8f3-old', '2026-09-02T09:00:00.000Z', '2026-10-01T09:00:00.000Z'),
    snyk('b8f4-late', '2026-12-02T09:00:00.000Z', null),
  ];
  const run = (day: string, snykOk: boolean) => ({
    at: `${day}T06:00:00.000Z`, actor: SYSTEM_ID.sync, action: 'sync.completed' as const, subject: `sync:${day}T06:00:00.000Z`,
    data: { sources: [{ source: 'github', status: 'ok', error: null }, { source: 'snyk', status: snykOk ? 'ok' : 'failed', error: snykOk ? null : 'snyk: 401 Unauthorized' }] },
  });
  await store.commit({ assets, findings, events: [run('2026-11-10', false), run('2026-11-20', true)] });
  await seedAdvisories(store);
}

const advisory = (id: string, firstSeenAt: string, cves: string[] = [], baseline = false): Advisory => ({
  id, feed: 'AWS Security Bulletins', itemKey: id, title: `Bulletin ${id}`, link: `https://aws.amazon.com/security/security-bulletins/${id}/`,
  summary: 'A bulletin.', cves, publishedAt: firstSeenAt, updatedAt: null, firstSeenAt, ...(baseline ? { baseline: true as const } : {}),
});

/**
 * Advisories of November: one read in October and reviewed in November (in time), one reviewed in time (not
 * applicable), one reviewed late (after its 7 days), one covered by a remediation sharing its CVE, one still awaiting
 * review past its deadline, one recorded as the feed's baseline; and three settled in October (reviewed, covered by a
 * CVE, the baseline), not November's.
 */
async function seedAdvisories(store: Store): Promise<void> {
  const at = (d: string) => `${d}T10:00:00.000Z`;
  await store.commit({
    advisories: [advisory('adv-0ct', at('2026-10-05')), advisory('adv-0ct-cve', at('2026-10-08'), ['CVE-2026-1011']), advisory('adv-0ct-base', at('2026-10-02'), [], true), advisory('adv-0ct-open', at('2026-10-29')), advisory('adv-base', at('2026-11-02'), [], true), advisory('adv-in-time', at('2026-11-03')), advisory('adv-late', at('2026-11-04')), advisory('adv-cve', at('2026-11-06'), ['CVE-2026-1011']), advisory('adv-waiting', at('2026-11-12'))],
    advisoryLinks: [{ advisoryId: 'adv-0ct-cve', remediationId: 'PW-11', via: 'cve', cves: ['CVE-2026-1011'], at: at('2026-10-08') }, { advisoryId: 'adv-cve', remediationId: 'PW-11', via: 'cve', cves: ['CVE-2026-1011'], at: at('2026-11-06') }],
    events: [],
  });
  const review = async (advisoryId: string, day: string) => {
    const r: AdvisoryReview = { advisoryId, decision: 'not_applicable', by: 'U0LEAD', at: at(day), reason: 'We run no such service.', remediationId: null };
    const done = await store.advisories.review(r, [{ at: r.at, actor: r.by, action: 'advisory.reviewed', subject: advisoryId, data: { decision: r.decision } }]);
    if (!done.ok) throw new Error(done.error.code);
  };
  await review('adv-0ct', '2026-10-06');
  await review('adv-0ct-open', '2026-11-02');
  await review('adv-in-time', '2026-11-05');
  await review('adv-late', '2026-11-20');
}
