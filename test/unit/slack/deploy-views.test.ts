import type { Deployment, Remediation } from '../../../src/domain/remediation.js';
import type { ComplianceSnapshot, InstanceRun, SsmRun } from '../../../src/domain/run-records.js';
import { DEFAULT_SLA } from '../../../src/domain/sla.js';
import { deployNote } from '../../../src/slack/deploy/deploy-notes.js';
import { ACTION } from '../../../src/slack/ids.js';
import { blastRadiusBlocks } from '../../../src/slack/views/blast-radius.js';
import { deployNowModal, emergencyApprovalModal, markDeployedModal, stagingRunModal } from '../../../src/slack/views/deploy-modals.js';
import { nextActions, remediationMessage } from '../../../src/slack/views/remediation-message.js';
import { timelineMessage } from '../../../src/slack/views/timeline.js';
import { validateMessageBlocks, validateView } from '../../support/slack/block-kit-limits.js';
import { aRemediation, aTest, T0 } from '../../support/builders.js';

const ctx = { now: new Date('2026-11-10T12:00:00Z'), timeZone: 'Europe/Berlin', sla: DEFAULT_SLA };
const POLICY_DEPLOY = { document: 'AWS-RunPatchBaseline', rebootOption: 'RebootIfNeeded', maxConcurrency: '10%', maxErrors: '0', emergencyApprovalDays: 3, pollSeconds: 15 } as const;
const os = { remedy: { kind: 'os_patches' as const, environment: 'production', patchIds: ['KB1', 'KB2'] }, findingIds: ['ssm:i-0:KB1'] };

const instance = (k: number, status: InstanceRun['status']): InstanceRun => ({
  instanceId: `i-0${k.toString(16).padStart(16, '0')}`, name: `web-${k}.ec2.internal <&>`, status, statusDetails: status, responseCode: status === 'Failed' ? 1 : status === 'Success' ? 0 : null,
  output: status === 'Failed' ? `${'x'.repeat(2400)} Failed to install package <kernel>` : 'ok', startedAt: T0.toISOString(), finishedAt: T0.toISOString(),
});
const run = (n: number, status: (k: number) => InstanceRun['status']): SsmRun => ({
  kind: 'ssm_run', operation: 'Install', environment: 'production', document: 'AWS-RunPatchBaseline', rebootOption: 'RebootIfNeeded', maxConcurrency: '10%', maxErrors: '0',
  commandIds: Array.from({ length: Math.ceil(n / 50) }, (_, k) => `c${k}-0000-4000-8000-000000000000`), instances: Array.from({ length: n }, (_, k) => instance(k, status(k))),
});
const deployment = (record: SsmRun, extra: Partial<Deployment> = {}): Deployment => ({ id: 'd-1', by: 'system:deploy', startedAt: T0.toISOString(), status: 'running', finishedAt: null, reason: null, details: {}, record, ...extra });
const snapshot = (n: number): ComplianceSnapshot => ({
  kind: 'ssm_compliance', takenAt: T0.toISOString(),
  instances: Array.from({ length: n }, (_, k) => ({ instanceId: `i-0${k}`, name: `web-${k}`, baselineId: 'pb-0123', patchGroup: 'production', installed: 40, missing: k % 7 === 0 ? 1 : 0, failed: 0, operation: 'Install' as const, operationEndTime: T0.toISOString(), stillOpen: k % 7 === 0 ? ['KB1'] : [] })),
});

