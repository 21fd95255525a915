import { REMEDIATION_STATES } from '../../../src/domain/remediation-state.js';
import { DEFAULT_SLA } from '../../../src/domain/sla.js';
import { ACTION, decodeButtonValue } from '../../../src/slack/ids.js';
import { nextActions, remediationMessage } from '../../../src/slack/views/remediation-message.js';
import { validateMessageBlocks } from '../../support/slack/block-kit-limits.js';
import { aRemediation, aTest, T0 } from '../../support/builders.js';

const ctx = { now: new Date('2026-11-10T12:00:00Z'), timeZone: 'Europe/Berlin', sla: DEFAULT_SLA };

describe('the remediation message', () => {
  it.each(REMEDIATION_STATES.map((s) => [s]))('is valid Block Kit when %s', (state) => {
    const r = aRemediation({ state, tests: [aTest()], closedAt: state === 'verified' ? ctx.now.toISOString() : null, resolution: state === 'verified' ? 'fixed_upstream' : null });
    expect(validateMessageBlocks(remediationMessage(r, ctx).blocks, { strictActionIds: true })).toEqual([]);
  });

  it('stays within Slack’s limits with a huge title, hundreds of CVEs and many tests', () => {
    const r = aRemediation({
      title: 'x'.repeat(5000),
      cves: Array.from({ length: 500 }, (_, i) => `CVE-2026-${10000 + i}`),
      tests: Array.from({ length: 40 }, () => aTest({ environment: 'e'.repeat(300), files: Array.from({ length: 10 }, () => aTest().files[0]!) })),
    });
    const m = remediationMessage(r, ctx);
    expect(validateMessageBlocks(m.blocks)).toEqual([]);
    expect(JSON.stringify(m.blocks)).toContain('+492 more');
  });

  it('shows what it is, where it stands and when it is due', () => {
    const r = aRemediation({ id: 'PW-7', title: 'Upgrade lodash to 4.17.21 in acme/api', severity: 'critical', state: 'new', dueAt: '2026-11-08T09:00:00.000Z', owner: 'U0OWNER', kevDueAt: '2026-11-08T00:00:00.000Z' });
    const m = remediationMessage(r, ctx);
    const text = JSON.stringify(m.blocks);
    expect(text).toContain('*PW-7 · Upgrade lodash to 4.17.21 in acme/api*');
    expect(text).toContain(':red_circle: Critical · :rotating_light: KEV');
    expect(text).toContain('Sun 8 Nov 2026* (overdue, 3 days ago)');
    expect(text).toContain('<@U0OWNER>');
    expect(m.text).toBe('PW-7 Upgrade lodash to 4.17.21 in acme/api: critical, new, due Sun 8 Nov 2026');
  });

  it('escapes what came from outside', () => {
    const m = remediationMessage(aRemediation({ title: 'Fix <script> & <@U123> in a&b' }), ctx);
    expect(JSON.stringify(m.blocks)).toContain('Fix &lt;script&gt; &amp; &lt;@U123&gt; in a&amp;b');
  });

  // A Dependabot fix (the builder's default): CI results to record, Deploy now merges its pull request.
  it.each([
    ['new', [ACTION.assess, ACTION.acceptRisk]],
    ['reopened', [ACTION.assess, ACTION.acceptRisk]],
    ['assessed', [ACTION.uploadEvidence, ACTION.recordChecks, ACTION.assess, ACTION.acceptRisk]],
    ['testing', [ACTION.uploadEvidence, ACTION.recordChecks, ACTION.acceptRisk]],
    ['tested', [ACTION.approve, ACTION.uploadEvidence, ACTION.recordChecks, ACTION.acceptRisk]],
    ['approved', [ACTION.approve, ACTION.deployNow, ACTION.acceptRisk]],
    ['scheduled', [ACTION.approve, ACTION.deployNow, ACTION.acceptRisk]],
    ['failed', [ACTION.approve, ACTION.deployNow, ACTION.acceptRisk]],
    ['deploying', []],
    ['deployed', []],
    ['verified', []],
    ['risk_accepted', []],
  ] as const)('offers the next step when %s', (state, actions) => {
    const buttons = nextActions(aRemediation({ id: 'PW-3', state }));
    expect(buttons.map((b) => b.action_id)).toEqual(actions);
    for (const b of buttons) expect(decodeButtonValue(b.value)).toEqual({ r: 'PW-3' });
  });

  it('records each step taken in its progress line', () => {
    const r = aRemediation({
      state: 'scheduled',
      assessment: { by: 'U0LEAD', at: T0.toISOString(), severity: 'high', kevListed: false, epss: null, knownExploit: false, businessImpact: 'medium', rationale: 'r', owner: null, dueAt: T0.toISOString() },
      tests: [aTest({ by: 'U0ENG' })],
      decisions: [{ decision: 'approved', by: 'U0APP', at: T0.toISOString(), reason: '', changeTicket: 'CHG-42' }],
      schedule: { windowId: 'w', windowName: 'Production, Saturday 22:00', startsAt: '2026-11-14T21:00:00.000Z', endsAt: '2026-11-15T01:00:00.000Z', by: 'U0APP', at: T0.toISOString() },
    });
    const progress = JSON.stringify(remediationMessage(r, ctx).blocks.find((b) => b.block_id === 'progress'));
    expect(progress).toContain('Assessed by <@U0LEAD> on Sun 1 Nov 2026');
    expect(progress).toContain('Tested in staging by <@U0ENG>: *pass*, 1 file (1 test run)');
    expect(progress).toContain('Approved by <@U0APP> on Sun 1 Nov 2026 · CHG-42');
    expect(progress).toContain('Window: Production, Saturday 22:00, Sat 14 Nov 22:00');
  });
});
