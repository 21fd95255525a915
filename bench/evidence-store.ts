/**
 * A year of patch management for the evidence-pack bench, written through the Store port as the bot writes it: 10,000
 * remediations walked through the process by the domain's transitions on a simulated clock (each write a version with
 * its audit events), 2,000 evidence files, assets and findings, and enough sync, reminder and finding events to make
 * 200,000 audit events in all. Deterministic; day by day, three store transactions a day.
 */
import type { AuditEventInput } from '../src/app/audit.js';
import { transitionEvent } from '../src/app/audit.js';
import type { Store } from '../src/app/ports.js';
import type { Asset } from '../src/domain/asset.js';
import type { Finding } from '../src/domain/finding.js';
import { newRemediation } from '../src/domain/new-remediation.js';
import type { EvidenceFile, Remediation } from '../src/domain/remediation.js';
import type { EmergencyChange, PullRequestMerge } from '../src/domain/run-records.js';
import { SYSTEM, userActor } from '../src/domain/roles.js';
import type { Severity } from '../src/domain/severity.js';
import { DEFAULT_SLA } from '../src/domain/sla.js';
import { addDays, instant } from '../src/domain/time.js';
import * as t from '../src/domain/transitions.js';
import { createRng } from '../test/support/population/prng.js';

export const YEAR = { from: '2026-01-01', to: '2026-12-31', start: new Date('2025-12-01T08:00:00.000Z'), days: 400 };
export const SIZE = { remediations: 10_000, auditEvents: 200_000, evidenceFiles: 2_000, assets: 2_000 };

type Step = (r: Remediation, at: Date) => { next: Remediation; event: AuditEventInput } | null;
const LEAD = userActor('U0LEAD1', ['lead']);
const ENGINEER = userActor('U0ENG1', ['engineer']);
const APPROVER = userActor('U0APPROVER1', ['approver']);

/** A transition as a bench step: applied at `at`, with its transition event (null when refused). */
/**
 * A change the deploy work makes (its transitions are its own), written as that work writes it: the record patched,
 * with its transition event.
 */
const patch = (action: string, change: (r: Remediation, at: string) => Partial<Remediation>, actor = 'system:deploy'): Step => (r, at) => {
  const next = { ...r, ...change(r, instant(at)), updatedAt: instant(at) };
  return { next, event: transitionEvent(action as never, at, actor, r, next, {}) };
};

const step = <I>(action: string, transition: t.Transition<I>, input: (r: Remediation, at: Date) => I, actor = LEAD): Step => (r, at) => {
  const next = transition(r, input(r, at), { actor, now: at, sla: DEFAULT_SLA });
  return next.ok ? { next: next.value, event: transitionEvent(action as never, at, actor.kind === 'user' ? actor.userId : 'system:bench', r, next.value, {}) } : null;
};

