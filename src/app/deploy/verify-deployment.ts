/**
 * Step 7, verify then close. After an OS-patch run, the targets' patch states: fresh when their operation ended
 * after the deployment started (the Install reports compliance); otherwise a Scan goes out on the stale ones (sent
 * once, like any run; kept in the deployment's details as `scan`) and they are read again. Verified only when none
 * of the remediation's patches is still Missing or Failed on any target, with the compliance snapshot as evidence.
 * After a merge or an outside change: verified when every finding is fixed (or dismissed) at its source, read with a
 * growing wait for up to a day (the next sync may say so first); a deployment its sources do not confirm by then
 * goes back to failed with what is still open, never verified.
 */
import type { Deployment, Remediation } from '../../domain/remediation.js';
import { deployPath } from '../../domain/deploy-path.js';
import { verify, type VerifyInput } from '../../domain/deploy-transitions.js';
import { SYSTEM } from '../../domain/roles.js';
import type { ComplianceSnapshot, InstanceCompliance, SourceConfirmation, SsmRun } from '../../domain/run-records.js';
import { instant } from '../../domain/time.js';
import type { Step } from '../workflow/apply-step.js';
import type { DeployDeps, Pace } from './deploy-deps.js';
import type { PatchStateReport, SsmRuns } from './deploy-ports.js';
import { PROGRESS } from './run-deployment.js';
import { createSayStep } from './say-step.js';
import { sendOnce, trackRun, type SentBatch } from './ssm-commands.js';
import { plannedRun } from './targets.js';

const verifyData = (input: VerifyInput) => ({ clean: input.clean, ...input.details, evidence: input.evidence ?? null });
const VERIFIED: Step<VerifyInput> = { transition: verify, action: 'remediation.verified', data: verifyData };
const NOT_CLEAN: Step<VerifyInput> = { transition: verify, action: 'remediation.verification_failed', data: verifyData };

export const lastDeployment = (r: Remediation): Deployment | null => r.deployments.findLast((d) => d.status === 'succeeded') ?? null;

