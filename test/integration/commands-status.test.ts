/**
 * `/patch status` over real HTTP: a manager asks, Bolt acks, the answer arrives at the response_url with the exact
 * numbers of a known population (open by severity and state, overdue with owners, due within 7 days, SLA
 * compliance, time to remediate, next window, coverage gaps).
 */
import type { Remediation } from '../../src/domain/remediation.js';
import { addDays, instant } from '../../src/domain/time.js';
import { anAsset, aFinding } from '../support/builders.js';
import { CHANNEL, PEOPLE, startHarness, type Harness } from '../support/bot-harness.js';
import { blockText, patch } from '../support/patch-command.js';

const NOW = new Date('2026-11-02T09:00:00.000Z');
const day = (n: number): string => instant(addDays(NOW, n));

/** Five open, four closed within 90 days (three on time), one closed long ago. */
async function seedPopulation(h: Harness): Promise<Record<string, Remediation>> {
  const closed = (slaStart: number, closedAt: number, due: number, extra: Partial<Remediation> = {}): Partial<Remediation> => ({
    state: 'verified', resolution: 'deployed', slaStartAt: day(slaStart), detectedAt: day(slaStart), closedAt: day(closedAt), dueAt: day(due), ...extra,
  });
  const specs: Record<string, Partial<Remediation>> = {
    critOverdue: { severity: 'critical', state: 'new', owner: PEOPLE.engineer.id, dueAt: day(-2), title: 'Upgrade openssl in acme/edge' },
    highOverdue: { severity: 'high', state: 'assessed', owner: PEOPLE.engineer.id, dueAt: day(-1) },
    highUnowned: { severity: 'high', state: 'testing', owner: null, dueAt: day(-5) },
    mediumSoon: { severity: 'medium', state: 'scheduled', owner: PEOPLE.engineer2.id, dueAt: day(3) },
    lowLater: { severity: 'low', state: 'new', owner: PEOPLE.engineer.id, dueAt: day(30) },
    critLate: { severity: 'critical', ...closed(-20, -10, -13) },
    highOnTime: { severity: 'high', ...closed(-40, -20, -10) },
    highUpstream: { severity: 'high', ...closed(-30, -5, 0, { resolution: 'fixed_upstream' }) },
    mediumAccepted: { severity: 'medium', ...closed(-10, -3, 80, { state: 'risk_accepted', resolution: 'risk_accepted' }) },
    lowLongAgo: { severity: 'low', ...closed(-200, -120, -100) },
  };
  const out: Record<string, Remediation> = {};
  for (const [name, spec] of Object.entries(specs)) out[name] = await h.seed(spec);
  // Coverage gaps: an unowned repository with an open finding, an SSM instance whose agent is gone and not scanned
  // for 40 days, a repository with Dependabot off; an out-of-scope asset with every problem counts for nothing.
  const unowned = anAsset({ id: 'github:acme/orphan', name: 'acme/orphan', owner: null, lastScannedAt: day(-1) });
  const lost = anAsset({ id: 'ssm:i-0lost', name: 'i-0lost', kind: 'instance', source: 'ssm', lastScannedAt: day(-40), attributes: { pingStatus: 'ConnectionLost' } });
  const noDependabot = anAsset({ id: 'github:acme/legacy', name: 'acme/legacy', lastScannedAt: day(-1), attributes: { dependabotDisabled: true } });
  const ignored = anAsset({ id: 'github:acme/sandbox', name: 'acme/sandbox', owner: null, inScope: false, lastScannedAt: null, attributes: { dependabotDisabled: true } });
  await h.store.commit({
    assets: [unowned, lost, noDependabot, ignored],
    findings: [aFinding({ assetId: unowned.id }), aFinding({ assetId: ignored.id }), aFinding({ assetId: noDependabot.id, state: 'fixed' })],
    events: [],
  });
  return out;
}

describe('/patch status public in a channel the policy names', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ now: NOW, policy: { status: { publicChannels: ['C0MGMT'] } } });
  });
  afterAll(() => h.close());

  it('posts there for a manager, and still not in other channels', async () => {
    const there = await patch(h, PEOPLE.manager.id, 'status public', { channel: 'C0MGMT' });
    expect(there.responses[0]).toMatchObject({ response_type: 'in_channel' });
    await patch(h, PEOPLE.manager.id, 'status public', { channel: 'C0SHARED', responses: 0, ephemerals: 1 });
    expect(h.fake.ephemerals({ user: PEOPLE.manager.id }).at(-1)?.text).toContain(`posts only in <#${CHANNEL}> or <#C0MGMT>`);
  });
});