export async function buildEvidenceYear(store: Store, log: (line: string) => void): Promise<void> {
  const rnd = createRng(2026).next;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const assets: Asset[] = Array.from({ length: SIZE.assets }, (_, i) => {
    const kind = i % 5 === 0 ? 'ssm' : i % 5 === 1 ? 'snyk' : 'github';
    return {
      id: kind === 'ssm' ? `ssm:i-${i.toString(16).padStart(17, '0')}` : kind === 'snyk' ? `snyk:project:${i}` : `github:acme/service-${i}`,
      kind: kind === 'ssm' ? 'instance' : kind === 'snyk' ? 'application' : 'repository', name: kind === 'ssm' ? `web-${i}` : `acme/service-${i}`, source: kind,
      environment: pick(['production', 'staging']), owner: i % 40 === 0 ? null : `U0OWNER${i % 30}`, inScope: i % 50 !== 0,
      lastSeenAt: '2026-12-30T00:00:00.000Z', lastScannedAt: i % 33 === 0 ? '2026-10-01T00:00:00.000Z' : '2026-12-30T00:00:00.000Z',
      attributes: kind === 'ssm' ? { pingStatus: i % 45 === 0 ? 'ConnectionLost' : 'Online' } : {},
    } as Asset;
  });
  const findings: Finding[] = Array.from({ length: 20_000 }, (_, i) => {
    const a = assets[i % assets.length]!;
    const detected = addDays(YEAR.start, Math.floor(rnd() * 390));
    const fixed = rnd() < 0.5 ? instant(addDays(detected, 5 + Math.floor(rnd() * 60))) : null;
    return {
      id: `${a.id}:finding:${i}`, source: a.source, assetId: a.id, title: `Vulnerability ${i}`, package: `pkg-${i % 500}`, ecosystem: 'npm', fixedIn: '2.0.0',
      cves: [`CVE-2026-${20000 + i}`], ghsas: [], severity: pick(['critical', 'high', 'medium', 'low']), cvss: 7.5, epss: 0.1, kevDueAt: null, url: null,
      state: fixed ? 'fixed' : 'open', detectedAt: instant(detected), fixedAt: fixed, dismissedAt: null, remediationId: null,
    };
  });
  await store.commit({ assets, findings, events: [] });

  // Each remediation's story: the day it starts and the steps after it (days later, a step).
  const current = new Map<string, Remediation>();
  /** The evidence file a test step records, stored just before it. */
  const evidence = new Map<string, EvidenceFile[]>();
  const plan = new Map<number, { id: string; step: Step; files?: number }[]>();
  const creations = new Map<number, Remediation[]>();
  let files = 0;
  const schedule = (d: number, id: string, s: Step, f?: number) => plan.set(d, [...(plan.get(d) ?? []), { id, step: s, ...(f ? { files: f } : {}) }]);
  const severities: Severity[] = ['critical', 'high', 'high', 'medium', 'medium', 'medium', 'low', 'low', 'low'];
  for (let i = 1; i <= SIZE.remediations; i += 1) {
    const d0 = Math.floor(rnd() * 385);
    const a = assets[i % assets.length]!;
    const id = `PW-${i}`;
    const severity = pick(severities);
    const r = newRemediation({
      id, key: `${a.id}|npm:pkg-${i}`, title: `Upgrade pkg-${i} to 2.${i % 20}.0 in ${a.name}`, remedy: { kind: 'package_upgrade', ecosystem: 'npm', package: `pkg-${i}`, fixedIn: `2.${i % 20}.0` },
      assetIds: [a.id], findingIds: [`github:${a.name}:alert:${i}`], cves: [`CVE-2026-${30000 + i}`], severity, detectedAt: instant(addDays(YEAR.start, d0)), kevDueAt: null,
      owner: i % 20 === 0 ? null : `U0OWNER${i % 30}`,
    }, DEFAULT_SLA, addDays(YEAR.start, d0));
    creations.set(d0, [...(creations.get(d0) ?? []), r]);
    // Fates: 40% fixed upstream, 5% risk accepted, a third still open after assessment, the rest tested (one
    // evidence file each, 2,000 in all) and most of those approved, deployed and verified.
    const fate = rnd();
    let d = d0 + 1 + Math.floor(rnd() * 3);
    if (fate < 0.4) { schedule(d + 5, id, step('remediation.closed_upstream', t.closeUpstream, () => ({ resolution: 'fixed_upstream' as const, details: {} }), SYSTEM.sync)); continue; }
    schedule(d, id, step('remediation.assessed', t.assess, () => ({ severity, knownExploit: false, epss: 0.1, businessImpact: 'medium' as const, rationale: 'Bench assessment', owner: r.owner })));
    if (fate < 0.45) { schedule(d + 5, id, step('remediation.risk_accepted', t.acceptRisk, (_r, now) => ({ justification: 'Bench', compensatingControl: 'WAF', expiresAt: instant(addDays(now, 60)) }))); continue; }
    if (fate < 0.78 || files >= SIZE.evidenceFiles) continue;
    files += 1;
    d += 2 + Math.floor(rnd() * 8);
    schedule(d, id, step('remediation.test_recorded', t.recordTest, () => ({ id: `test-${i}`, environment: 'staging', result: 'pass' as const, notes: 'Bench run green', files: evidence.get(id) ?? [] }), ENGINEER), files);
    if (fate < 0.8) continue;
    d += 1 + Math.floor(rnd() * 3);
    schedule(d, id, step('remediation.approved', t.approve, () => ({ reason: 'Routine', changeTicket: `CHG-${i}` }), APPROVER));
    const slot = { windowId: 'weekly', windowName: 'Weekly', startsAt: instant(addDays(YEAR.start, d + 4)), endsAt: instant(addDays(YEAR.start, d + 4.2)) };
    schedule(d, id, step('remediation.scheduled', t.schedule, () => ({ slot })));
    if (fate < 0.82) continue;
    d += 4;
    const ok = fate > 0.84;
    schedule(d, id, patch('remediation.deployment_started', (_r, at) => ({ state: 'deploying', deployments: [{ id: `dep-${i}`, by: 'U0LEAD1', startedAt: at, status: 'running', finishedAt: null, reason: null, details: {} }] })));
    schedule(d, id, patch(ok ? 'remediation.deployed' : 'remediation.deployment_failed', (r, at) => ({
      state: ok ? 'deployed' : 'failed', deployments: r.deployments.map((x) => ({ ...x, status: ok ? 'succeeded' : 'failed', finishedAt: at, reason: ok ? null : 'an instance failed' })),
    })));
    if (ok) schedule(d + 1, id, patch('remediation.verified', (_r, at) => ({ state: 'verified', closedAt: at, resolution: 'deployed', verification: { at, clean: true, details: {}, evidence: { kind: 'source_state', takenAt: at, findings: [] } } })));
  }

  // The rest of the log: sync runs, reminders and finding events, spread over the days.
  const transitions = [...plan.values()].reduce((n, xs) => n + xs.length, 0) + SIZE.remediations + files;
  const perDay = Math.floor((SIZE.auditEvents - transitions) / YEAR.days);
  for (let day = 0; day < YEAR.days; day += 1) {
    const now = addDays(YEAR.start, day);
    const created = creations.get(day) ?? [];
    if (created.length > 0) {
      await store.remediations.createMany!(created.map((r) => ({ remediation: r, events: [{ at: r.createdAt, actor: 'system:sync', action: 'remediation.created', subject: r.id, data: { key: r.key, severity: r.severity } }] })));
      for (const r of created) current.set(r.id, { ...r, version: 1 });
    }
    const writes = new Map<string, { next: Remediation; from: number; events: AuditEventInput[] }>();
    const uploads: AuditEventInput[] = [];
    for (const { id, step: s, files: f } of plan.get(day) ?? []) {
      const earlier = writes.get(id);
      // Later than this remediation's previous step of the day, whatever the draw.
      const stamp = new Date(Math.max(now.getTime() + 3_600_000 * (1 + Math.floor(rnd() * 8)), Date.parse(earlier?.next.updatedAt ?? '') + 60_000 || 0));
      if (f) {
        const name = `run-${f}.log`;
        const stored = await store.evidence.put(Buffer.alloc(4096 + (f % 16) * 4096, `evidence file ${f} `), name, 'text/plain');
        evidence.set(id, [{ ...stored, name, mimeType: 'text/plain', slackFileId: null }]);
        uploads.push({ at: instant(stamp), actor: 'U0ENG1', action: 'evidence.uploaded', subject: id, data: { name, ...stored } });
      }
      const done = s(earlier?.next ?? current.get(id)!, stamp);
      if (!done) throw new Error(`bench store: a step of ${id} was refused`);
      let next = done.next;
      if (next.state === 'deployed' && num(id) % 4 === 0) next = { ...next, deployments: next.deployments.map((x) => ({ ...x, record: merged(num(id), x.finishedAt) })) };
      if (next.state === 'deploying' && num(id) % 50 === 0) next = { ...next, deployments: next.deployments.map((x) => ({ ...x, emergency: emergency(stamp) })) };
      writes.set(id, { next, from: earlier?.from ?? current.get(id)!.version, events: [...(earlier?.events ?? []), done.event] });
    }
    if (writes.size > 0) {
      const results = await store.remediations.updateMany!([...writes.values()].map((w) => ({ next: w.next, expectedVersion: w.from, events: w.events })));
      results.forEach((res) => {
        if (!res.ok) throw new Error(`bench store: ${res.error.code}`);
        current.set(res.value.id, res.value);
      });
    }
    const others = [...uploads, ...Array.from({ length: perDay }, (_, k) => otherEvent(assets, now, day, k))];
    await store.audit.append(others);
    if (day % 50 === 0) log(`built day ${day} of ${YEAR.days}`);
  }
  // Up to exactly the size asked for, on the last day.
  const short = SIZE.auditEvents - ((await store.audit.head())?.seq ?? 0);
  if (short > 0) await store.audit.append(Array.from({ length: short }, (_, k) => otherEvent(assets, addDays(YEAR.start, YEAR.days - 1), YEAR.days, k)));
  log(`store built: ${SIZE.remediations.toLocaleString('en-US')} remediations, ${((await store.audit.head())?.seq ?? 0).toLocaleString('en-US')} audit events, ${files} evidence files`);
}

