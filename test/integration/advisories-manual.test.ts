/**
 * Remediations made by hand, over real HTTP: `/patch new` with the CVE ids it is about takes CISA's due date from
 * the KEV catalogue (the fake's, through the real axios reader), posts its one message with its note once, and
 * refreshes the App Homes whose queue it entered; one made from an advisory does too; and a manual remediation whose
 * CVE CISA lists later gets the date at the next sync.
 */
import { ACTION, VIEW } from '../../src/slack/ids.js';
import { CHANNEL, PEOPLE, startHarness, type Harness } from '../support/bot-harness.js';
import { startFakeAdvisoryFeed, type FakeAdvisoryFeed } from '../support/feeds/fake-advisory-feed.js';
import { startFakeKev, type FakeKev } from '../support/feeds/fake-kev.js';
import type { KevEntry, Population } from '../support/population/types.js';
import { refusedCalls, settled, until } from './workflow-support.js';

const kevEntry = (cveID: string, dueDate: string): KevEntry => ({
  cveID, vendorProject: 'Acme', product: 'VPN', vulnerabilityName: `${cveID} in the Acme VPN`, dateAdded: '2026-10-20', shortDescription: 'Exploited.',
  requiredAction: 'Apply the update.', dueDate, knownRansomwareCampaignUse: 'Unknown', notes: '', cwes: [],
});