describe('/patch status', () => {
  let h: Harness;
  let r: Record<string, Remediation>;
  beforeAll(async () => {
    h = await startHarness({ now: NOW });
    r = await seedPopulation(h);
  });
  afterAll(() => h.close());

  it('answers a manager privately with the exact numbers of the population', async () => {
    const answer = await patch(h, PEOPLE.manager.id, 'status');
    expect(answer.status).toBe(200);
    const [reply] = answer.responses;
    expect(reply?.response_type).toBe('ephemeral');
    const text = blockText(reply?.blocks);
    expect(text).toContain('*Open*\n5');
    expect(text).toContain('*Overdue*\n3');
    expect(text).toContain('*Due within 7 days*\n1');
    // Closed in the last 90 days: four; by their due date: three (the risk acceptance counts as a closure).
    expect(text).toContain('*SLA compliance, last 90 days*\n75.0% (3 of 4 closed remediations on time)');
    for (const [label, n] of [['Critical', 1], ['High', 2], ['Medium', 1], ['Low', 1]] as const) expect(text).toMatch(new RegExp(`${label}\\n${n} open`));
    expect(text).toContain('By state: New 2 · Assessed 1 · In testing 1 · Scheduled 1');
    // Overdue with owners: the engineer has two, one has nobody; each overdue one is named, most overdue first.
    expect(text).toContain(`*Overdue: 3* · by owner: <@${PEOPLE.engineer.id}> 2, _no owner_ 1`);
    const overdueIds = [r.highUnowned!.id, r.critOverdue!.id, r.highOverdue!.id];
    const positions = overdueIds.map((id) => text.indexOf(`*${id}*`));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(text).toContain(`*${r.mediumSoon!.id}*`);
    // Mean time to remediate, closed in 90 days, risk acceptances aside: critical 10 days, high (20 + 25) / 2.
    expect(text).toMatch(/Critical\n10\.0 days \(1\)/);
    expect(text).toMatch(/High\n22\.5 days \(2\)/);
    expect(text).toMatch(/Medium\n—/);
    expect(text).toContain('*Next maintenance window:* Staging, daily 07:00, Tue 3 Nov 07:00');
    expect(text).toContain('1 asset with open findings but no owner');
    expect(text).toContain('1 in-scope asset not scanned in 30 days');
    expect(text).toContain('1 SSM instance lost its agent connection');
    expect(text).toContain('1 repository with Dependabot alerts disabled');
    expect(h.fake.messages(CHANNEL)).toHaveLength(0);
  });

  it('`status public` answers in the patch channel, for everyone there: leads and managers may post it', async () => {
    for (const who of [PEOPLE.lead.id, PEOPLE.manager.id]) {
      const answer = await patch(h, who, 'status public');
      expect(answer.responses[0]).toMatchObject({ response_type: 'in_channel' });
      expect(blockText(answer.responses[0]?.blocks)).toContain('*Open*\n5');
    }
  });

  it('`status public` from an engineer, an approver or an auditor: a sentence, nothing posted, the refusal audited', async () => {
    for (const who of [PEOPLE.engineer.id, PEOPLE.approver.id, PEOPLE.auditor.id]) {
      const answer = await patch(h, who, 'status public', { responses: 0, ephemerals: 1 });
      expect(h.fake.ephemerals({ user: who }).at(-1)?.text).toBe('Only a lead or a manager can do that. Roles are set in the patchwarden policy file; ask your engineering lead.');
      expect(h.fake.responses(answer.responseUrl)).toEqual([]);
    }
    const denied = (await h.store.audit.bySubject('/patch status public')).filter((e) => e.action === 'access.denied');
    expect(denied.map((e) => [e.actor, e.data.attempted])).toEqual([[PEOPLE.engineer.id, 'publish_status'], [PEOPLE.approver.id, 'publish_status'], [PEOPLE.auditor.id, 'publish_status']]);
  });

  it('`status public` in any other channel (a shared one) is refused, even for a lead; privately it still answers there', async () => {
    const answer = await patch(h, PEOPLE.lead.id, 'status public', { channel: 'C0SHARED', responses: 0, ephemerals: 1 });
    expect(h.fake.ephemerals({ user: PEOPLE.lead.id }).at(-1)?.text).toBe(
      `\`/patch status public\` posts only in <#${CHANNEL}>, so nothing was posted here. \`/patch status\` shows it just to you.`,
    );
    expect(h.fake.responses(answer.responseUrl)).toEqual([]);
    const privately = await patch(h, PEOPLE.lead.id, 'status', { channel: 'C0SHARED' });
    expect(privately.responses[0]).toMatchObject({ response_type: 'ephemeral' });
  });

  it('every role may read it: an auditor and an engineer get it too', async () => {
    for (const who of [PEOPLE.auditor.id, PEOPLE.engineer.id]) {
      const answer = await patch(h, who, 'STATUS');
      expect(blockText(answer.responses[0]?.blocks)).toContain('Patch status');
    }
  });

  it('`inventory` lists assets by source and names the assets behind each coverage gap', async () => {
    const text = blockText((await patch(h, PEOPLE.lead.id, 'inventory')).responses[0]?.blocks);
    expect(text).toContain('4 assets, 3 in scope, 2 open findings.');
    expect(text).toContain('*GitHub*\n3 assets (2 in scope) · 2 open findings on 2 assets');
    expect(text).toContain('*AWS SSM*\n1 asset (1 in scope) · 0 open findings on 0 assets');
    expect(text).toContain(':warning: *1 asset with open findings but no owner*\n');
    expect(text).toMatch(/• \*acme\/orphan\* \(GitHub\) · production · 1 open finding/);
    expect(text).toMatch(/• \*i-0lost\* \(AWS SSM\) · production · <@U0OWNER> · last scanned Wed 23 Sept 2026/);
    expect(text).toMatch(/• \*i-0lost\* \(AWS SSM\) · production · <@U0OWNER> · agent ConnectionLost/);
    expect(text).toMatch(/• \*acme\/legacy\* \(GitHub\)/);
    expect(text).not.toContain('acme/sandbox');
  });

  it('a person with no role gets one sentence saying how roles are set, and the refusal is audited', async () => {
    const answer = await patch(h, PEOPLE.stranger.id, 'status', { responses: 0, ephemerals: 1 });
    expect(answer.status).toBe(200);
    const [told] = h.fake.ephemerals({ user: PEOPLE.stranger.id });
    expect(told?.text).toBe(
      'Only a lead, an engineer, an approver, a manager or an auditor can do that. Roles are set in the patchwarden policy file; ask your engineering lead.',
    );
    expect(h.fake.responses(answer.responseUrl)).toEqual([]);
    const denied = (await h.store.audit.bySubject('/patch status')).filter((e) => e.action === 'access.denied');
    expect(denied).toEqual([expect.objectContaining({ actor: PEOPLE.stranger.id, data: expect.objectContaining({ attempted: 'read' }) })]);
  });
});
