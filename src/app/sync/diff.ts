/**
 * What changed between what a source reports and what the store holds, as pure functions: a finding merged with
 * its stored self (grouping and first detection kept), whether anything real changed, and the one audit event
 * that records it. Nothing unchanged is ever written, so a re-sync of the same data writes nothing.
 */
import type { Asset } from '../../domain/asset.js';
import type { Finding } from '../../domain/finding.js';
import { canonicalJson, type AuditEventInput } from '../audit.js';

/** The fields that make up a finding's content: all but `remediationId`, which is the sync's, not the source's. */
const FINDING_FIELDS = [
  'source', 'assetId', 'title', 'package', 'ecosystem', 'fixedIn', 'cves', 'ghsas', 'severity', 'cvss', 'epss', 'kevDueAt',
  'url', 'state', 'detectedAt', 'fixedAt', 'dismissedAt', 'installedVersion', 'vulnerableRange', 'manifest', 'reference',
] as const satisfies readonly (keyof Finding)[];

/** An asset's content, but for its times (below). */
const ASSET_FIELDS = ['kind', 'name', 'source', 'environment', 'owner', 'ownerRule', 'inScope'] as const satisfies readonly (keyof Asset)[];

/**
 * When an asset was last seen and scanned, and time-valued attributes (an SSM agent's last ping): a source may move
 * them on every run (GitHub says nothing better than "now"; an agent pings every few minutes), and writing them
 * each time would rewrite and audit every asset on every run. They count as changed when they appear, vanish, or
 * move by a day or more: what the inventory's staleness check (N days) needs.
 */
const ASSET_TIMES = ['lastSeenAt', 'lastScannedAt'] as const satisfies readonly (keyof Asset)[];
export const ASSET_TIME_RESOLUTION_MS = 86_400_000;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function timeMoved(a: unknown, b: unknown): boolean {
  if (a === b) return false;
  if (typeof a !== 'string' || typeof b !== 'string' || !INSTANT.test(a) || !INSTANT.test(b)) return true;
  return Math.abs(Date.parse(a) - Date.parse(b)) >= ASSET_TIME_RESOLUTION_MS;
}

type Change = { readonly from: unknown; readonly to: unknown };

function changes<T, K extends keyof T>(fields: readonly K[], before: T, after: T): Record<string, Change> {
  const out: Record<string, Change> = {};
  for (const k of fields) {
    const a = before[k] ?? null;
    const b = after[k] ?? null;
    if (a !== b && canonicalJson(a) !== canonicalJson(b)) out[k as string] = { from: a, to: b };
  }
  return out;
}

export const findingChanges = (stored: Finding, next: Finding): Record<string, Change> => changes(FINDING_FIELDS, stored, next);
export function assetChanges(stored: Asset, next: Asset): Record<string, Change> {
  const out = changes(ASSET_FIELDS, stored, next);
  for (const k of ASSET_TIMES) if (timeMoved(stored[k] ?? null, next[k] ?? null)) out[k] = { from: stored[k] ?? null, to: next[k] ?? null };
  for (const k of new Set([...Object.keys(stored.attributes), ...Object.keys(next.attributes)])) {
    const a = stored.attributes[k] ?? null;
    const b = next.attributes[k] ?? null;
    if (timeMoved(a, b)) out[`attributes.${k}`] = { from: a, to: b };
  }
  return out;
}

export interface Enrichment {
  /** Earliest CISA due date of the finding's CVEs, or undefined when the catalogue could not be read. */
  readonly kevDueAt: string | null | undefined;
  /** EPSS from the feed, for a finding seen for the first time. */
  readonly epss: number | null;
}

const earlier = (a: string | null, b: string | null): string | null => (a === null ? b : b === null ? a : a < b ? a : b);

/**
 * The finding to store: the source's view, enriched, keeping what the store knows better: its remediation, the
 * first detection, EPSS already looked up, and when it closed when the source does not say.
 */
export function mergeFinding(incoming: Finding, stored: Finding | undefined, enrich: Enrichment, now: string): Finding {
  const kevDueAt = enrich.kevDueAt === undefined ? (stored?.kevDueAt ?? incoming.kevDueAt) : enrich.kevDueAt;
  const epss = incoming.epss ?? stored?.epss ?? enrich.epss;
  if (!stored) return { ...incoming, kevDueAt, epss, remediationId: null };
  const closedAt = (state: Finding['state'], reported: string | null, kept: string | null): string | null =>
    incoming.state !== state ? reported : (reported ?? (stored.state === state ? kept : now));
  return {
    ...incoming,
    kevDueAt,
    epss,
    detectedAt: earlier(stored.detectedAt, incoming.detectedAt) ?? incoming.detectedAt,
    fixedAt: closedAt('fixed', incoming.fixedAt, stored.fixedAt),
    dismissedAt: closedAt('dismissed', incoming.dismissedAt, stored.dismissedAt),
    remediationId: stored.remediationId,
  };
}

/** A stored open finding a complete scan no longer reports: fixed now. */
export const fixedNow = (f: Finding, now: string): Finding => ({ ...f, state: 'fixed', fixedAt: now });

const findingFacts = (f: Finding) => ({ source: f.source, assetId: f.assetId, severity: f.severity, cves: f.cves, package: f.package, remediationId: f.remediationId });

/** The event for a finding written: detected, fixed, dismissed, reopened, changed, or grouped (only placed). */
export function findingEvent(stored: Finding | undefined, next: Finding, at: string, actor: string): AuditEventInput {
  const base = { at, actor, subject: next.id };
  if (!stored) return { ...base, action: 'finding.detected', data: { ...findingFacts(next), state: next.state, kevDueAt: next.kevDueAt } };
  const changed = findingChanges(stored, next);
  const { state: _state, fixedAt: _f, dismissedAt: _d, ...rest } = changed;
  const data = { ...findingFacts(next), changes: rest };
  if (stored.state !== next.state) {
    const action = next.state === 'open' ? 'finding.reopened' : next.state === 'fixed' ? 'finding.fixed' : 'finding.dismissed';
    return { ...base, action, data: { ...data, from: stored.state, fixedAt: next.fixedAt, dismissedAt: next.dismissedAt } };
  }
  if (Object.keys(changed).length > 0) return { ...base, action: 'finding.changed', data };
  return { ...base, action: 'finding.grouped', data: findingFacts(next) };
}

export function assetEvent(stored: Asset | undefined, next: Asset, at: string, actor: string): AuditEventInput {
  const facts = { source: next.source, kind: next.kind, name: next.name };
  if (!stored) return { at, actor, subject: next.id, action: 'asset.discovered', data: { ...facts, environment: next.environment, owner: next.owner, ownerRule: next.ownerRule ?? null, inScope: next.inScope } };
  return { at, actor, subject: next.id, action: 'asset.changed', data: { ...facts, changes: assetChanges(stored, next) } };
}