export function createVerifyDeployment(deps: DeployDeps) {
  const { store, connectors, now, timing, policy } = deps;
  const say = createSayStep(deps);

  async function record(r: Remediation, input: VerifyInput): Promise<void> {
    const done = await say(r.id, input.clean ? VERIFIED : NOT_CLEAN, input, SYSTEM.deploy, (after) => ({ kind: 'verified', r: after }));
    if (!done.ok && done.error.code !== 'remediation.invalid_state') throw new Error(`could not record the verification of ${r.id}: ${done.error.code}`);
  }

  /** Scans the instances whose patch state predates the deployment; false when it had to stop first. */
  async function scan(r: Remediation, d: Deployment, ssm: SsmRuns, stale: readonly string[], installed: SsmRun, pace: Pace): Promise<boolean> {
    const byId = new Map(installed.instances.map((i) => [i.instanceId, i]));
    const existing = d.details.scan as SsmRun | undefined;
    const planned = existing ?? plannedRun(policy.deploy, 'Scan', { environment: installed.environment, instances: stale.map((id) => ({ instanceId: id, name: byId.get(id)?.name ?? null, platform: null })) });
    const save = async (run: SsmRun, sent?: SentBatch, first = false) => {
      const saved = await say(r.id, PROGRESS, { deploymentId: d.id, details: { scan: run }, purpose: 'scan', ...(sent ? { sent } : {}) }, SYSTEM.deploy, first ? (after) => ({ kind: 'scan_started', r: after, instances: stale.length }) : undefined);
      if (!saved.ok) throw new Error(`could not record the scan of ${r.id}: ${saved.error.code}`);
    };
    if (!existing) await save(planned, undefined, true);
    const since = new Date(d.finishedAt ?? d.startedAt);
    const sent = await sendOnce(ssm, planned, `${d.id}-scan`, since, save, pace);
    return (await trackRun(ssm, sent, since, pace, timing, save)).finished;
  }

  async function ssmVerification(r: Remediation, d: Deployment, installed: SsmRun, pace: Pace): Promise<void> {
    const ssm = connectors.ssm;
    if (!ssm) return;
    const path = deployPath(r);
    const patchIds = path.kind === 'ssm' ? path.patchIds : [];
    const ids = installed.instances.map((i) => i.instanceId);
    // SSM reports whole seconds: an operation that ended in the second the deployment started counts as after it.
    const since = instant(new Date(Math.floor(Date.parse(d.startedAt) / 1000) * 1000));
    const fresh = (s: PatchStateReport | undefined): boolean => s !== undefined && s.operationEndTime >= since;
    let states = new Map((await ssm.patchStates(ids)).map((s) => [s.instanceId, s]));
    const stale = ids.filter((id) => !fresh(states.get(id)));
    if (stale.length > 0) {
      if (!(await scan(r, d, ssm, stale, installed, pace))) return;
      states = new Map((await ssm.patchStates(ids)).map((s) => [s.instanceId, s]));
    }
    const instances: InstanceCompliance[] = [];
    const unconfirmed: string[] = [];
    for (const i of installed.instances) {
      const s = states.get(i.instanceId);
      if (!s || !fresh(s)) {
        unconfirmed.push(i.instanceId);
        continue;
      }
      const open = s.missing + s.failed === 0 ? [] : await ssm.openPatches(i.instanceId);
      const stillOpen = open === null ? [...patchIds] : open.filter((kb) => patchIds.includes(kb));
      instances.push({ instanceId: i.instanceId, name: i.name, baselineId: s.baselineId, patchGroup: s.patchGroup, installed: s.installed, missing: s.missing, failed: s.failed, operation: s.operation, operationEndTime: s.operationEndTime, stillOpen });
    }
    const evidence: ComplianceSnapshot = { kind: 'ssm_compliance', takenAt: instant(now()), instances };
    const stillOpen = Object.fromEntries(instances.filter((c) => c.stillOpen.length > 0).map((c) => [c.instanceId, c.stillOpen]));
    const clean = unconfirmed.length === 0 && Object.keys(stillOpen).length === 0;
    await record(r, { clean, details: { deploymentId: d.id, stillOpen, unconfirmed }, evidence });
  }

  async function sourceVerification(r: Remediation, d: Deployment, pace: Pace): Promise<void> {
    const deadline = Date.parse(d.finishedAt ?? d.startedAt) + timing.verifyForMs;
    let wait = timing.verifyFirstMs;
    for (;;) {
      const current = await store.remediations.get(r.id);
      if (!current || current.state !== 'deployed') return; // the sync verified it meanwhile
      const findings = await store.findings.getMany(current.findingIds);
      const read = await Promise.all(findings.map(async (f) => (f.state !== 'open' ? { state: f.state, at: f.fixedAt ?? f.dismissedAt } : (await connectors.sources.stateOf(f.id)) ?? { state: f.state, at: null })));
      const evidence: SourceConfirmation = { kind: 'source_state', takenAt: instant(now()), findings: findings.map((f, k) => ({ findingId: f.id, state: read[k]!.state, at: read[k]!.at })) };
      const open = evidence.findings.filter((f) => f.state === 'open').map((f) => f.findingId);
      if (open.length === 0) return record(current, { clean: true, details: { deploymentId: d.id }, evidence });
      if (now().getTime() >= deadline) return record(current, { clean: false, details: { deploymentId: d.id, stillOpen: open, reason: 'not confirmed fixed at the source within a day' }, evidence });
      if (pace.stopped()) return;
      await pace.sleep(Math.max(1, Math.min(wait, deadline - now().getTime())));
      wait = Math.min(wait * 2, timing.verifyMaxMs);
    }
  }

  /** Verifies the remediation's last deployment, as far as it can now. */
  return async (r: Remediation, pace: Pace): Promise<void> => {
    const d = lastDeployment(r);
    if (!d) return;
    if (d.record?.kind === 'ssm_run') return ssmVerification(r, d, d.record, pace);
    return sourceVerification(r, d, pace);
  };
}
