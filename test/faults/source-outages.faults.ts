/**
 * Outside sources throttling or down under `/patch sync`, with the bot as its own process (production retries):
 * a GitHub secondary rate limit (403 with retry-after), a Snyk 429 with retry-after, an SSM ThrottlingException,
 * KEV and EPSS answering 503. Passing throttles are waited out and the run completes with every record; sources
 * that stay down make a partial run that says which in plain words (no address, account, ARN or token), keeps what
 * the others gave, and the next run after they recover completes: what the oracle expects, nothing lost or doubled.
 */
import { CHANNEL } from '../support/bot-harness.js';
import { buildPopulation } from '../support/population/build-population.js';
import type { Population } from '../support/population/types.js';
import { actualOf, expectedOf } from '../integration/sync-oracle.js';
import { until } from '../integration/workflow-support.js';
import { checkInvariants } from './support/invariants.js';
import { faultTally } from './support/tally.js';
import { startSourceWorld, type SourceWorld } from './support/source-world.js';

/** Two pages of alerts, issues and instances, so that a throttle can land in the middle. */
const paged = (): Population =>
  buildPopulation({ seed: 11, repos: 5, alerts: 180, dependabotDisabledRepos: 1, snykProjects: 5, snykIssues: 140, cveOverlap: 10, instances: 70, missingPerInstance: 2, kevFromAlerts: 4, kevFromPatches: 2 });
/** The oracle without CISA's catalogue: what a run with KEV down leaves. */
const withoutKev = (p: Population): Population => ({ ...p, kev: { ...p.kev, entries: [] } });
const INTERNALS = /127\.0\.0\.1|localhost|arn:aws|AKIA|\bat [\w.]+ \(|Bearer|token/i;

async function expectAsOracle(w: SourceWorld, p: Population, only?: ('github' | 'snyk' | 'ssm')[]): Promise<number> {
  const want = expectedOf(p, only);
  const have = await actualOf(w.store);
  expect(have.assets).toEqual(want.assets);
  expect(have.findings).toEqual(want.findings);
  expect(have.groups).toEqual(want.groups);
  const found = await checkInvariants({ store: w.store });
  expect(found.record.problems).toEqual([]);
  return found.record.lost + [...want.findings.keys()].filter((id) => !have.findings.has(id)).length;
}

/** The sync's message in the channel once it has its outcome, as people read it (its text and blocks). */
const syncMessage = (w: SourceWorld): Promise<string> =>
  until(() => {
    const m = w.world.slack.messages(CHANNEL).filter((x) => /^Sync /.test(x.text ?? '')).at(-1);
    return m && !/in progress/.test(m.text ?? '') ? `${m.text ?? ''}\n${JSON.stringify(m.blocks ?? [])}` : null;
  }, 'the sync message to show its outcome');

describe('outside sources throttling or down, under /patch sync', () => {
  const tally = faultTally('source outages');
  let w: SourceWorld | null = null;
  afterEach(async () => {
    if (w) tally.logsChecked(w.world.logs(), w.secrets);
    await w?.close();
    w = null;
  });

  it('a throttle on each (GitHub secondary limit, Snyk 429, SSM ThrottlingException) and KEV and EPSS failing once: waited out, every record kept', async () => {
    const p = paged();
    w = await startSourceWorld(p);
    const { github, snyk, ssm, kev, epss } = w.fakes;
    github.knobs.failNext({ throttle: true, status: 403, retryAfter: 1, operation: 'dependabot/list-alerts-for-org', page: 2 });
    snyk.knobs.failNext({ throttle: true, retryAfter: 1, operation: 'issues/list', page: 2 });
    ssm.knobs.failNext({ throttle: true, operation: 'DescribeInstanceInformation', page: 2 });
    kev.knobs.failNext({ status: 503 });
    epss.knobs.failNext({ status: 503 });
    tally.injected(5);
    const report = await w.sync();
    expect(report.sources.map((s) => [s.source, s.status])).toEqual([['github', 'ok'], ['snyk', 'ok'], ['ssm', 'ok']]);
    for (const fake of [github, snyk, ssm, kev, epss]) expect(fake.knobs.counters.failed).toBe(1);
    expect(await syncMessage(w)).toMatch(/Sync complete/);
    tally.lost(await expectAsOracle(w, p));
    tally.survived(5);
  });

  it('Snyk and SSM throttling, KEV and EPSS down for the whole run: partial, said plainly, GitHub kept; the run after they recover completes with nothing lost or doubled', async () => {
    const p = paged();
    w = await startSourceWorld(p);
    const { snyk, ssm, kev, epss } = w.fakes;
    snyk.knobs.staysDown({ throttle: true, retryAfter: 1 });
    ssm.knobs.staysDown({ throttle: true });
    kev.knobs.staysDown({ status: 503 });
    epss.knobs.staysDown({ status: 503 });
    tally.injected(4);
    const down = await w.sync();
    expect(down.status).toBe('partial');
    expect(down.sources.map((s) => [s.source, s.status])).toEqual([['github', 'ok'], ['snyk', 'failed'], ['ssm', 'failed']]);
    const said = await syncMessage(w);
    expect(said).toMatch(/Sync complete, with a failed source/);
    expect(said).toMatch(/Snyk\*? failed/);
    expect(said).toMatch(/KEV/);
    expect(said).not.toMatch(INTERNALS);
    for (const s of down.sources) expect(s.error ?? '').not.toMatch(INTERNALS);
    await expectAsOracle(w, withoutKev(p), ['github']);

    for (const fake of [snyk, ssm, kev, epss]) fake.knobs.recover();
    const after = await w.sync();
    expect(after.status).toBe('ok');
    tally.lost(await expectAsOracle(w, p));
    tally.survived(4);
  });
});
