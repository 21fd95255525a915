/** The sync when things go wrong: a source that fails, a feed that is down, a crash at each awkward moment. */
import { LeaseLost } from '../../../../src/app/errors.js';
import { SYNC_CURSORS, SYNC_RUNS } from '../../../../src/app/sync/report.js';
import { crashingStore, expectConsistent, type StoreCall } from '../../../support/port-fakes.js';
import { tempStore, type TempStore } from '../../../support/temp-store.js';
import { estate, F, githubPages, groups, snykPages, ssmPages, type Estate } from './sync-fixtures.js';

describe('sync failures', () => {
  let temp: TempStore;
  let clean: TempStore;
  let e: Estate;
  beforeEach(async () => {
    temp = await tempStore();
    clean = await tempStore();
    e = estate(temp.store);
  });
  afterEach(async () => {
    await temp.dispose();
    await clean.dispose();
  });

  /** What a run without trouble over the estate's current pages leaves. */
  const expected = async () => {
    await estate(clean.store).sync()();
    return groups(clean.store);
  };

  it('leaves the same store through an adapter without the remediation batches (one write each)', async () => {
    const plain = crashingStore(temp.store, () => false, { batches: false });
    await e.sync(plain.store)();
    expect(plain.calls).toContain('remediations.create');
    expect(plain.calls).not.toContain('remediations.createMany');
    expect(await groups(temp.store)).toEqual(await expected());
    await expectConsistent(temp.store);
  });

  it('records a source that fails mid-way as failed, keeps its whole pages, and lets the others finish', async () => {
    e.ssm.failOnce(new Error('ssm: ThrottlingException, retries exhausted'), 1);
    const report = await e.sync()();
    expect(report.status).toBe('partial');
    expect(report.sources.map((s) => [s.source, s.status, s.error])).toEqual([
      ['github', 'ok', null],
      ['snyk', 'ok', null],
      ['ssm', 'failed', 'ssm: ThrottlingException, retries exhausted'],
    ]);
    expect(report.sources[2]!.counts).toMatchObject({ pages: 1, findingsNew: 1 });
    expect(await temp.store.findings.get(F.kb1a.id)).toMatchObject({ state: 'open' });
    expect(await temp.store.kv.get(SYNC_CURSORS, 'ssm')).toBeNull();
    await expectConsistent(temp.store);

    const next = await e.sync()();
    expect(next.status).toBe('ok');
    expect(e.ssm.cursors).toEqual([null, null]);
    expect(await groups(temp.store)).toEqual(await expected());
  });

  it('fails only the source whose new remediations the store refused; no later page joins them', async () => {
    const repo = temp.store.remediations;
    const createMany = repo.createMany!.bind(repo);
    let refused = 0;
    repo.createMany = async (items) => {
      // Any batch creating the production patch run fails (as a full disk would, say).
      if (items.some((i) => i.remediation.findingIds.includes(F.kb1a.id))) {
        refused += 1;
        throw new Error('SQLITE_FULL: database or disk is full');
      }
      return createMany(items);
    };
    const report = await e.sync()();
    expect(refused).toBeGreaterThan(0);
    expect(report.sources.map((s) => [s.source, s.status, s.error])).toEqual([
      ['github', 'ok', null],
      ['snyk', 'ok', null],
      ['ssm', 'failed', 'SQLITE_FULL: database or disk is full'],
    ]);
    await expectConsistent(temp.store);
    repo.createMany = createMany;
    await e.sync()();
    await expectConsistent(temp.store);
    expect(await groups(temp.store)).toEqual(await expected());
  });

  it('reports every source failed when all are down, and still records the run', async () => {
    for (const s of [e.github, e.snyk, e.ssm]) s.failOnce(new Error(`${s.name} down`));
    const report = await e.sync()();
    expect(report.status).toBe('failed');
    expect((await temp.store.audit.bySubject(report.id)).map((x) => x.action)).toEqual(['sync.completed']);
  });

  it('goes on without KEV when its feed is down, keeping the due dates it had', async () => {
    await e.sync()();
    e.feeds.kevDown = true;
    e.ssm.setPages(ssmPages([F.kb1a, F.kb1b, { ...F.kb2, title: 'renamed' }]));
    const report = await e.sync()();
    expect(report.status).toBe('ok');
    expect(report.warnings).toEqual([expect.stringContaining('CISA KEV catalogue unavailable')]);
    expect(await temp.store.findings.get(F.kb2.id)).toMatchObject({ title: 'renamed', kevDueAt: '2026-11-05T00:00:00.000Z' });
  });

  const crashRun = async (when: (call: StoreCall, calls: readonly StoreCall[]) => boolean, batches = true): Promise<void> => {
    const crashing = crashingStore(temp.store, when, { batches });
    await expect(e.sync(crashing.store)()).rejects.toThrow('crashed');
    expect(crashing.crashed()).toBe(true);
  };

  it('finishes after a crash between creating a remediation and committing its findings', async () => {
    await crashRun((call, calls) => call === 'commit' && calls.includes('remediations.createMany'));
    expect(await temp.store.kv.get(SYNC_RUNS, 'in-progress')).toMatchObject({ fromSeq: 1 });
    const report = await e.sync()();
    expect(report.recovered).toBeGreaterThan(0);
    await expectConsistent(temp.store);
    expect(await groups(temp.store)).toEqual(await expected());
    expect(await temp.store.kv.get(SYNC_RUNS, 'in-progress')).toBeNull();
  });

  it('closes a remediation created just before a crash whose findings the source no longer reports', async () => {
    e.github.setPages([]);
    e.snyk.setPages([]);
    await crashRun((call, calls) => call === 'commit' && calls.includes('remediations.createMany'));
    const orphan = (await temp.store.remediations.list())[0]!;
    expect(await temp.store.findings.list({ remediationId: orphan.id })).toEqual([]);
    e.ssm.setPages(ssmPages([]));
    await e.sync()();
    expect(await temp.store.remediations.get(orphan.id)).toMatchObject({ state: 'verified', resolution: 'fixed_upstream' });
    const [, closed] = await temp.store.audit.bySubject(orphan.id);
    expect(closed).toMatchObject({ action: 'remediation.closed_upstream', data: { reason: expect.stringContaining('never recorded') } });
  });

  it('refreshes the remediations an interrupted run left behind, though their findings no longer change', async () => {
    await e.sync()();
    e.github.setPages(githubPages([{ ...F.lodashGh, state: 'fixed', fixedAt: '2026-11-02T08:00:00.000Z' }, F.minimistGh, F.axiosFixed]));
    e.snyk.setPages(snykPages([{ ...F.lodashSnyk, state: 'fixed', fixedAt: '2026-11-02T08:00:00.000Z' }, F.minimistSnyk]));
    // Every page is committed; the run dies when it starts refreshing remediations.
    await crashRun((call) => call === 'remediations.get');
    const id = (await temp.store.findings.get(F.lodashGh.id))!.remediationId!;
    expect((await temp.store.remediations.get(id))!.state).toBe('new');
    await e.sync()();
    expect(await temp.store.remediations.get(id)).toMatchObject({ state: 'verified', resolution: 'fixed_upstream' });
    await expectConsistent(temp.store);
  });

  it('finishes after a crash half-way through the refresh, and after a crash of the run that recovers', async () => {
    e.clock.now = new Date('2026-11-02T09:00:00.000Z');
    // One remediation at a time (no batches), so that the crash falls between two of them.
    await crashRun((call, calls) => call === 'remediations.update' && calls.filter((c) => c === 'remediations.update').length === 2, false);
    await crashRun((call, calls) => call === 'remediations.update' && calls.filter((c) => c === 'remediations.update').length === 1, false);
    await e.sync()();
    await expectConsistent(temp.store);
    expect(await groups(temp.store)).toEqual(await expected());
  });

  it('a refresh that gave up (a writer won every round) is owed: the next run does it, though nothing changed', async () => {
    await e.sync()();
    const id = (await temp.store.findings.get(F.lodashGh.id))!.remediationId!;
    const repo = temp.store.remediations;
    const [update, updateMany] = [repo.update.bind(repo), repo.updateMany!.bind(repo)];
    // Someone else writes this remediation first every time the sync tries.
    const lost = (next: { id: string }, expectedVersion: number) => ({ ok: false as const, error: { code: 'store.conflict' as const, id: next.id, expectedVersion } });
    repo.update = async (next, v, events, effects) => (next.id === id ? lost(next, v) : update(next, v, events, effects));
    repo.updateMany = async (items) => {
      const done = await updateMany(items.filter((i) => i.next.id !== id));
      return items.map((i) => (i.next.id === id ? lost(i.next, i.expectedVersion) : done.shift()!));
    };
    e.github.setPages(githubPages([{ ...F.lodashGh, state: 'fixed', fixedAt: '2026-11-02T08:00:00.000Z' }, F.minimistGh, F.axiosFixed]));
    e.snyk.setPages(snykPages([{ ...F.lodashSnyk, state: 'fixed', fixedAt: '2026-11-02T08:00:00.000Z' }, F.minimistSnyk]));
    const report = await e.sync()();
    expect(report.warnings).toEqual([`remediation ${id} could not be refreshed (store.conflict); the next sync refreshes it`]);
    expect((await temp.store.remediations.get(id))!.state).toBe('new');
    [repo.update, repo.updateMany] = [update, updateMany];
    await e.sync()();
    expect(await temp.store.remediations.get(id)).toMatchObject({ state: 'verified', resolution: 'fixed_upstream' });
    await e.sync()();
    expect((await temp.store.audit.bySubject(id)).filter((x) => x.action === 'remediation.closed_upstream')).toHaveLength(1);
    await expectConsistent(temp.store);
  });

  it('a run that lost its lease stops before its next page, records no run, and the next run picks up', async () => {
    let checks = 0;
    // The lease is lost once the first page is in.
    await expect(e.sync()({ holds: () => (checks += 1) <= 1 })).rejects.toThrow(LeaseLost);
    expect(await temp.store.kv.get(SYNC_RUNS, 'latest')).toBeNull();
    expect(await temp.store.kv.get(SYNC_RUNS, 'in-progress')).toMatchObject({ fromSeq: 1 });
    expect((await temp.store.findings.list()).length).toBeLessThan(8);
    await e.sync()();
    expect(await groups(temp.store)).toEqual(await expected());
    await expectConsistent(temp.store);
  });
});
