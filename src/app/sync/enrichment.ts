/**
 * KEV and EPSS for the sync. The KEV catalogue is read once per run; when it differs from the last run's (a CVE
 * added, a due date moved), every stored open finding is checked against it, so that a finding no source reports
 * again this run still gets its KEV due date, and its remediation's due date moves when it is refreshed. EPSS is
 * looked up for the CVEs of findings seen for the first time. A feed that fails leaves what is stored as it is.
 */
import { createHash } from 'node:crypto';
import type { Finding } from '../../domain/finding.js';
import type { EnrichmentFeeds, Store } from '../ports.js';
import { findingEvent } from './diff.js';
import { SYNC_STATE } from './report.js';

export interface KevView {
  /** The earliest CISA due date among `cves` (null: none listed); undefined when the catalogue could not be read. */
  dueFor(cves: readonly string[]): string | null | undefined;
  /** Identifies this version of the catalogue; null when it could not be read. */
  readonly fingerprint: string | null;
}

/** CISA publishes dates (`2026-11-20`); findings keep instants, due at the start of that day (UTC). */
export const kevInstant = (date: string): string => (/^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T00:00:00.000Z` : new Date(date).toISOString());

export async function loadKev(feeds: EnrichmentFeeds, warn: (w: string) => void): Promise<KevView> {
  let catalogue: ReadonlyMap<string, string>;
  try {
    catalogue = await feeds.kevDueDates();
  } catch (e) {
    warn(`CISA KEV catalogue unavailable, KEV due dates left as stored: ${(e as Error).message}`);
    return { dueFor: () => undefined, fingerprint: null };
  }
  const due = new Map([...catalogue].map(([cve, d]) => [cve, kevInstant(d)]));
  const fingerprint = createHash('sha256').update(JSON.stringify([...due].sort(([a], [b]) => (a < b ? -1 : 1)))).digest('hex');
  return {
    fingerprint,
    dueFor: (cves) => {
      let best: string | null = null;
      for (const c of cves) {
        const d = due.get(c);
        if (d !== undefined && (best === null || d < best)) best = d;
      }
      return best;
    },
  };
}

/** EPSS of each finding seen for the first time: the highest score among its CVEs. */
export async function epssOf(feeds: EnrichmentFeeds, findings: readonly Finding[], warn: (w: string) => void): Promise<Map<string, number>> {
  const cves = [...new Set(findings.filter((f) => f.epss === null).flatMap((f) => f.cves))];
  const out = new Map<string, number>();
  if (cves.length === 0) return out;
  let scores: ReadonlyMap<string, number>;
  try {
    scores = await feeds.epssScores(cves);
  } catch (e) {
    warn(`EPSS scores unavailable for ${cves.length} CVEs: ${(e as Error).message}`);
    return out;
  }
  for (const f of findings) {
    const best = Math.max(-1, ...f.cves.map((c) => scores.get(c) ?? -1));
    if (best >= 0) out.set(f.id, best);
  }
  return out;
}

const BATCH = 500;

/**
 * When the catalogue changed since the last run: every stored open finding whose KEV due date is now different is
 * rewritten (event `finding.changed`), in batches; returns their remediations (to refresh) and how many changed.
 * `alsoOnChange` (what else follows the catalogue: remediations made by hand) runs before the catalogue is noted.
 */
export async function applyKevChanges(
  store: Pick<Store, 'findings' | 'kv' | 'commit'>,
  kev: KevView,
  at: string,
  actor: string,
  alsoOnChange: (kev: KevView) => Promise<unknown> = async () => undefined,
): Promise<{ changed: number; remediations: Set<string> }> {
  const remediations = new Set<string>();
  if (kev.fingerprint === null || (await store.kv.get<string>(SYNC_STATE, 'kev-fingerprint')) === kev.fingerprint) return { changed: 0, remediations };
  const changed: { stored: Finding; next: Finding }[] = [];
  for (const stored of await store.findings.list({ state: 'open' })) {
    const kevDueAt = kev.dueFor(stored.cves) ?? null;
    if (kevDueAt !== stored.kevDueAt) changed.push({ stored, next: { ...stored, kevDueAt } });
  }
  for (let i = 0; i < changed.length; i += BATCH) {
    const batch = changed.slice(i, i + BATCH);
    await store.commit({ findings: batch.map((c) => c.next), events: batch.map((c) => findingEvent(c.stored, c.next, at, actor)) });
    for (const { next } of batch) if (next.remediationId) remediations.add(next.remediationId);
  }
  await alsoOnChange(kev);
  await store.kv.put(SYNC_STATE, 'kev-fingerprint', kev.fingerprint);
  return { changed: changed.length, remediations };
}
