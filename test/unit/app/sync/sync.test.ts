/** The sync use case over hand-written source fakes and a real SQLite store: grouping, idempotence, upstream changes. */
import { SYNC_CURSORS, SYNC_RUNS, type SyncProgress, type SyncReport } from '../../../../src/app/sync/report.js';
import type { Store, VulnerabilitySource } from '../../../../src/app/ports.js';
import { createSync } from '../../../../src/app/sync/sync.js';
import { DEFAULT_SLA } from '../../../../src/domain/sla.js';
import { createLogger } from '../../../../src/logger.js';
import { progress } from '../../../support/port-fakes.js';
import { tempStore, type TempStore } from '../../../support/temp-store.js';
import { box2, estate, F, githubPages, groups, PATCH_KEY, repo, snykPages, ssmPages, type Estate } from './sync-fixtures.js';

describe('sync', () => {
  let temp: TempStore;
  let e: Estate;
  beforeEach(async () => {
    temp = await tempStore();
    e = estate(temp.store);
  });
  afterEach(() => temp.dispose());

  const auditCount = async () => (await temp.store.audit.head())?.seq ?? 0;

  it('stores every asset and finding and groups them: one package in one repo across sources, one patch run per environment', async () => {
    const report = await e.sync()();
    expect(report.status).toBe('ok');
    expect(await groups(temp.store)).toEqual([
      [['github:acme/api:alert:1', 'snyk:issue-1'], 'new', 'critical', '2026-10-27T00:00:00.000Z'],
      [['github:acme/api:alert:2', 'snyk:issue-2'], 'new', 'medium', '2027-01-18T00:00:00.000Z'],
      // high is due in 30 days, but KB2's CVE is on CISA's KEV catalogue, due 5 November.
      [['ssm:i-1:KB1', 'ssm:i-2:KB1', 'ssm:i-2:KB2'], 'new', 'high', '2026-11-05T00:00:00.000Z'],
    ]);
    const lodash = (await temp.store.findings.get(F.lodashGh.id))!;
    const r = (await temp.store.remediations.get(lodash.remediationId!))!;
    expect(r).toMatchObject({ title: 'Upgrade lodash to 4.17.21 in acme/api', owner: 'U0OWNER', cves: ['CVE-2026-0001'], sourceSeverity: 'critical' });
    expect(lodash).toMatchObject({ epss: 0.97, kevDueAt: null });
    const patchRun = (await temp.store.remediations.list()).find((x) => x.key === PATCH_KEY)!;
    expect(patchRun).toMatchObject({ kevDueAt: '2026-11-05T00:00:00.000Z', owner: null, title: 'Install KB1, KB2 on production Amazon Linux (2 instances)' });
    // Closed when first seen: history, not work.
    expect(await temp.store.findings.get(F.axiosFixed.id)).toMatchObject({ state: 'fixed', remediationId: null });
    expect(await temp.store.assets.list()).toHaveLength(4);
    expect(report.sources.map((s) => [s.source, s.status, s.counts.findingsNew])).toEqual([['github', 'ok', 3], ['snyk', 'ok', 2], ['ssm', 'ok', 3]]);
    expect(report.remediations.created).toBe(3);
  });

  it('a remediation with a message in the channel owes its update when the sync closes it, recorded with the change', async () => {
    await e.sync()();
    const id = (await temp.store.findings.get(F.lodashGh.id))!.remediationId!;
    const quiet = (await temp.store.findings.get(F.minimistGh.id))!.remediationId!;
    for (const r of [id, quiet]) {
      const stored = (await temp.store.remediations.get(r))!;
      await temp.store.remediations.update({ ...stored, message: { channel: 'C0PATCHES', ts: '1.1' } }, stored.version, []);
    }
    e.github.setPages(githubPages([{ ...F.lodashGh, state: 'fixed', fixedAt: '2026-11-02T08:00:00.000Z' }, F.minimistGh, F.axiosFixed]));
    e.snyk.setPages(snykPages([{ ...F.lodashSnyk, state: 'fixed', fixedAt: '2026-11-02T08:00:00.000Z' }, F.minimistSnyk]));
    await e.sync()();
    expect((await temp.store.outbox.list()).map((x) => [x.kind, x.subject])).toEqual([['remediation.message', id]]);
    const [closed] = (await temp.store.audit.bySubject(id)).filter((x) => x.action === 'remediation.closed_upstream');
    expect((await temp.store.outbox.list())[0]!.seq).toBe(closed!.seq);
  });

  it('records each run (kv and one sync.completed event) and each source’s cursor', async () => {
    const report = await e.sync()({ requestedBy: 'U0LEAD' });
    expect(await temp.store.kv.get<SyncReport>(SYNC_RUNS, 'latest')).toEqual(report);
    expect(await temp.store.kv.get<SyncReport>(SYNC_RUNS, report.id)).toEqual(report);
    expect(await temp.store.kv.get(SYNC_RUNS, 'in-progress')).toBeNull();
    expect(await temp.store.kv.get(SYNC_CURSORS, 'github')).toEqual({ run: 1 });
    const [event] = await temp.store.audit.bySubject(report.id);
    expect(event).toMatchObject({ action: 'sync.completed', actor: 'system:sync', data: { status: 'ok', requestedBy: 'U0LEAD' } });
    await e.sync()();
    expect(e.github.cursors).toEqual([null, { run: 1 }]);
  });

  it('writes nothing on a second run over the same data but the run record', async () => {
    await e.sync()();
    const before = { audit: await auditCount(), remediations: await temp.store.remediations.list(), findings: await temp.store.findings.list() };
    e.clock.now = new Date('2026-11-02T15:00:00.000Z');
    const again = await e.sync()();
    expect(await auditCount()).toBe(before.audit + 1);
    expect(await temp.store.remediations.list()).toEqual(before.remediations);
    expect(await temp.store.findings.list()).toEqual(before.findings);
    expect(again.sources.map((s) => [s.counts.findingsNew, s.counts.findingsChanged, s.counts.assetsWritten])).toEqual([[0, 0, 0], [0, 0, 0], [0, 0, 0]]);
    expect(again.remediations).toEqual({ created: 0, updated: 0, closed: 0, reopened: 0, dismissed: 0 });
  });

  it('closes a remediation whose findings were all fixed upstream, keeps one with a finding still open', async () => {
    await e.sync()();
    e.clock.now = new Date('2026-11-03T09:00:00.000Z');
    e.github.setPages(githubPages([{ ...F.lodashGh, state: 'fixed', fixedAt: '2026-11-03T08:00:00.000Z' }, F.minimistGh, F.axiosFixed]));
    e.snyk.setPages(snykPages([{ ...F.lodashSnyk, state: 'fixed', fixedAt: null }, { ...F.minimistSnyk, state: 'dismissed', dismissedAt: '2026-11-03T07:00:00.000Z' }]));
    const report = await e.sync()();
    const lodash = (await temp.store.remediations.get((await temp.store.findings.get(F.lodashGh.id))!.remediationId!))!;
    expect(lodash).toMatchObject({ state: 'verified', resolution: 'fixed_upstream', closedAt: '2026-11-03T09:00:00.000Z' });
    // Snyk said fixed without a date: fixed when we saw it.
    expect(await temp.store.findings.get(F.lodashSnyk.id)).toMatchObject({ state: 'fixed', fixedAt: '2026-11-03T09:00:00.000Z' });
    const minimist = (await temp.store.remediations.get((await temp.store.findings.get(F.minimistGh.id))!.remediationId!))!;
    expect(minimist.state).toBe('new');
    expect(report.remediations).toMatchObject({ closed: 1 });
    expect((await temp.store.audit.bySubject(lodash.id)).map((x) => x.action)).toEqual(['remediation.created', 'remediation.updated', 'remediation.closed_upstream']);
    expect((await temp.store.audit.bySubject(F.lodashGh.id)).map((x) => x.action)).toEqual(['finding.detected', 'finding.fixed']);
  });

  it('holds for a lead when every finding was dismissed at the source (who and why kept), open and due as before; a finding back open withdraws it', async () => {
    await e.sync()();
    const id = (await temp.store.findings.get(F.minimistGh.id))!.remediationId!;
    const before = (await temp.store.remediations.get(id))!;
    const ghDismissal = { by: 'octocat', reason: 'tolerable_risk', comment: 'Only reachable from the VPN' };
    e.github.setPages(githubPages([F.lodashGh, { ...F.minimistGh, state: 'dismissed', dismissedAt: '2026-11-03T07:00:00.000Z', dismissal: ghDismissal }, F.axiosFixed]));
    e.snyk.setPages(snykPages([F.lodashSnyk, { ...F.minimistSnyk, state: 'dismissed', dismissedAt: '2026-11-03T07:30:00.000Z', dismissal: { by: null, reason: 'ignored', comment: null } }]));
    e.clock.now = new Date('2026-11-03T09:00:00.000Z');
    const held = await e.sync()();
    const r = (await temp.store.remediations.get(id))!;
    expect(r).toMatchObject({ state: 'dismissal_review', closedAt: null, resolution: null, dueAt: before.dueAt });
    expect(r.upstreamDismissal).toEqual({
      at: '2026-11-03T09:00:00.000Z', stateBefore: 'new', decision: null,
      findings: expect.arrayContaining([
        { findingId: F.minimistGh.id, source: 'github', dismissedAt: '2026-11-03T07:00:00.000Z', ...ghDismissal },
        { findingId: F.minimistSnyk.id, source: 'snyk', dismissedAt: '2026-11-03T07:30:00.000Z', by: null, reason: 'ignored', comment: null },
      ]),
    });
    expect(held.remediations).toMatchObject({ closed: 0, dismissed: 1 });
    expect((await temp.store.audit.bySubject(id)).map((x) => x.action).at(-1)).toBe('remediation.dismissed_upstream');

    // The same data again: still held, nothing written.
    e.clock.now = new Date('2026-11-03T15:00:00.000Z');
    expect((await e.sync()()).remediations).toMatchObject({ dismissed: 0, reopened: 0 });

    e.github.setPages(githubPages());
    e.clock.now = new Date('2026-11-04T09:00:00.000Z');
    const report = await e.sync()();
    expect(await temp.store.remediations.get(id)).toMatchObject({ state: 'new', closedAt: null, dueAt: before.dueAt, upstreamDismissal: { decision: { outcome: 'withdrawn', by: 'system:sync' } } });
    expect(report.remediations.reopened).toBe(1);
  });

  it('some findings fixed and the rest dismissed: still a dismissal for a lead, not a fix', async () => {
    await e.sync()();
    const id = (await temp.store.findings.get(F.minimistGh.id))!.remediationId!;
    e.github.setPages(githubPages([F.lodashGh, { ...F.minimistGh, state: 'fixed', fixedAt: '2026-11-03T07:00:00.000Z' }, F.axiosFixed]));
    e.snyk.setPages(snykPages([F.lodashSnyk, { ...F.minimistSnyk, state: 'dismissed', dismissedAt: '2026-11-03T07:30:00.000Z' }]));
    e.clock.now = new Date('2026-11-03T09:00:00.000Z');
    await e.sync()();
    expect(await temp.store.remediations.get(id)).toMatchObject({ state: 'dismissal_review', upstreamDismissal: { findings: [{ findingId: F.minimistSnyk.id }] } });
  });

  it('puts a new finding of a group whose remediation closed into the next generation, key#2', async () => {
    e.ssm.setPages(ssmPages([F.kb1a]));
    e.github.setPages([]);
    e.snyk.setPages([]);
    await e.sync()();
    e.ssm.setPages(ssmPages([]));
    await e.sync()();
    expect((await temp.store.remediations.getByKey(PATCH_KEY))!.state).toBe('verified');
    e.ssm.setPages(ssmPages([F.kb2]));
    await e.sync()();
    const second = (await temp.store.remediations.getByKey(`${PATCH_KEY}#2`))!;
    expect(second).toMatchObject({ state: 'new', findingIds: [F.kb2.id] });
  });

  it('marks open findings a complete scan no longer reports as fixed', async () => {
    await e.sync()();
    e.ssm.setPages(ssmPages([F.kb1a, F.kb1b]));
    e.clock.now = new Date('2026-11-05T09:00:00.000Z');
    const report = await e.sync()();
    expect(await temp.store.findings.get(F.kb2.id)).toMatchObject({ state: 'fixed', fixedAt: '2026-11-05T09:00:00.000Z' });
    expect(report.sources.find((s) => s.source === 'ssm')!.counts.findingsClosed).toBe(1);
    // KB2 was the KEV-listed high one: the patch run is now medium, due 90 days after detection.
    const run = (await temp.store.remediations.getByKey(PATCH_KEY))!;
    expect(run).toMatchObject({ state: 'new', severity: 'medium', kevDueAt: null, dueAt: '2027-01-18T00:00:00.000Z' });
    expect(run.findingIds).toContain(F.kb2.id);
  });

  it('moves due dates when the KEV catalogue gains a CVE, even for findings no source reports again', async () => {
    await e.sync()();
    e.github.setPages([]);
    e.snyk.setPages([]);
    e.ssm.setPages([]);
    e.feeds.kev.set('CVE-2026-0002', '2026-11-10');
    const report = await e.sync()();
    expect(report.kevUpdated).toBe(2);
    expect(await temp.store.findings.get(F.minimistSnyk.id)).toMatchObject({ kevDueAt: '2026-11-10T00:00:00.000Z' });
    const r = (await temp.store.remediations.get((await temp.store.findings.get(F.minimistGh.id))!.remediationId!))!;
    expect(r).toMatchObject({ kevDueAt: '2026-11-10T00:00:00.000Z', dueAt: '2026-11-10T00:00:00.000Z' });
    expect((await e.sync()()).kevUpdated).toBe(0);
  });

  it('keeps a lead’s assessment: severity stays theirs, and a concurrent write is retried over the new version', async () => {
    await e.sync()();
    const id = (await temp.store.findings.get(F.minimistGh.id))!.remediationId!;
    const r = (await temp.store.remediations.get(id))!;
    const assessment = { by: 'U0LEAD', at: '2026-11-02T10:00:00.000Z', severity: 'critical' as const, kevListed: false, epss: null, knownExploit: false, businessImpact: 'high' as const, rationale: 'internet-facing', owner: 'U0LEAD', dueAt: '2026-10-27T00:00:00.000Z' };
    // The lead's write lands between the sync's read and its write (a version bump it has not seen).
    const repo = temp.store.remediations;
    const inner = repo.updateMany!.bind(repo);
    let raced = false;
    repo.updateMany = async (items) => {
      if (!raced && items.some((i) => i.next.id === id)) {
        raced = true;
        const current = (await repo.get(id))!;
        await repo.update({ ...current, state: 'assessed', severity: 'critical', assessment }, current.version, []);
      }
      return inner(items);
    };
    e.github.setPages(githubPages([F.lodashGh, { ...F.minimistGh, severity: 'high' }, F.axiosFixed]));
    await e.sync()();
    const after = (await temp.store.remediations.get(id))!;
    expect(after).toMatchObject({ state: 'assessed', severity: 'critical', sourceSeverity: 'high', version: r.version + 2, assessment });
  });

  it('reports each source’s progress, then done', async () => {
    const seen: SyncProgress[] = [];
    await e.sync()({ onProgress: (p) => seen.push(p) });
    const ssm = seen.filter((p) => p.source === 'ssm');
    expect(ssm.map((p) => [p.state, p.done, p.unit])).toEqual([['running', 0, 'items'], ['running', 1, 'instances'], ['running', 2, 'instances'], ['done', 2, 'instances']]);
  });

  it('syncs only the sources asked for', async () => {
    const report = await e.sync()({ only: ['ssm'] });
    expect(report.sources.map((s) => s.source)).toEqual(['ssm']);
    expect(await temp.store.findings.count()).toBe(3);
  });

  it('leaves a closed remediation in a deployment alone until it ends, and verifies a deployed one when its findings are fixed', async () => {
    await e.sync()();
    const run = (await temp.store.remediations.getByKey(PATCH_KEY))!;
    const deployed = { ...run, state: 'deployed' as const };
    await temp.store.remediations.update(deployed, run.version, []);
    e.ssm.setPages(ssmPages([]));
    await e.sync()();
    expect(await temp.store.remediations.get(run.id)).toMatchObject({ state: 'verified', resolution: 'deployed' });
  });

  it('does not close a remediation mid-deployment', async () => {
    await e.sync()();
    const run = (await temp.store.remediations.getByKey(PATCH_KEY))!;
    await temp.store.remediations.update({ ...run, state: 'deploying' }, run.version, []);
    e.ssm.setPages(ssmPages([]));
    await e.sync()();
    expect(await temp.store.remediations.get(run.id)).toMatchObject({ state: 'deploying' });
    expect(await temp.store.findings.get(F.kb2.id)).toMatchObject({ state: 'fixed' });
  });

  it('records a lead as the one who asked, the sync as the actor of every change', async () => {
    await e.sync()({ requestedBy: 'U0LEAD' });
    const events = await temp.store.audit.read(1, 1000);
    expect(new Set(events.map((x) => x.actor))).toEqual(new Set(['system:sync']));
    expect(events.filter((x) => x.subject === box2.id).map((x) => x.action)).toEqual(['asset.discovered']);
  });

  it('reads on while a page is being written: the next page sees it, so a record on both is detected once', async () => {
    let commitSent!: () => void;
    const sent = new Promise<void>((r) => (commitSent = r));
    let secondReadDone!: () => void;
    const secondRead = new Promise<void>((r) => (secondReadDone = r));
    let reads = 0;
    // The first commit is held until the second page has read the store, as a writer thread busy elsewhere would.
    const slow: Store = {
      ...temp.store,
      findings: {
        ...temp.store.findings,
        getMany: async (ids) => {
          if (ids.includes(F.lodashGh.id) && (reads += 1) === 2) secondReadDone();
          return temp.store.findings.getMany(ids);
        },
      },
      commit: async (change) => {
        commitSent();
        await secondRead;
        return temp.store.commit(change);
      },
    };
    const github: VulnerabilitySource = {
      name: 'github',
      run: () => ({
        cursor: () => ({ run: 1 }),
        pages: (async function* () {
          yield { assets: [repo], findings: [F.lodashGh], progress: progress(1, 'alerts') };
          await sent;
          yield { findings: [{ ...F.lodashGh, severity: 'critical' as const }], progress: progress(2, 'alerts') };
        })(),
      }),
    };
    const report = await createSync({ store: slow, sources: [github], feeds: e.feeds, sla: DEFAULT_SLA, now: () => e.clock.now, logger: createLogger('silent') })();
    expect(report.status).toBe('ok');
    expect(reads).toBe(2);
    const events = (await temp.store.audit.bySubject(F.lodashGh.id)).map((x) => x.action);
    expect(events).toEqual(['finding.detected', 'finding.changed']);
    expect(await temp.store.findings.get(F.lodashGh.id)).toMatchObject({ severity: 'critical' });
    expect(report.sources[0]!.counts).toMatchObject({ findingsNew: 1, findingsChanged: 1 });
  });
});
