/**
 * `/patch sync` and the scheduled sync over the whole bot (signed requests, Bolt's HTTP receiver, the Slack fake,
 * SQLite), with the real GitHub and Snyk adapters against their fakes: ONE message in the channel, updated as the
 * sources progress, ending with the summary; leads only; one sync at a time.
 */
import { SYNC_RUNS, type SyncReport } from '../../src/app/sync/report.js';
import { CHANNEL, PEOPLE, startHarness, type Harness } from '../support/bot-harness.js';
import { startFakeGithub, type FakeGithub } from '../support/github/fake-github.js';
import { blockText, eventually, patch } from '../support/patch-command.js';
import { SMALL_EXPECTED, small } from '../support/population/presets.js';
import { startFakeSnyk, type FakeSnyk } from '../support/snyk/fake-snyk.js';
import { GITHUB_TOKEN, SNYK_TOKEN } from './sync-support.js';

describe('/patch sync', () => {
  const population = small();
  let h: Harness;
  let github: FakeGithub;
  let snyk: FakeSnyk;
  beforeEach(async () => {
    [github, snyk] = await Promise.all([startFakeGithub(population, { token: GITHUB_TOKEN }), startFakeSnyk(population, { token: SNYK_TOKEN })]);
    h = await startHarness({
      now: new Date(population.now),
      env: { GITHUB_TOKEN, GITHUB_ORG: population.github.org, GITHUB_API_URL: github.url, SNYK_TOKEN, SNYK_ORG_ID: population.snyk.orgId, SNYK_API_URL: snyk.url },
    });
  });
  afterEach(async () => {
    await h.close();
    await Promise.all([github.close(), snyk.close()]);
  });

  const latest = () => h.store.kv.get<SyncReport>(SYNC_RUNS, 'latest');

  it('posts one progress message in the channel, updates it, and ends with the summary', async () => {
    const answer = await patch(h, PEOPLE.lead.id, 'sync');
    expect(answer.responses[0]?.text).toContain(`Sync started: progress in <#${CHANNEL}>`);
    await eventually(async () => (await latest()) !== null, 10_000, 'the sync run record');
    await eventually(() => blockText(h.fake.messages(CHANNEL)[0]?.blocks).includes('Sync complete'), 10_000, 'the summary');
    const messages = h.fake.messages(CHANNEL);
    expect(messages).toHaveLength(1);
    const [message] = messages;
    expect(blockText(message!.versions[0]!.blocks)).toContain('Sync in progress');
    const text = blockText(message!.blocks);
    expect(text).toContain(`${SMALL_EXPECTED.github.alerts} findings: ${SMALL_EXPECTED.github.alerts} new`);
    expect(text).toMatch(/\d+ new remediations, \d+ updated, 0 closed upstream, 0 reopened\./);
    expect(text).toContain(`<@${PEOPLE.lead.id}>`);
    const report = (await latest())!;
    expect(report).toMatchObject({ status: 'ok', requestedBy: PEOPLE.lead.id });
    expect(report.sources.map((s) => s.source)).toEqual(['github', 'snyk']);
  });

  it('ends its message with the failure when the store fails under the run', async () => {
    const append = h.store.audit.append.bind(h.store.audit);
    h.store.audit.append = async (events) => {
      if (events.some((e) => e.action === 'sync.completed')) throw new Error('disk I/O error');
      return append(events);
    };
    await patch(h, PEOPLE.lead.id, 'sync github');
    await eventually(() => blockText(h.fake.messages(CHANNEL)[0]?.blocks).includes('Sync failed'), 10_000, 'the failure in the message');
    const text = blockText(h.fake.messages(CHANNEL)[0]?.blocks);
    // The store's own words (paths, hosts) stay in the log: the channel gets a reference to them.
    expect(text).not.toContain('disk I/O error');
    expect(text).toMatch(/an internal error \([0-9a-f]{8}; the details are in patchwarden's log\)/);
    expect(text).toContain('the next sync finishes the rest');
  });

  it('syncs only the source named', async () => {
    await patch(h, PEOPLE.lead.id, 'sync snyk');
    await eventually(async () => (await latest()) !== null, 10_000, 'the sync run record');
    expect((await latest())!.sources.map((s) => s.source)).toEqual(['snyk']);
  });

  it('is for leads: anyone else is refused, audited, and nothing runs', async () => {
    await patch(h, PEOPLE.engineer.id, 'sync', { responses: 0, ephemerals: 1 });
    expect(h.fake.ephemerals({ user: PEOPLE.engineer.id }).at(-1)?.text).toMatch(/lead/i);
    expect(await latest()).toBeNull();
    expect(h.fake.messages(CHANNEL)).toEqual([]);
    const denied = (await h.store.audit.read(1, 100)).filter((e) => e.action === 'access.denied');
    expect(denied).toEqual([expect.objectContaining({ actor: PEOPLE.engineer.id, data: expect.objectContaining({ permission: 'sync' }) })]);
  });

  it('says a sync is already running when the job lease is held (another replica, the schedule)', async () => {
    await h.store.leases.acquire('sync', 'another-replica', 60_000, h.now());
    await patch(h, PEOPLE.lead.id, 'sync', { responses: 0, ephemerals: 1 });
    expect(h.fake.ephemerals({ user: PEOPLE.lead.id }).at(-1)?.text).toContain('A sync is already running');
    expect(h.fake.messages(CHANNEL)).toEqual([]);
  });

  it('runs on its schedule (policy.schedules.sync, every 6 hours by default) under the job lease', async () => {
    expect(h.running.jobs.jobs().find((j) => j.name === 'sync')?.cron).toBe('0 */6 * * *');
    await expect(h.running.jobs.runNow('sync')).resolves.toEqual({ status: 'done' });
    expect(await latest()).toMatchObject({ status: 'ok', requestedBy: 'system:sync' });
    expect(await h.store.findings.count()).toBe(SMALL_EXPECTED.github.alerts + SMALL_EXPECTED.snyk.issues);
    await h.store.leases.acquire('sync', 'another-replica', 60_000, h.now());
    await expect(h.running.jobs.runNow('sync')).resolves.toEqual({ status: 'skipped', reason: 'lease_held' });
  });
});