describe('remediations made by hand', () => {
  let h: Harness;
  let kev: FakeKev;
  let feed: FakeAdvisoryFeed;
  beforeAll(async () => {
    kev = await startFakeKev({ kev: { catalogVersion: '2026.10.20', dateReleased: '2026-10-20T12:00:00.000Z', entries: [kevEntry('CVE-2026-44444', '2026-11-09')] } } as Population);
    feed = await startFakeAdvisoryFeed({ items: 1 });
    h = await startHarness({ env: { KEV_URL: kev.feedUrl }, policy: { advisories: { feeds: [{ name: 'AWS Security Bulletins', url: feed.rssUrl }] } } });
  });
  afterAll(async () => {
    await h.close();
    await Promise.all([kev.close(), feed.close()]);
  });
  afterEach(() => expect(refusedCalls(h)).toEqual([]));

  const openNew = async (user: string) => {
    await h.driver.slashCommand({ command: '/patch', text: 'new', user_id: user, channel_id: CHANNEL });
    return until(() => h.fake.views({ callbackId: VIEW.newRemediation, user }).at(-1), 'the create modal');
  };
  const homeOf = (user: string) => JSON.stringify(h.fake.homeView(user)?.view ?? null);
  const messagesOf = (id: string) => h.fake.messages(CHANNEL).filter((m) => m.text.startsWith(`${id} `));

  it('/patch new refuses CVE ids that are not CVE ids, inline', async () => {
    const modal = await openNew(PEOPLE.lead.id);
    const res = await h.driver.viewSubmission({ user: PEOPLE.lead.id, view: modal, inputs: { title: 'VPN appliance', severity: 'low', typed_assets: 'vpn-1', cves: 'CVE-2026-44444, GHSA-1234' } });
    expect(res.body).toEqual({ response_action: 'errors', errors: { cves: 'Type CVE ids like CVE-2026-12345, separated by spaces or commas.' } });
    expect(await h.store.remediations.count()).toBe(0);
  });

  it('a KEV-listed CVE makes it due by CISA’s date; its message and note go out once; the Homes whose queue it entered are refreshed', async () => {
    const modal = await openNew(PEOPLE.lead.id);
    const res = await h.driver.viewSubmission({
      user: PEOPLE.lead.id, view: modal,
      inputs: { title: 'Patch the VPN appliance (vendor email)', severity: 'low', typed_assets: 'vpn-1', owner: PEOPLE.engineer.id, cves: 'cve-2026-55555 CVE-2026-44444' },
    });
    expect([res.status, res.body]).toEqual([200, '']);
    const made = await until(async () => (await h.store.remediations.list()).find((r) => r.title.startsWith('Patch the VPN')), 'the remediation');
    expect(made).toMatchObject({ cves: ['CVE-2026-44444', 'CVE-2026-55555'], kevDueAt: '2026-11-09T00:00:00.000Z', dueAt: '2026-11-09T00:00:00.000Z', severity: 'low' });
    const created = (await h.store.audit.bySubject(made.id)).find((e) => e.action === 'remediation.created');
    expect(created?.data).toMatchObject({ cves: ['CVE-2026-44444', 'CVE-2026-55555'], kevDueAt: '2026-11-09T00:00:00.000Z', origin: 'by hand' });

    await until(() => messagesOf(made.id).length === 1, 'its message');
    const thread = () => h.fake.replies(CHANNEL, messagesOf(made.id)[0]!.ts).map((m) => m.text);
    await until(() => thread().some((t) => t.includes('created')), 'its note');
    expect(thread().filter((t) => t.includes(`created ${made.id} by hand`))).toEqual([expect.stringContaining('CISA lists a CVE of it as exploited')]);
    // The lead who made it and every lead (it waits in their "to assess" queue); its owner's too (their queue shows
    // it once it is assessed, but their Home is theirs to keep current).
    for (const user of [PEOPLE.lead.id, PEOPLE.lead2.id]) await until(() => homeOf(user).includes(made.id), `${user}'s App Home`);
    await until(() => h.fake.calls('views.publish').some((c) => c.args['user_id'] === PEOPLE.engineer.id), 'the owner’s App Home');
    expect(h.fake.calls('views.publish').some((c) => c.args['user_id'] === PEOPLE.manager.id)).toBe(false);
    await h.running.jobs.runNow('outbox');
    await settled(h);
    expect(messagesOf(made.id)).toHaveLength(1);
    expect(thread().filter((t) => t.includes(`created ${made.id}`))).toHaveLength(1);
  });

  it('made from an advisory: the advisory shows it, the Homes show it', async () => {
    await h.running.jobs.runNow('sync');
    await settled(h);
    const [advisory] = h.fake.messages(CHANNEL).filter((m) => JSON.stringify(m.blocks ?? []).includes('*Advisory*'));
    await h.driver.blockAction({ user: PEOPLE.lead2.id, message: advisory!, action_id: ACTION.advisoryCreate });
    const modal = await until(() => h.fake.views({ callbackId: VIEW.newRemediation, user: PEOPLE.lead2.id }).at(-1), 'the create modal');
    expect(JSON.stringify(modal.view)).not.toContain('"block_id":"cves"');
    await h.driver.viewSubmission({ user: PEOPLE.lead2.id, view: modal, inputs: { title: 'Update the kernel', severity: 'high', typed_assets: 'build-host' } });
    const made = await until(async () => (await h.store.remediations.list()).find((r) => r.title === 'Update the kernel'), 'the remediation');
    await until(() => homeOf(PEOPLE.lead2.id).includes(made.id), 'the creator’s App Home');
    await until(() => homeOf(PEOPLE.lead.id).includes(made.id), 'the other lead’s App Home');
    await until(() => JSON.stringify(h.fake.message(CHANNEL, advisory!.ts)?.blocks ?? []).includes(`Remediation ${made.id} created`), 'the advisory message');
  });

  it('a manual remediation whose CVE CISA lists later is due by CISA’s date after the next sync', async () => {
    const modal = await openNew(PEOPLE.lead.id);
    await h.driver.viewSubmission({ user: PEOPLE.lead.id, view: modal, inputs: { title: 'Pen test: admin panel', severity: 'medium', typed_assets: 'admin-panel', cves: 'CVE-2026-66666' } });
    const made = await until(async () => (await h.store.remediations.list()).find((r) => r.title === 'Pen test: admin panel'), 'the remediation');
    expect(made.kevDueAt).toBeNull();
    kev.addEntry(kevEntry('CVE-2026-66666', '2026-11-20'), '2026-11-03T08:00:00.000Z');
    // The catalogue is read again once a day.
    h.setNow(new Date(h.now().getTime() + 86_400_000 + 60_000));
    await h.running.jobs.runNow('sync');
    await settled(h);
    const after = await h.store.remediations.get(made.id);
    expect(after).toMatchObject({ kevDueAt: '2026-11-20T00:00:00.000Z', dueAt: '2026-11-20T00:00:00.000Z' });
    const updated = (await h.store.audit.bySubject(made.id)).filter((e) => e.action === 'remediation.updated');
    expect(updated.map((e) => e.data)).toEqual([{ kevDueAt: { from: null, to: '2026-11-20T00:00:00.000Z' }, dueAt: { from: made.dueAt, to: '2026-11-20T00:00:00.000Z' } }]);
    // An unchanged catalogue changes nothing at the next sync.
    await h.running.jobs.runNow('sync');
    expect((await h.store.audit.bySubject(made.id)).filter((e) => e.action === 'remediation.updated')).toHaveLength(1);
  });
});
