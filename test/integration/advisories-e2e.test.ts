/**
 * Advisories as a lead meets them, over real HTTP: the AWS Security Bulletins stand-in read by the scheduled sync,
 * each new bulletin posted once with its review buttons (one naming a CVE we have open linked to its remediation
 * instead), an unchanged feed one 304 posting nothing, the digest's Advisories section, then three reviews (Not
 * applicable with its reason required inline, Covered by PW-…, Create remediation, which goes through assess, test,
 * approval and a lead's recorded check), all audited with the chain intact, and overdue reviews in /patch status.
 */
import { verifyChain } from '../../src/app/audit.js';
import { ACTION, VIEW } from '../../src/slack/ids.js';
import { aFinding, anAsset } from '../support/builders.js';
import { CHANNEL, PEOPLE, startHarness, type Harness } from '../support/bot-harness.js';
import { startFakeAdvisoryFeed, type FakeAdvisoryFeed } from '../support/feeds/fake-advisory-feed.js';
import { patch } from '../support/patch-command.js';
import { refusedCalls, settled, until } from './workflow-support.js';

const blocksOf = (m: { blocks?: unknown }): string => JSON.stringify(m.blocks ?? []);

describe('advisories from the feed to a lead’s review', () => {
  let h: Harness;
  let feed: FakeAdvisoryFeed;
  beforeAll(async () => {
    feed = await startFakeAdvisoryFeed({ items: 4 });
    h = await startHarness({ policy: { advisories: { feeds: [{ name: 'AWS Security Bulletins', url: feed.rssUrl }], reviewWithinDays: 7 } } });
  });
  afterAll(async () => {
    await h.close();
    await feed.close();
  });

  const channelMessages = () => h.fake.messages(CHANNEL);
  const advisoryMessage = (bulletin: string) => {
    const m = channelMessages().find((x) => blocksOf(x).includes(`security-bulletins/${bulletin}/`) && blocksOf(x).includes('*Advisory*'));
    if (!m) throw new Error(`no message for ${bulletin}`);
    return m;
  };

  it('reads the feed on the sync, posts each unlinked bulletin once, links the one naming our CVE, and an unchanged feed costs one 304', async () => {
    await h.store.commit({ assets: [anAsset({ id: 'github:acme/api', name: 'acme/api' })], events: [] });
    const open = await h.seed({ title: 'Upgrade the kernel on the fleet', cves: ['CVE-2026-12345'] });
    await h.store.commit({ findings: [aFinding({ cves: ['CVE-2026-12345'], remediationId: open.id, assetId: 'github:acme/api' })], events: [] });

    await h.running.jobs.runNow('sync');
    await settled(h);
    expect(await h.store.advisories.count()).toBe(4);
    expect((await h.store.advisories.links({ remediationId: open.id })).map((l) => l.cves)).toEqual([['CVE-2026-12345']]);
    // AWS-2026-001 names CVE-2026-12345, which we have open: linked, not posted for review.
    expect(channelMessages().filter((m) => blocksOf(m).includes('*Advisory*'))).toHaveLength(3);
    expect(blocksOf(advisoryMessage('AWS-2026-002'))).toContain(ACTION.advisoryNotApplicable);
    expect(() => advisoryMessage('AWS-2026-001')).toThrow();

    const before = channelMessages().length;
    const requests = feed.knobs.feedCounts.rss.requests;
    await h.running.jobs.runNow('sync');
    await settled(h);
    expect(feed.knobs.feedCounts.rss.requests - requests).toBe(1);
    expect(feed.knobs.feedCounts.rss.notModified).toBe(1);
    expect(channelMessages()).toHaveLength(before);

    // /patch show of the remediation names the advisory linked to it.
    const shown = await patch(h, PEOPLE.manager.id, `show ${open.id}`);
    expect(JSON.stringify(shown.responses[0]?.blocks)).toContain('shares CVE-2026-12345');
  });

  it('the digest has an Advisories section naming each new bulletin once', async () => {
    await h.running.jobs.runNow('digest');
    await settled(h);
    const digest = channelMessages().find((m) => blocksOf(m).includes('Patch digest'));
    const text = blocksOf(digest!);
    expect(text).toContain('*Advisories since patchwarden started: 4*');
    for (const id of ['AWS-2026-001', 'AWS-2026-002', 'AWS-2026-003', 'AWS-2026-004']) expect(text.split(`security-bulletins/${id}/`).length - 1).toBe(1);
    expect(text).toContain(`linked to PW-`);
    expect(text).toContain('_awaiting review_');
  });

  it('an engineer may not review; a lead’s Not applicable needs its reason (inline), then is recorded and shown', async () => {
    await h.driver.blockAction({ user: PEOPLE.engineer.id, message: advisoryMessage('AWS-2026-002'), action_id: ACTION.advisoryNotApplicable });
    await until(async () => (await h.store.audit.read(1, 10_000)).some((e) => e.action === 'access.denied' && e.actor === PEOPLE.engineer.id), 'the denial');
    expect(h.fake.views({ callbackId: VIEW.advisoryNotApplicable })).toHaveLength(0);

    await h.driver.blockAction({ user: PEOPLE.lead.id, message: advisoryMessage('AWS-2026-002'), action_id: ACTION.advisoryNotApplicable });
    const modal = await until(() => h.fake.views({ callbackId: VIEW.advisoryNotApplicable, user: PEOPLE.lead.id })[0], 'the not-applicable modal');
    const empty = await h.driver.viewSubmission({ user: PEOPLE.lead.id, view: modal, inputs: { reason: '   ' } });
    expect(empty.body).toEqual({ response_action: 'errors', errors: { reason: 'Please fill in the reason.' } });
    const advisoryId = (await h.store.advisories.list()).find((a) => a.itemKey === 'AWS-2026-002')!.id;
    await expect(h.store.advisories.reviews([advisoryId])).resolves.toEqual([]);

    const done = await h.driver.viewSubmission({ user: PEOPLE.lead.id, view: modal, inputs: { reason: 'We run no ECS agent: every service is on EKS.' } });
    expect([done.status, done.body]).toEqual([200, '']);
    await until(() => blocksOf(advisoryMessage('AWS-2026-002')).includes('*Not applicable*'), 'the updated message');
    expect(blocksOf(advisoryMessage('AWS-2026-002'))).not.toContain(ACTION.advisoryCovered);
    expect(await h.store.advisories.reviews([advisoryId])).toEqual([
      { advisoryId, decision: 'not_applicable', by: PEOPLE.lead.id, at: h.now().toISOString(), reason: 'We run no ECS agent: every service is on EKS.', remediationId: null },
    ]);
  });

  it('Covered by PW-…: the lead picks the remediation; the review links it', async () => {
    const covering = await h.seed({ title: 'Patch the EKS node AMIs' });
    await h.driver.blockAction({ user: PEOPLE.lead2.id, message: advisoryMessage('AWS-2026-004'), action_id: ACTION.advisoryCovered });
    const modal = await until(() => h.fake.views({ callbackId: VIEW.advisoryCovered, user: PEOPLE.lead2.id })[0], 'the covered modal');
    const res = await h.driver.viewSubmission({ user: PEOPLE.lead2.id, view: modal, inputs: { remediation: covering.id, reason: 'The AMI refresh ships the fix.' } });
    expect([res.status, res.body]).toEqual([200, '']);
    await until(() => blocksOf(advisoryMessage('AWS-2026-004')).includes(`*Covered by ${covering.id}*`), 'the updated message');
    const advisoryId = (await h.store.advisories.list()).find((a) => a.itemKey === 'AWS-2026-004')!.id;
    expect((await h.store.advisories.links({ remediationId: covering.id })).map((l) => [l.advisoryId, l.via])).toEqual([[advisoryId, 'review']]);
  });

  it('Create remediation: the new one goes through assess, test, approval and a lead’s recorded check like any other', async () => {
    await h.driver.blockAction({ user: PEOPLE.lead.id, message: advisoryMessage('AWS-2026-003'), action_id: ACTION.advisoryCreate });
    const modal = await until(() => h.fake.views({ callbackId: VIEW.newRemediation, user: PEOPLE.lead.id })[0], 'the create modal');
    const noAsset = await h.driver.viewSubmission({ user: PEOPLE.lead.id, view: modal, inputs: { title: 'Update the AWS CLI on the build hosts', severity: 'high' } });
    expect(noAsset.body).toMatchObject({ response_action: 'errors', errors: { typed_assets: expect.stringContaining('assets') } });
    const res = await h.driver.viewSubmission({
      user: PEOPLE.lead.id, view: modal,
      inputs: { title: 'Update the AWS CLI on the build hosts', severity: 'high', assets: ['github:acme/api'], typed_assets: 'build-host-1\nbuild-host-2', owner: PEOPLE.engineer.id },
    });
    expect([res.status, res.body]).toEqual([200, '']);
    await until(() => blocksOf(advisoryMessage('AWS-2026-003')).includes('created* from it'), 'the advisory message');
    const created = (await h.store.remediations.list()).find((r) => r.title === 'Update the AWS CLI on the build hosts')!;
    expect(created).toMatchObject({ state: 'new', severity: 'high', owner: PEOPLE.engineer.id, remedy: { kind: 'manual' }, cves: ['CVE-2026-12347', 'CVE-2026-52347'], findingIds: [] });
    expect(created.assetIds).toEqual(['github:acme/api', 'manual:build-host-1', 'manual:build-host-2']);
    await expect(h.store.assets.get('manual:build-host-1')).resolves.toMatchObject({ source: 'manual', name: 'build-host-1' });
    const message = () => {
      const r = channelMessages().find((m) => blocksOf(m).includes(`*${created.id} · Update the AWS CLI`));
      if (!r) throw new Error('no remediation message');
      return r;
    };
    await until(() => message(), 'the remediation message');

    await h.driver.blockAction({ user: PEOPLE.lead.id, message: message(), action_id: ACTION.assess });
    const assess = await until(() => h.fake.views({ callbackId: VIEW.assess, user: PEOPLE.lead.id }).at(-1), 'the assess modal');
    await h.driver.viewSubmission({ user: PEOPLE.lead.id, view: assess, inputs: { severity: 'high', known_exploit: 'no', business_impact: 'medium', rationale: 'The CLI runs with deploy credentials on the build hosts.' } });
    await until(async () => (await h.store.remediations.get(created.id))?.state === 'assessed', 'assessed');

    await until(() => blocksOf(message()).includes(ACTION.uploadEvidence), 'the message after the assessment');
    const file = h.fake.addFile({ name: 'cli-version.txt', bytes: Buffer.from('aws-cli/2.99.0\n'), user: PEOPLE.engineer.id });
    await h.driver.blockAction({ user: PEOPLE.engineer.id, message: message(), action_id: ACTION.uploadEvidence });
    const evidence = await until(() => h.fake.views({ callbackId: VIEW.testEvidence, user: PEOPLE.engineer.id }).at(-1), 'the evidence modal');
    await h.driver.viewSubmission({ user: PEOPLE.engineer.id, view: evidence, inputs: { result: 'pass', notes: 'Upgraded on the staging build host.', files: [file] } });
    await until(async () => (await h.store.remediations.get(created.id))?.state === 'tested', 'tested');

    await until(() => blocksOf(message()).includes(ACTION.approve), 'the message after the test');
    await h.driver.blockAction({ user: PEOPLE.lead2.id, message: message(), action_id: ACTION.approve });
    const approval = await until(() => h.fake.views({ callbackId: VIEW.approval, user: PEOPLE.lead2.id }).at(-1), 'the approval modal');
    await h.driver.viewSubmission({ user: PEOPLE.lead2.id, view: approval, inputs: { decision: 'approve', change_ticket: 'CHG-7' } });
    await until(async () => (await h.store.remediations.get(created.id))?.state === 'approved', 'approved');

    await until(() => blocksOf(message()).includes(ACTION.recordCheck), 'the Record check button');
    await h.driver.blockAction({ user: PEOPLE.lead.id, message: message(), action_id: ACTION.recordCheck });
    const check = await until(() => h.fake.views({ callbackId: VIEW.recordCheck, user: PEOPLE.lead.id })[0], 'the check modal');
    const badLink = await h.driver.viewSubmission({ user: PEOPLE.lead.id, view: check, inputs: { what: 'aws --version on both hosts', link: 'not a link' } });
    expect(badLink.body).toMatchObject({ response_action: 'errors', errors: { link: expect.stringContaining('https://') } });
    await h.driver.viewSubmission({ user: PEOPLE.lead.id, view: check, inputs: { what: 'aws --version on both hosts says 2.99.0', link: 'https://wiki.acme.example/chg-7' } });
    await until(async () => (await h.store.remediations.get(created.id))?.state === 'verified', 'verified');
    const verified = (await h.store.remediations.get(created.id))!;
    expect(verified.verification?.evidence).toEqual({ kind: 'manual_check', by: PEOPLE.lead.id, what: 'aws --version on both hosts says 2.99.0', link: 'https://wiki.acme.example/chg-7' });
    expect((await h.store.audit.bySubject(created.id)).map((e) => e.action)).toEqual([
      'remediation.created', 'remediation.assessed', 'remediation.test_recorded', 'evidence.uploaded', 'remediation.approved', 'remediation.verified',
    ]);
  });

  it('/patch new opens the same Create remediation modal for what no scanner reports (leads only)', async () => {
    const refused = await patch(h, PEOPLE.engineer.id, 'new', { ephemerals: 1, responses: 0 });
    expect(refused.status).toBe(200);
    expect(h.fake.views({ callbackId: VIEW.newRemediation, user: PEOPLE.engineer.id })).toHaveLength(0);
    await h.driver.slashCommand({ command: '/patch', text: 'new', user_id: PEOPLE.lead2.id, channel_id: CHANNEL });
    const modal = await until(() => h.fake.views({ callbackId: VIEW.newRemediation, user: PEOPLE.lead2.id })[0], 'the create modal');
    expect(blocksOf(modal.view)).toContain('no scanner reports');
    await h.driver.viewSubmission({ user: PEOPLE.lead2.id, view: modal, inputs: { title: 'Pen test: admin panel reachable without MFA', severity: 'critical', typed_assets: 'admin-panel' } });
    const made = await until(async () => (await h.store.remediations.list()).find((r) => r.title.startsWith('Pen test')), 'the remediation');
    expect(made).toMatchObject({ key: `manual:${made.id}`, state: 'new', severity: 'critical', assetIds: ['manual:admin-panel'], cves: [] });
  });

  it('every review is audited, the chain verifies, and reviews past reviewWithinDays show in /patch status', async () => {
    const reviewed = [];
    for await (const e of h.store.audit.stream()) if (e.action === 'advisory.reviewed') reviewed.push(e.data['decision']);
    expect(reviewed.sort()).toEqual(['covered', 'not_applicable', 'remediation_created']);
    await expect(verifyChain(h.store.audit.stream())).resolves.toMatchObject({ ok: true });

    // Every bulletin is reviewed or linked: nothing waits. A new one arrives and is left for 8 days.
    feed.knobs.addItems({ id: 'AWS-2026-099', title: 'CVE-2026-77777 - Issue with Amazon Linux 2', link: 'https://aws.amazon.com/security/security-bulletins/AWS-2026-099/', published: '2026-11-02T08:00:00.000Z', updated: '2026-11-02T08:00:00.000Z', cves: ['CVE-2026-77777'], summary: 'An issue.' });
    await h.running.jobs.runNow('sync');
    await settled(h);
    const fresh = await patch(h, PEOPLE.manager.id, 'status');
    expect(JSON.stringify(fresh.responses[0]?.blocks)).toContain('1 awaiting review, none past the 7-day deadline');
    h.setNow(new Date(h.now().getTime() + 8 * 86_400_000));
    const late = await patch(h, PEOPLE.manager.id, 'status');
    expect(JSON.stringify(late.responses[0]?.blocks)).toContain('1 unreviewed advisory past the 7-day review deadline');
    expect(JSON.stringify(late.responses[0]?.blocks)).toContain('AWS-2026-099');

    // The daily reminders name it to the leads, once.
    await h.running.jobs.runNow('reminders');
    await h.running.jobs.runNow('reminders');
    await settled(h);
    const reminders = channelMessages().filter((m) => m.text.includes('awaiting review past the 7-day deadline'));
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.text).toContain(`<@${PEOPLE.lead.id}>`);
    expect(refusedCalls(h)).toEqual([]);
  });
});
