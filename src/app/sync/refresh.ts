/**
 * Bringing each remediation the run touched up to date, once per run: summarise its findings (all of them) and fold
 * the summary in with `absorb` (severity, due date incl. KEV, title, assets); then close it when none of its findings
 * is open any more (fixed or dismissed upstream; a deployed one is verified by the same fact; never mid-deployment),
 * or reopen a verified one whose finding came back. Written only when something changed, with what changed, and
 * only over the version read: a lead assessing at the same moment makes us reload and apply again.
 */
import type { Asset } from '../../domain/asset.js';
import type { Finding } from '../../domain/finding.js';
import { absorb, groupingFor, sameSummary, summarise, unknownAsset } from '../../domain/grouping.js';
import { type Remediation } from '../../domain/remediation.js';
import { isClosed } from '../../domain/remediation-state.js';
import { SYSTEM, SYSTEM_ID } from '../../domain/roles.js';
import type { SlaPolicy } from '../../domain/sla.js';
import { verify } from '../../domain/deploy-transitions.js';
import { closeUpstream, reopen, type TransitionContext } from '../../domain/transitions.js';
import { instant } from '../../domain/time.js';
import type { AuditAction } from '../audit-actions.js';
import { transitionEvent, type AuditEventInput } from '../audit.js';
import type { Store } from '../ports.js';
import type { RemediationCounts } from './report.js';
import { writeVersionedMany } from '../write-versioned.js';

export interface RefreshDeps {
  readonly store: Pick<Store, 'remediations' | 'findings' | 'assets'>;
  readonly sla: SlaPolicy;
  readonly now: () => Date;
  /** Assets already read this run, by id; filled as needed. */
  readonly assets: Map<string, Asset>;
}


const list = (xs: readonly string[]) => [...xs];
const added = (before: readonly string[], after: readonly string[]) => after.filter((x) => !before.includes(x));

/** What `absorb` changed, for the `remediation.updated` event. */
function summaryChanges(r: Remediation, next: Remediation): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['title', 'remedy', 'sourceSeverity', 'severity', 'kevDueAt', 'detectedAt', 'slaStartAt', 'dueAt'] as const) {
    if (JSON.stringify(r[k]) !== JSON.stringify(next[k])) out[k] = { from: r[k], to: next[k] };
  }
  for (const k of ['findingIds', 'assetIds', 'cves'] as const) {
    const plus = added(r[k], next[k]);
    const minus = added(next[k], r[k]);
    if (plus.length || minus.length) out[k] = { added: list(plus), removed: list(minus) };
  }
  return out;
}

type Outcome = { next: Remediation; events: AuditEventInput[]; counted: (keyof RemediationCounts)[] };

/** The new remediation and its events (none when nothing changed); pure apart from the clock in `ctx`. */
export function refreshed(r: Remediation, findings: readonly Finding[], assets: ReadonlyMap<string, Asset>, ctx: TransitionContext): Outcome {
  const at = instant(ctx.now);
  const event = (action: AuditAction, data: Record<string, unknown>): AuditEventInput => ({ at, actor: SYSTEM_ID.sync, action, subject: r.id, data });
  const out: Outcome = { next: r, events: [], counted: [] };
  const closeWith = (resolution: 'fixed_upstream' | 'dismissed_upstream', details: Record<string, unknown>): void => {
    // A deployed one is verified by its sources' word, kept as the evidence.
    const evidence = { kind: 'source_state' as const, takenAt: at, findings: findings.map((f) => ({ findingId: f.id, state: f.state, at: f.fixedAt ?? f.dismissedAt })) };
    const closed = r.state === 'deployed' ? verify(out.next, { clean: true, details, evidence }, ctx) : closeUpstream(out.next, { resolution, details }, ctx);
    if (!closed.ok) return;
    out.events.push(transitionEvent(r.state === 'deployed' ? 'remediation.verified' : 'remediation.closed_upstream', ctx.now, SYSTEM_ID.sync, r, closed.value, { resolution: closed.value.resolution, ...details }));
    out.next = closed.value;
    out.counted.push('closed');
  };
  if (findings.length === 0) {
    // Created by a run that died before committing its findings, which the source no longer reports.
    if (!isClosed(r.state)) closeWith('fixed_upstream', { reason: 'its findings were never recorded (a run was interrupted) and the source no longer reports them', findingIds: list(r.findingIds) });
    return out;
  }
  const pairs = findings.map((finding) => ({ finding, asset: assets.get(finding.assetId) ?? unknownAsset(finding.assetId) }));
  const grouping = groupingFor(r, pairs);
  if (grouping) {
    const absorbed = absorb(r, summarise(grouping, findings, assets), ctx.sla, ctx.now);
    if (!sameSummary(r, absorbed)) {
      out.next = absorbed;
      out.events.push(event('remediation.updated', summaryChanges(r, absorbed)));
      out.counted.push('updated');
    }
  }
  const open = findings.filter((f) => f.state === 'open');
  if (open.length === 0 && !isClosed(r.state) && r.state !== 'deploying') {
    const fixed = findings.filter((f) => f.state === 'fixed').map((f) => f.id);
    closeWith(fixed.length > 0 ? 'fixed_upstream' : 'dismissed_upstream', { fixed, dismissed: findings.filter((f) => f.state === 'dismissed').map((f) => f.id) });
  } else if (open.length > 0 && r.state === 'verified') {
    const back = reopen(out.next, { reason: `open again upstream: ${open.map((f) => f.id).join(', ')}` }, ctx);
    if (back.ok) {
      out.events.push(transitionEvent('remediation.reopened', ctx.now, SYSTEM_ID.sync, r, back.value, { findingIds: open.map((f) => f.id), dueAt: back.value.dueAt }));
      out.next = back.value;
      out.counted.push('reopened');
    }
  }
  return out;
}

/**
 * Refreshes each remediation once, in batches (one store write per batch where the adapter can); one that a lead
 * changed meanwhile is reloaded and refreshed again over the new version. A failure is a warning; the rest go on.
 * Returns the ids whose refresh gave up: the run records them, and the next run refreshes them.
 */
export async function refreshRemediations(ids: Iterable<string>, deps: RefreshDeps, counts: RemediationCounts, warn: (w: string) => void): Promise<string[]> {
  const { store, assets } = deps;
  const counted = new Map<string, Outcome['counted']>();
  const plan = async (r: Remediation) => {
    const findings = await store.findings.list({ remediationId: r.id });
    const missing = [...new Set(findings.map((f) => f.assetId))].filter((a) => !assets.has(a));
    if (missing.length > 0) for (const a of await store.assets.getMany(missing)) assets.set(a.id, a);
    const o = refreshed(r, findings, assets, { actor: SYSTEM.sync, now: deps.now(), sla: deps.sla });
    counted.set(r.id, o.counted);
    // A remediation people see in the channel shows what the sync found (closed upstream, reopened, a new due date).
    const effects = r.message ? [{ kind: 'remediation.message' as const, subject: r.id }] : [];
    return o.events.length > 0 ? { next: o.next, events: o.events, effects } : null;
  };
  const results = await writeVersionedMany(store.remediations, [...ids].sort(), plan);
  const owed: string[] = [];
  for (const [id, result] of results) {
    if (result.ok) for (const c of counted.get(id) ?? []) counts[c] += 1;
    else {
      owed.push(id);
      warn(`remediation ${id} could not be refreshed (${result.error.code}); the next sync refreshes it`);
    }
  }
  return owed;
}
