/**
 * A seeded month for the evidence pack: November 2026 (UTC), with remediations in every state written the way the
 * bot writes them (the workflow's applyStep on a moving clock, the sync's actor for upstream closes and reopenings;
 * deployments, which the deploy work records, as version-checked writes with their transition events), evidence files
 * in the store, assets with coverage gaps, Snyk findings and sync runs. `SEED` says what the pack must find.
 */
import type { AuditAction } from '../../src/app/audit-actions.js';
import { transitionEvent } from '../../src/app/audit.js';
import type { Store } from '../../src/app/ports.js';
import { createApplyStep, type Step } from '../../src/app/workflow/apply-step.js';
import { writeVersioned } from '../../src/app/write-versioned.js';
import { newRemediation } from '../../src/domain/new-remediation.js';
import type { Deployment, EvidenceFile, MaintenanceSlot, Remedy, Remediation } from '../../src/domain/remediation.js';
import { SYSTEM, SYSTEM_ID, userActor, type Actor } from '../../src/domain/roles.js';
import type { Severity } from '../../src/domain/severity.js';
import { DEFAULT_SLA } from '../../src/domain/sla.js';
import * as t from '../../src/domain/transitions.js';
import { aComplianceSnapshot, aDeployment, anInstanceCompliance, anSsmRun, aPullRequestChecks, aPullRequestMerge, aSourceConfirmation, anEmergency } from './run-record-builders.js';
import { seedInventory } from './evidence-seed-inventory.js';

export const LEAD = userActor('U0LEAD', ['lead']);
export const LEAD2 = userActor('U0LEAD2', ['lead']);
export const ENGINEER = userActor('U0ENGINEER', ['engineer']);
export const APPROVER = userActor('U0APPROVER', ['approver']);