describe('deploying in the remediation message', () => {
  it('shows the count as it goes, the unfinished and failed instances first, within Slack’s limits with 500 instances', () => {
    const r = aRemediation({ ...os, state: 'deploying', deployments: [deployment(run(500, (k) => (k < 2 ? 'Success' : k === 2 ? 'Failed' : 'InProgress')))] });
    const m = remediationMessage(r, ctx);
    expect(validateMessageBlocks(m.blocks, { strictActionIds: true })).toEqual([]);
    const text = JSON.stringify(m.blocks);
    expect(text).toContain('deploying: 3 of 500 instances done (1 failed)');
    expect(text).toContain('…and 492 more instances');
    expect(text).toContain('web-2.ec2.internal &lt;&amp;&gt;');
    expect(text).toContain('Failed to install package &lt;kernel&gt;'); // the end of the output, where the error is
  });

  it('shows the compliance snapshot once verified, within the limits', () => {
    const r = aRemediation({ ...os, state: 'failed', deployments: [deployment(run(500, () => 'Success'), { status: 'succeeded', finishedAt: T0.toISOString() })], verification: { at: ctx.now.toISOString(), clean: false, details: { unconfirmed: ['i-9'] }, evidence: snapshot(500) } });
    const m = remediationMessage(r, ctx);
    expect(validateMessageBlocks(m.blocks)).toEqual([]);
    const text = JSON.stringify(m.blocks);
    expect(text).toContain('Patch compliance snapshot of');
    expect(text).toContain('still open: `KB1`');
    expect(text).toContain('No patch state after the deployment from 1 instance');
  });

  it('/patch show stays within 50 blocks with a 500-instance deployment, its scan, a staging run and CI checks', () => {
    const staging = aTest({ files: [], run: run(120, (k) => (k % 3 ? 'Success' : 'Failed')) });
    const ci = aTest({ environment: 'ci', files: [], run: { kind: 'ci_checks', repository: 'acme/api', pullNumber: 7, url: 'https://github.com/acme/api/pull/7', headSha: 'a'.repeat(40), checks: Array.from({ length: 40 }, (_, k) => ({ name: `check-${k}`, status: 'completed', conclusion: 'success', url: null, completedAt: null })) } });
    const d = deployment(run(500, () => 'Success'), { status: 'succeeded', finishedAt: T0.toISOString(), details: { scan: { ...run(500, () => 'Success'), operation: 'Scan' } }, emergency: { kind: 'emergency_change', by: 'U0LEAD', reason: 'r'.repeat(3000), at: T0.toISOString(), approvalDueAt: T0.toISOString(), approval: null } });
    const r = aRemediation({ ...os, state: 'verified', tests: [staging, ci], deployments: Array.from({ length: 7 }, () => d), verification: { at: ctx.now.toISOString(), clean: true, details: {}, evidence: snapshot(500) } });
    const m = timelineMessage({ remediation: r, events: [], detail: { remediation: r, findings: [], assets: new Map() } }, ctx);
    expect(validateMessageBlocks(m.blocks)).toEqual([]);
    expect(m.blocks.length).toBeLessThanOrEqual(50);
  });

  it('offers Run in staging and Deploy now for OS patches, Mark deployed for Snyk only, and the emergency approval', () => {
    expect(nextActions(aRemediation({ ...os, state: 'assessed' })).map((b) => b.action_id)).toEqual([ACTION.uploadEvidence, ACTION.runStaging, ACTION.assess, ACTION.acceptRisk]);
    expect(nextActions(aRemediation({ ...os, state: 'scheduled' })).map((b) => b.action_id)).toEqual([ACTION.approve, ACTION.deployNow, ACTION.acceptRisk]);
    expect(nextActions(aRemediation({ findingIds: ['snyk:1'], state: 'approved' })).map((b) => b.action_id)).toEqual([ACTION.approve, ACTION.markDeployed, ACTION.acceptRisk]);
    const emergency = deployment(run(1, () => 'Success'), { status: 'succeeded', emergency: { kind: 'emergency_change', by: 'U0LEAD', reason: 'r', at: T0.toISOString(), approvalDueAt: T0.toISOString(), approval: null } });
    expect(nextActions(aRemediation({ ...os, state: 'verified', deployments: [emergency] })).map((b) => b.action_id)).toEqual([ACTION.approveEmergency]);
  });
});

describe('the deploy modals', () => {
  const r: Remediation = aRemediation({ ...os, id: 'PW-123456', title: 'x'.repeat(3000), state: 'approved' });
  const targets = { environment: 'production', instances: run(500, () => 'Pending').instances.map((i) => ({ instanceId: i.instanceId, name: i.name, platform: 'Linux' })) };
  const radius = blastRadiusBlocks({ kind: 'ssm', targets }, POLICY_DEPLOY);
  it.each([
    ['Run in staging', stagingRunModal({ r, timeZone: 'UTC', privateMetadata: '{}', radius })],
    ['Deploy now', deployNowModal({ r, timeZone: 'UTC', privateMetadata: '{}', radius, approvalDays: 3 })],
    ['Deploy now, a Dependabot fix', deployNowModal({ r, timeZone: 'UTC', privateMetadata: '{}', radius: blastRadiusBlocks({ kind: 'dependabot', repository: 'acme/api', package: 'lodash', version: '4.17.21' }, POLICY_DEPLOY), approvalDays: 1 })],
    ['Mark deployed', markDeployedModal({ r, timeZone: 'UTC', privateMetadata: '{}' })],
    ['Approve emergency change', emergencyApprovalModal({ r, timeZone: 'UTC', privateMetadata: '{}', deployment: deployment(run(1, () => 'Success'), { emergency: { kind: 'emergency_change', by: 'U0LEAD', reason: 'r'.repeat(3000), at: T0.toISOString(), approvalDueAt: T0.toISOString(), approval: null } }) })],
  ])('%s is valid Block Kit with the largest inputs', (_name, view) => expect(validateView(view)).toEqual([]));

  it('names the blast radius: count, environment, names, document and settings', () => {
    const text = JSON.stringify(radius);
    expect(text).toContain('*Blast radius:* 500 instances in *production*');
    expect(text).toContain('and 480 more');
    expect(text).toContain('AWS-RunPatchBaseline Install · RebootIfNeeded · 10% at a time · stops after 0 errors');
  });
});

describe('deploy notes', () => {
  it('name each failed instance with the end of its output', () => {
    const r = aRemediation({ ...os, state: 'failed', deployments: [deployment(run(3, (k) => (k === 1 ? 'Failed' : 'Success')), { status: 'failed' })] });
    const note = deployNote({ kind: 'deploy_finished', r }, 'UTC')!;
    expect(note).toMatch(/^:x: Deployment failed: 1 of 3 instances did not succeed\.\n• web-1\.ec2\.internal &lt;&amp;&gt; \(`i-00000000000000001`\): Failed · _….*Failed to install package &lt;kernel&gt;_\nA lead can reschedule it/);
  });
  it('say nothing for progress (the message shows it)', () => expect(deployNote({ kind: 'progress', r: aRemediation() }, 'UTC')).toBeNull());
});