const num = (id: string): number => Number(id.slice(3));

const emergency = (at: Date): EmergencyChange => ({
  kind: 'emergency_change', by: 'U0LEAD1', reason: 'Exploited in the wild', at: instant(at), approvalDueAt: instant(addDays(at, 3)),
  approval: { by: 'U0LEAD2', at: instant(addDays(at, 1)), note: 'Agreed' },
});

const merged = (n: number, at: string | null): PullRequestMerge => ({
  kind: 'pr_merge', repository: 'acme/api', pullNumber: n, url: `https://github.com/acme/api/pull/${n}`, headSha: 'a'.repeat(40), mergeCommitSha: 'b'.repeat(40), mergedAt: at, mergedBy: 'dependabot-merger', checks: [],
});

/** A sync run now and then, otherwise a finding detected or fixed. */
function otherEvent(assets: readonly Asset[], day: Date, n: number, k: number): AuditEventInput {
  const stamp = instant(new Date(day.getTime() + k * 1000));
  if (k % 97 === 0) {
    return { at: stamp, actor: 'system:sync', action: 'sync.completed', subject: `sync:${stamp}`, data: { sources: [{ source: 'github', status: 'ok' }, { source: 'snyk', status: k % 5 ? 'ok' : 'failed', error: null }, { source: 'ssm', status: 'ok' }] } };
  }
  const a = assets[(n * 1000 + k) % assets.length]!;
  return { at: stamp, actor: 'system:sync', action: k % 3 ? 'finding.detected' : 'finding.fixed', subject: `${a.id}:finding:${n}-${k}`, data: { package: `pkg-${k}`, severity: 'high', state: k % 3 ? 'open' : 'fixed' } };
}