/** What the pack of November 2026 must say about this seed (worked out by hand from the story below). */
export const SEED = {
  period: '2026-11',
  population: ['c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'q', 'r'],
  outside: ['a', 'b', 'p'],
  slaInScope: 6,
  slaMissed: ['m', 'e', 'l'],
  slaExcepted: ['l'],
  changes: 6,
  untested: ['k'],
  unresolved: ['d', 'e', 'k', 'm', 'r'],
  unowned: ['e'],
  emergencies: ['j', 'k', 'r'],
  lateEmergencies: ['k'],
  evidenceFiles: 8,
  mergedPrs: ['h', 'j', 'k'],
  complianceRows: 2,
  changeApprovalRows: 8,
} as const;

const day = (d: string, hh = 9): Date => new Date(`${d}T${String(hh).padStart(2, '0')}:00:00.000Z`);

export async function seedEvidencePeriod(store: Store): Promise<Record<string, string>> {
  let now = day('2026-09-01');
  const applyStep = createApplyStep({ store, sla: DEFAULT_SLA, now: () => now });
  const ids: Record<string, string> = {};
  let n = 0;

  async function create(key: string, at: string, severity: Severity, owner: string | null, remedy?: Remedy): Promise<void> {
    now = day(at);
    const id = `PW-${(n += 1)}`;
    ids[key] = id;
    const r = newRemediation({
      id, key: `github:acme/api|npm:pkg-${key}`, title: `Upgrade pkg-${key} in acme/api`, remedy: remedy ?? { kind: 'package_upgrade', ecosystem: 'npm', package: `pkg-${key}`, fixedIn: '2.0.0' },
      assetIds: ['github:acme/api'], findingIds: [`github:acme/api:alert:${n}`], cves: [`CVE-2026-${1000 + n}`], severity, detectedAt: now.toISOString(), kevDueAt: null, owner,
    }, DEFAULT_SLA, now);
    const made = await store.remediations.create(r, [{ at: now.toISOString(), actor: SYSTEM_ID.sync, action: 'remediation.created', subject: id, data: { key: r.key, severity } }]);
    if (!made.ok) throw new Error(made.error.code);
  }

  async function step<I>(key: string, at: string, s: Step<I>, input: I, actor: Actor, hh = 9): Promise<void> {
    now = day(at, hh);
    const done = await applyStep(ids[key]!, s, input, actor);
    if (!done.ok) throw new Error(`${key} ${s.action}: ${done.error.code}`);
  }

  /** A write the workflow of this branch has no step for (deployments): the change and its transition event. */
  async function write(key: string, at: string, action: string, actor: string, change: (r: Remediation) => Partial<Remediation>, hh = 9): Promise<void> {
    now = day(at, hh);
    const done = await writeVersioned(store.remediations, ids[key]!, (r) => {
      const next = { ...r, ...change(r), updatedAt: now.toISOString() };
      return { ok: true, value: { next, events: [transitionEvent(action as AuditAction, now, actor, r, next, {})] } };
    });
    if (!done.ok) throw new Error(`${key} ${action}: ${(done.error as { code: string }).code}`);
  }

  async function files(...names: string[]): Promise<EvidenceFile[]> {
    return Promise.all(names.map(async (name) => {
      const bytes = Buffer.from(`${name}: staging run ${n}, all checks passed\n`.repeat(40));
      const stored = await store.evidence.put(bytes, name, name.endsWith('.png') ? 'image/png' : 'text/plain');
      return { ...stored, name, mimeType: name.endsWith('.png') ? 'image/png' : 'text/plain', slackFileId: null };
    }));
  }

  const assess = (severity: Severity, owner: string | null): t.AssessInput => ({ severity, knownExploit: false, epss: 0.1, businessImpact: 'medium', rationale: 'Reachable from the internet', owner });
  const STEP = {
    assess: { transition: t.assess, action: 'remediation.assessed' } as Step<t.AssessInput>,
    test: { transition: t.recordTest, action: 'remediation.test_recorded' } as Step<t.TestInput>,
    approve: { transition: t.approve, action: 'remediation.approved' } as Step<t.DecisionInput>,
    reject: { transition: t.reject, action: 'remediation.rejected' } as Step<t.DecisionInput>,
    schedule: { transition: t.schedule, action: 'remediation.scheduled', data: ({ slot }) => ({ ...slot }) } as Step<{ slot: MaintenanceSlot }>,
    risk: { transition: t.acceptRisk, action: 'remediation.risk_accepted' } as Step<t.RiskInput>,
    close: { transition: t.closeUpstream, action: 'remediation.closed_upstream' } as Step<t.UpstreamCloseInput>,
    reopen: { transition: t.reopen, action: 'remediation.reopened' } as Step<{ reason: string }>,
  };
  const pass = async (key: string, at: string, names: string[], run?: unknown) =>
    step(key, at, STEP.test, { id: `test-${key}-${at}`, environment: 'staging', result: 'pass', notes: 'Smoke tests green', files: await files(...names), ...(run ? { run } : {}) } as t.TestInput, ENGINEER);
  const slot = (start: string, hours = 4) => ({ windowId: 'weekly', windowName: 'Weekly patch window', startsAt: day(start, 22).toISOString(), endsAt: new Date(day(start, 22).getTime() + hours * 3_600_000).toISOString() });
  const deploy = async (key: string, at: string, d: Partial<Deployment>, outcome: 'succeeded' | 'failed' = 'succeeded') => {
    const dep = aDeployment({ id: `dep-${key}`, by: 'U0LEAD', startedAt: day(at, 23).toISOString(), status: 'running', finishedAt: null, ...d });
    await write(key, at, 'remediation.deployment_started', 'U0LEAD', (r) => ({ state: 'deploying', deployments: [...r.deployments, dep] }), 23);
    await write(key, at, outcome === 'succeeded' ? 'remediation.deployed' : 'remediation.deployment_failed', SYSTEM_ID.sync, (r) => ({
      state: outcome === 'succeeded' ? 'deployed' : 'failed',
      deployments: r.deployments.map((x) => (x.id === dep.id ? { ...x, status: outcome, finishedAt: day(at, 23).toISOString().replace('23:00:00', '23:30:00'), reason: outcome === 'failed' ? 'i-0abc000000000002 Failed' : null } : x)),
    }), 23);
  };
  const verified = (key: string, at: string, evidence: unknown) => write(key, at, 'remediation.verified', SYSTEM_ID.sync, () => ({ state: 'verified', closedAt: day(at).toISOString(), resolution: 'deployed', verification: { at: day(at).toISOString(), clean: true, details: {}, evidence } as Remediation['verification'] }));

  // September and October: what was already there when November began.
  await create('m', '2026-09-01', 'high', 'U0OWNER2');
  await step('m', '2026-09-02', STEP.assess, assess('high', 'U0OWNER2'), LEAD);
  await create('o', '2026-09-10', 'low', 'U0OWNER');
  await create('p', '2026-09-10', 'low', 'U0OWNER');
  await create('a', '2026-10-01', 'medium', 'U0OWNER');
  await step('p', '2026-10-05', STEP.close, { resolution: 'fixed_upstream', details: {} }, SYSTEM.sync);
  await step('a', '2026-10-10', STEP.close, { resolution: 'fixed_upstream', details: {} }, SYSTEM.sync);
  await create('i', '2026-10-10', 'medium', 'U0OWNER', { kind: 'os_patches', environment: 'production', patchIds: ['KB5034129'] });
  await step('i', '2026-10-12', STEP.assess, assess('medium', 'U0OWNER'), LEAD);
  await create('n', '2026-10-15', 'medium', 'U0OWNER', { kind: 'os_patches', environment: 'production', patchIds: ['KB5034130'] });
  await step('n', '2026-10-16', STEP.assess, assess('medium', 'U0OWNER'), LEAD);
  await pass('i', '2026-10-20', ['staging-run.log'], anSsmRun({ environment: 'staging' }));
  await pass('n', '2026-10-20', ['n-staging.log']);
  await step('n', '2026-10-21', STEP.approve, { reason: 'Routine', changeTicket: 'CHG-2001' }, APPROVER);
  await step('n', '2026-10-21', STEP.schedule, { slot: slot('2026-11-19') }, LEAD);
  await step('i', '2026-10-22', STEP.approve, { reason: 'Routine', changeTicket: 'CHG-2000' }, APPROVER);
  await step('i', '2026-10-22', STEP.schedule, { slot: slot('2026-11-07') }, LEAD);
  await step('o', '2026-10-25', STEP.close, { resolution: 'fixed_upstream', details: {} }, SYSTEM.sync);
  await create('g', '2026-10-25', 'medium', 'U0OWNER');
  await create('l', '2026-10-28', 'critical', 'U0OWNER');
  await step('l', '2026-10-29', STEP.assess, assess('critical', 'U0OWNER'), LEAD);
  await step('g', '2026-10-30', STEP.assess, assess('medium', 'U0OWNER'), LEAD);

  // November.
  await create('e', '2026-11-01', 'critical', null);
  await create('f', '2026-11-01', 'medium', 'U0OWNER');
  await create('h', '2026-11-01', 'high', 'U0OWNER');
  await create('d', '2026-11-02', 'high', 'U0OWNER');
  await step('e', '2026-11-02', STEP.assess, assess('critical', null), LEAD);
  await step('f', '2026-11-02', STEP.assess, assess('medium', 'U0OWNER'), LEAD);
  await step('h', '2026-11-02', STEP.assess, assess('high', 'U0OWNER'), LEAD);
  await step('d', '2026-11-03', STEP.assess, assess('high', 'U0OWNER'), LEAD);
  await create('q', '2026-11-03', 'medium', 'U0OWNER');
  await step('q', '2026-11-04', STEP.assess, assess('medium', 'U0OWNER'), LEAD);
  await pass('h', '2026-11-04', ['h-ci.png'], aPullRequestChecks());
  await pass('g', '2026-11-05', ['g-staging.log']);
  await create('c', '2026-11-05', 'low', 'U0OWNER');
  await step('h', '2026-11-05', STEP.approve, { reason: 'Green CI', changeTicket: 'CHG-2002' }, APPROVER);
  await step('h', '2026-11-05', STEP.schedule, { slot: slot('2026-11-14') }, LEAD);
  await step('e', '2026-11-06', STEP.test, { id: 'test-e', environment: 'staging', result: 'fail', notes: 'Service does not start', files: [] }, ENGINEER);
  await deploy('i', '2026-11-07', { record: anSsmRun() });
  await step('o', '2026-11-07', STEP.reopen, { reason: 'open again upstream' }, SYSTEM.sync);
  await verified('i', '2026-11-08', aComplianceSnapshot({ takenAt: day('2026-11-08').toISOString(), instances: [anInstanceCompliance(), anInstanceCompliance({ instanceId: 'i-0abc000000000002', name: 'web-2' })] }));
  await pass('f', '2026-11-08', ['f-screenshot.png', 'f-smoke.log']);
  await step('f', '2026-11-09', STEP.reject, { reason: 'Evidence shows the old version', changeTicket: null }, APPROVER);
  await step('g', '2026-11-10', STEP.approve, { reason: 'Routine', changeTicket: 'CHG-2003' }, LEAD);
  await step('g', '2026-11-10', STEP.schedule, { slot: slot('2026-12-12') }, LEAD);
  await create('j', '2026-11-10', 'critical', 'U0OWNER');
  await step('j', '2026-11-10', STEP.assess, assess('critical', 'U0OWNER'), LEAD, 10);
  await step('f', '2026-11-10', STEP.test, { id: 'test-f2', environment: 'staging', result: 'pass', notes: 'Retested', files: (await store.remediations.get(ids.f!))!.tests[0]!.files }, ENGINEER, 10);
  await pass('j', '2026-11-11', ['j-staging.log']);
  await deploy('j', '2026-11-12', { record: aPullRequestMerge({ pullNumber: 77, url: 'https://github.com/acme/api/pull/77', mergedAt: day('2026-11-12', 23).toISOString() }), emergency: anEmergency({ at: day('2026-11-12', 23).toISOString(), approvalDueAt: day('2026-11-15').toISOString() }) });
  await write('j', '2026-11-13', 'remediation.emergency_approved', 'U0LEAD2', (r) => ({ deployments: r.deployments.map((d) => ({ ...d, emergency: { ...d.emergency!, approval: { by: 'U0LEAD2', at: day('2026-11-13').toISOString(), note: 'Right call: exploited in the wild' } } })) }));
  await verified('j', '2026-11-13', aSourceConfirmation({ takenAt: day('2026-11-13', 12).toISOString() }));
  await deploy('h', '2026-11-14', { record: aPullRequestMerge({ mergedAt: day('2026-11-14', 23).toISOString() }) });
  await verified('h', '2026-11-16', aSourceConfirmation({ takenAt: day('2026-11-16').toISOString() }));
  await step('l', '2026-11-18', STEP.risk, { justification: 'Vendor fix breaks payroll export', compensatingControl: 'WAF rule blocks the vulnerable endpoint', expiresAt: '2027-02-01T00:00:00.000Z' }, LEAD);
  await deploy('n', '2026-11-19', { record: anSsmRun({ instances: [anSsmRun().instances[0]!, { ...anSsmRun().instances[0]!, instanceId: 'i-0abc000000000002', status: 'Failed' }] }) }, 'failed');
  await create('k', '2026-11-20', 'high', 'U0OWNER');
  await step('k', '2026-11-21', STEP.assess, assess('high', 'U0OWNER'), LEAD);
  await deploy('k', '2026-11-25', { record: aPullRequestMerge({ pullNumber: 99, url: 'https://github.com/acme/api/pull/99', mergedAt: day('2026-11-25', 23).toISOString() }), emergency: anEmergency({ at: day('2026-11-25', 23).toISOString(), approvalDueAt: day('2026-11-28').toISOString() }) });
  await create('r', '2026-11-26', 'high', 'U0OWNER');
  await step('r', '2026-11-27', STEP.assess, assess('high', 'U0OWNER'), LEAD);
  await pass('r', '2026-11-28', ['r-staging.log']);
  await deploy('r', '2026-11-29', { record: { kind: 'manual', changeUrl: 'https://change.example.com/CHG-2100' }, emergency: anEmergency({ at: day('2026-11-29', 23).toISOString(), approvalDueAt: day('2026-12-02').toISOString() }) });
  await seedInventory(store, day('2026-11-20'));

  // December: after the period; none of it may show as of November's end.
  await step('q', '2026-12-02', STEP.assess, assess('critical', 'U0OWNER3'), LEAD);
  await write('r', '2026-12-02', 'remediation.emergency_approved', 'U0LEAD2', (r) => ({ deployments: r.deployments.map((d) => ({ ...d, emergency: { ...d.emergency!, approval: { by: 'U0LEAD2', at: day('2026-12-02').toISOString(), note: 'Agreed' } } })) }));
  await create('b', '2026-12-03', 'critical', 'U0OWNER');
  await pass('q', '2026-12-04', ['q-late.log']);
  await step('p', '2026-12-05', STEP.reopen, { reason: 'open again upstream' }, SYSTEM.sync);
  return ids;
}
