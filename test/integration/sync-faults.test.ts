/**
 * The sync when the outside world misbehaves, over the real adapters and the fakes: failures in the middle of
 * pagination are retried and the data comes out right; a source that stays down fails alone; a crash mid-run is
 * finished by the next run. A population with several pages per source, so that "the middle" exists.
 */
import { buildPopulation } from '../support/population/build-population.js';
import { crashingStore, expectConsistent } from '../support/port-fakes.js';
import { actualOf, expectedOf } from './sync-oracle.js';
import { syncWorld, type SyncWorld } from './sync-support.js';

/** 4 alert pages, 3 issue pages, 3 instance pages of 50. */
const paged = () =>
  buildPopulation({ seed: 11, repos: 6, alerts: 350, dependabotDisabledRepos: 1, snykProjects: 6, snykIssues: 250, cveOverlap: 20, instances: 120, missingPerInstance: 3, kevFromAlerts: 5, kevFromPatches: 3 });

describe('sync faults', () => {
  let w: SyncWorld;
  beforeEach(async () => {
    w = await syncWorld(paged());
  });
  afterEach(() => w.close());

  const expectExactly = async (only?: ('github' | 'snyk' | 'ssm')[]) => {
    const expected = expectedOf(w.population, only);
    const actual = await actualOf(w.store);
    expect(actual.assets).toEqual(expected.assets);
    expect(actual.findings).toEqual(expected.findings);
    expect(actual.groups).toEqual(expected.groups);
    await expectConsistent(w.store);
  };

  it('retries a 500, a 429 and an SSM throttle in the middle of pagination and completes with the right data', async () => {
    w.fakes.github.knobs.failNext({ status: 500, operation: 'dependabot/list-alerts-for-org', page: 2 });
    w.fakes.snyk.knobs.failNext({ throttle: true, retryAfter: 2, operation: 'issues/list', page: 2 });
    w.fakes.ssm.knobs.failNext({ throttle: true, operation: 'DescribeInstanceInformation', page: 2 });
    const report = await w.sync()();
    expect(report.sources.map((s) => [s.source, s.status])).toEqual([['github', 'ok'], ['snyk', 'ok'], ['ssm', 'ok']]);
    for (const fake of [w.fakes.github, w.fakes.snyk, w.fakes.ssm]) expect(fake.knobs.counters.failed).toBe(1);
    // Snyk's retry-after was honoured (the sleeps are recorded, not waited).
    expect(w.sleeper.sleeps).toContain(2000);
    await expectExactly();
    // Nothing was read twice into the store: one detection event per finding.
    const detected = (await w.store.audit.read(1, 100_000)).filter((e) => e.action === 'finding.detected');
    expect(detected).toHaveLength(expectedOf(w.population).findings.size);
  });

  it('reports a source that stays down as failed for the run, while the others complete; the next run catches up', async () => {
    w.fakes.snyk.knobs.staysDown({ status: 503 });
    const report = await w.sync()();
    expect(report.status).toBe('partial');
    expect(report.sources.map((s) => [s.source, s.status])).toEqual([['github', 'ok'], ['snyk', 'failed'], ['ssm', 'ok']]);
    expect(report.sources[1]!.error).toMatch(/snyk/i);
    // Dependabot's half of a cross-source pair is grouped alone for now; Snyk's joins it next run.
    await expectExactly(['github', 'ssm']);

    w.fakes.snyk.knobs.recover();
    const next = await w.sync()();
    expect(next.status).toBe('ok');
    await expectExactly();
  });

  it('ends consistent after a crash mid-run and a rerun', async () => {
    let commits = 0;
    const crashing = crashingStore(w.store, (call) => call === 'commit' && (commits += 1) === 6);
    await expect(w.sync(crashing.store)()).rejects.toThrow('crashed');
    expect(commits).toBe(6);
    const rerun = await w.sync()();
    expect(rerun.status).toBe('ok');
    expect(rerun.recovered).toBeGreaterThan(0);
    await expectExactly();
  });
});
