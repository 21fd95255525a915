/**
 * A dismissal at the source, end to end: the real GitHub adapter against its fake, the whole bot over HTTP.
 * Dismissing every open alert of a remediation in GitHub no longer closes it: the next sync records who and why,
 * holds it open (counting against the SLA, overdue when due), puts Confirm / Reject on its message, and only a lead
 * decides: confirmed, it is a risk acceptance with an expiry; rejected, the work goes on where it stood.
 */
import type { Finding } from '../../src/domain/finding.js';
import type { Remediation } from '../../src/domain/remediation.js';
import { ACTION, VIEW } from '../../src/slack/ids.js';
import { CHANNEL, PEOPLE, startHarness, type Harness } from '../support/bot-harness.js';
import { startFakeGithub, type FakeGithub } from '../support/github/fake-github.js';
import { LEAD as GITHUB_LEAD } from '../support/github/wire.js';
import { blockText, patch } from '../support/patch-command.js';
import { small } from '../support/population/presets.js';
import { GITHUB_TOKEN } from './sync-support.js';
import { auditActions, messageOf, toldTo, until } from './workflow-support.js';

describe('a dismissal at the source', () => {
  const population = small();
  let h: Harness;
  let github: FakeGithub;
  beforeAll(async () => {
    github = await startFakeGithub(population, { token: GITHUB_TOKEN });
    h = await startHarness({ now: new Date(population.now), env: { GITHUB_TOKEN, GITHUB_ORG: population.github.org, GITHUB_API_URL: github.url } });
    await sync();
  });
  afterAll(async () => {
    await h.close();
    await github.close();
  });

  /** The scheduled sync, run now (under its lease, publishing what it changed, as every six hours). */
  async function sync(): Promise<void> {
    expect(await h.running.jobs.runNow('sync')).toEqual({ status: 'done' });
  }

  /** A remediation whose findings are all open alerts, each dismissed in GitHub now (by GitHub's `octo-lead`). */
  async function dismissAll(comment: string): Promise<Remediation> {
    const open = await h.store.findings.list({ source: 'github', state: 'open' });
    const byRemediation = new Map<string, Finding[]>();
    for (const f of open) byRemediation.set(f.remediationId!, [...(byRemediation.get(f.remediationId!) ?? []), f]);
    for (const [id, findings] of byRemediation) {
      const r = (await h.store.remediations.get(id))!;
      if (r.state !== 'new' || r.findingIds.length !== findings.length) continue;
      for (const f of findings) {
        const [, repo, n] = /^github:(.+):alert:(\d+)$/.exec(f.id)!;
        github.updateAlert(repo!, Number(n), { state: 'dismissed', dismissedReason: 'tolerable_risk', dismissedComment: comment });
      }
      return r;
    }
    throw new Error('no remediation of open alerts only');
  }

  it('holds it open for a lead, says who and why on its message, counts it open and overdue; a lead confirms it as a risk acceptance', async () => {
    const r = await dismissAll('Only reachable from the VPN <!channel>');
    await sync();
    const held = (await h.store.remediations.get(r.id))!;
    expect(held).toMatchObject({ state: 'dismissal_review', closedAt: null, resolution: null, dueAt: r.dueAt });
    expect(held.upstreamDismissal?.findings[0]).toMatchObject({ source: 'github', by: GITHUB_LEAD.login, reason: 'tolerable_risk', comment: 'Only reachable from the VPN <!channel>' });
    expect((await auditActions(h, r.id)).at(-1)).toBe('remediation.dismissed_upstream');

    // Its message (posted for it, with the two decisions) and a line in its thread, the source's words escaped.
    const message = await until(async () => (await h.store.remediations.get(r.id))!.message && messageOf(h, (await h.store.remediations.get(r.id))!), 'its message');
    const shown = JSON.stringify(message.blocks);
    expect(shown).toContain(ACTION.confirmDismissal);
    expect(shown).toContain(ACTION.rejectDismissal);
    expect(shown).not.toContain(ACTION.assess);
    const [note] = await until(() => h.fake.replies(CHANNEL, message.ts).map((m) => m.text).filter(Boolean), 'the thread note');
    expect(note).toBe(`Dismissed at the source: GitHub by ${GITHUB_LEAD.login} (tolerable_risk: “Only reachable from the VPN &lt;!channel&gt;”). A lead confirms it as a risk acceptance or rejects it; until then it is open and counts against the SLA.`);

    // Open and overdue in the status report once its due date has passed.
    h.setNow(new Date(Date.parse(r.dueAt) + 86_400_000));
    const status = blockText((await patch(h, PEOPLE.manager.id, 'status')).responses[0]?.blocks);
    expect(status).toContain('Dismissed at the source, waiting for a lead: 1');
    expect(status).toContain(`*${r.id}*`);
    expect(status).toMatch(/\*Overdue\*\n[1-9]/);
    h.setNow(new Date(population.now));

    // An engineer may not decide; a lead confirms it with an expiry, the source's words prefilled.
    await h.driver.blockAction({ user: PEOPLE.engineer.id, message: messageOf(h, held), action_id: ACTION.confirmDismissal });
    await until(() => toldTo(h, PEOPLE.engineer.id).includes('Only a lead can do that. Roles are set in the patchwarden policy file; ask your engineering lead.'), 'the refusal');
    await h.driver.blockAction({ user: PEOPLE.lead2.id, message: messageOf(h, held), action_id: ACTION.confirmDismissal });
    const modal = await until(() => h.fake.views({ user: PEOPLE.lead2.id, callbackId: VIEW.confirmDismissal }).at(-1), 'the confirm modal');
    expect(JSON.stringify(modal.view.blocks)).toContain('tolerable_risk: Only reachable from the VPN');
    const res = await h.driver.viewSubmission({ user: PEOPLE.lead2.id, view: modal, inputs: { justification: 'Internal only; agreed with security.', compensating_control: 'VPN-only access', expiry: '2026-12-01' } });
    expect(res.viewResponseProblems).toEqual([]);
    await until(async () => (await h.store.remediations.get(r.id))!.state === 'risk_accepted', 'the risk acceptance');
    const after = (await h.store.remediations.get(r.id))!;
    expect(after.riskAcceptance).toMatchObject({ by: PEOPLE.lead2.id, justification: 'Internal only; agreed with security.', compensatingControl: 'VPN-only access' });
    expect(after.upstreamDismissal?.decision).toMatchObject({ outcome: 'confirmed', by: PEOPLE.lead2.id });
    expect((await auditActions(h, r.id)).slice(-1)).toEqual(['remediation.dismissal_confirmed']);
    // The next sync over the same dismissal leaves it as the lead decided.
    await sync();
    expect((await h.store.remediations.get(r.id))!.state).toBe('risk_accepted');
  });

  it('a lead rejects another: back to where it stood, the reason kept; the same dismissal is not raised again', async () => {
    const r = await dismissAll('not used in production');
    await sync();
    const held = await until(async () => {
      const x = (await h.store.remediations.get(r.id))!;
      return x.state === 'dismissal_review' && x.message ? x : null;
    }, 'held with its message');
    await h.driver.blockAction({ user: PEOPLE.lead.id, message: messageOf(h, held), action_id: ACTION.rejectDismissal });
    const modal = await until(() => h.fake.views({ user: PEOPLE.lead.id, callbackId: VIEW.rejectDismissal }).at(-1), 'the reject modal');
    const bare = await h.driver.viewSubmission({ user: PEOPLE.lead.id, view: modal, inputs: {} });
    expect(bare.body).toEqual({ response_action: 'errors', errors: { reason: 'Please fill in the reason.' } });
    await h.driver.viewSubmission({ user: PEOPLE.lead.id, view: modal, inputs: { reason: 'It is used by the billing job.' } });
    await until(async () => (await h.store.remediations.get(r.id))!.state === 'new', 'back to new');
    expect((await h.store.remediations.get(r.id))!.upstreamDismissal?.decision).toMatchObject({ outcome: 'rejected', by: PEOPLE.lead.id, reason: 'It is used by the billing job.' });
    await sync();
    expect((await h.store.remediations.get(r.id))!.state).toBe('new');
    expect((await auditActions(h, r.id)).filter((a) => a.startsWith('remediation.dismiss'))).toEqual(['remediation.dismissed_upstream', 'remediation.dismissal_rejected']);
  });
});
