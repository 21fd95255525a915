/**
 * The sync end to end: the real GitHub, Snyk, SSM, KEV and EPSS adapters (octokit, axios, the AWS SDK) against the
 * fakes serving small(), into a real SQLite store; the result checked against what the population says it must be.
 */
import { SMALL_EXPECTED, SMALL_FACTS, small } from '../support/population/presets.js';
import { expectConsistent } from '../support/port-fakes.js';
import { actualOf, expectedOf } from './sync-oracle.js';
import { syncWorld, type SyncWorld } from './sync-support.js';

describe('sync of the small population', () => {
  let w: SyncWorld;
  beforeEach(async () => {
    w = await syncWorld(small());
  });
  afterEach(() => w.close());

  const head = async () => (await w.store.audit.head())?.seq ?? 0;
  const remediationOf = async (findingId: string) => {
    const f = await w.store.findings.get(findingId);
    return f?.remediationId ? w.store.remediations.get(f.remediationId) : null;
  };

  it('ends with exactly the expected assets, findings and remediations', async () => {
    const report = await w.sync()();
    expect(report.status).toBe('ok');
    const expected = expectedOf(w.population);
    const actual = await actualOf(w.store);
    expect(actual.assets).toEqual(expected.assets);
    expect(actual.assets).toHaveLength(SMALL_EXPECTED.github.repos + SMALL_EXPECTED.snyk.projects + SMALL_EXPECTED.ssm.instances);
    expect(actual.findings).toEqual(expected.findings);
    expect(actual.findings.size).toBe(SMALL_EXPECTED.github.alerts + SMALL_EXPECTED.snyk.issues + SMALL_EXPECTED.ssm.missingPatches + SMALL_EXPECTED.ssm.failedPatches);
    expect(actual.groups).toEqual(expected.groups);
    for (const f of await w.store.findings.list()) expect(f.remediationId === null).toBe(f.state !== 'open');
    await expectConsistent(w.store);
  });

  it('merges the Dependabot alert and the Snyk issue of one CVE on one repository into ONE remediation, at the higher severity, due by KEV', async () => {
    await w.sync()();
    const [lodash] = SMALL_FACTS.overlaps;
    const alertId = `github:${lodash.repo}:alert:${lodash.alertNumber}`;
    const issue = w.population.snyk.issues.find((i) => i.overlapsDependabot && i.project.repo?.fullName === lodash.repo)!;
    const r = (await remediationOf(alertId))!;
    expect(r.findingIds).toEqual([alertId, `snyk:${issue.id}`].sort());
    expect(r).toMatchObject({ key: `repo:${lodash.repo}|npm:${lodash.package}`, cves: [lodash.cve], severity: 'critical', state: 'new' });
    const kev = w.population.kev.entries.find((e) => e.cveID === lodash.cve)!;
    expect(r.kevDueAt).toBe(`${kev.dueDate}T00:00:00.000Z`);
    const detected = [...r.findingIds].map((id) => w.population.github.alerts.find((a) => `github:${a.repo.fullName}:alert:${a.number}` === id)?.createdAt ?? issue.createdAt).sort()[0]!;
    const sla = new Date(Date.parse(detected) + 7 * 86_400_000).toISOString();
    expect(r.dueAt).toBe(sla < r.kevDueAt! ? sla : r.kevDueAt);
    // The KEV-listed missing patch pulls its patch run's due date in too.
    const { kbId, cve } = SMALL_FACTS.kevListedMissingPatch;
    const patchRun = (await w.store.remediations.list()).find((x) => x.remedy.kind === 'os_patches' && x.findingIds.some((id) => id.endsWith(`:${kbId}`)))!;
    expect(patchRun.cves).toContain(cve);
    expect(patchRun.kevDueAt).toBe(`${w.population.kev.entries.find((e) => e.cveID === cve)!.dueDate}T00:00:00.000Z`);
  });

  it('adds nothing on a second sync: the audit log grows by the run record alone', async () => {
    await w.sync()();
    const before = { seq: await head(), remediations: await w.store.remediations.list(), findings: await w.store.findings.list(), assets: await w.store.assets.list() };
    w.clock.now = new Date(Date.parse(w.population.now) + 6 * 3_600_000);
    const report = await w.sync()();
    expect(report.status).toBe('ok');
    expect(await head()).toBe(before.seq + 1);
    expect((await w.store.audit.read(before.seq + 1, 10)).map((e) => e.action)).toEqual(['sync.completed']);
    expect(await w.store.remediations.list()).toEqual(before.remediations);
    expect(await w.store.findings.list()).toEqual(before.findings);
    expect(await w.store.assets.list()).toEqual(before.assets);
  });

  it('reflects an alert fixed upstream on the next sync: the finding fixed, its remediation closed when it was its only open finding', async () => {
    await w.sync()();
    const remediations = await w.store.remediations.list();
    const lone = remediations.find((r) => r.findingIds.length === 1 && r.findingIds[0]!.startsWith('github:'))!;
    const shared = (await remediationOf(`github:${SMALL_FACTS.overlaps[0].repo}:alert:${SMALL_FACTS.overlaps[0].alertNumber}`))!;
    const [, repo, n] = /^github:(.+):alert:(\d+)$/.exec(lone.findingIds[0]!)!;
    const at = new Date(Date.parse(w.population.now) + 3_600_000).toISOString();
    w.fakes.github.updateAlert(repo!, Number(n), { state: 'fixed', at });
    w.fakes.github.updateAlert(SMALL_FACTS.overlaps[0].repo, SMALL_FACTS.overlaps[0].alertNumber, { state: 'fixed', at });
    w.clock.now = new Date(Date.parse(w.population.now) + 2 * 3_600_000);
    const report = await w.sync()();

    expect(await w.store.findings.get(lone.findingIds[0]!)).toMatchObject({ state: 'fixed', fixedAt: at });
    expect(await w.store.remediations.get(lone.id)).toMatchObject({ state: 'verified', resolution: 'fixed_upstream', closedAt: w.clock.now.toISOString() });
    // The Snyk issue of the same CVE is still open: that remediation stays open.
    expect(await w.store.remediations.get(shared.id)).toMatchObject({ state: 'new' });
    expect(report.sources.find((s) => s.source === 'github')!.counts).toMatchObject({ findingsChanged: 2, findingsClosed: 2, findingsNew: 0 });
    expect(report.remediations).toMatchObject({ closed: 1, created: 0 });
    expect((await w.store.audit.bySubject(lone.id)).map((e) => e.action)).toEqual(['remediation.created', 'remediation.closed_upstream']);
  });
});
