/**
 * One page of one source, in two halves. `preparePage` reads what the store holds for the page's assets and
 * findings and works out what really changed (outside the run's lock: a source's records are only ever written by
 * that source's own pipeline, one page after the other). `commitPage` places the new and changed findings into
 * remediations and writes the page as ONE `store.commit`, under the lock, so pages of different sources never
 * place the same group twice.
 */
import type { Asset } from '../domain/asset.js';
import type { Finding } from '../domain/finding.js';
import type { AuditEventInput } from './audit.js';
import type { EnrichmentFeeds, SourcePage, Store } from './ports.js';
import { assetChanges, assetEvent, findingChanges, findingEvent, fixedNow, mergeFinding } from './sync-diff.js';
import { epssOf, type KevView } from './sync-enrichment.js';
import { unknownAsset, type Placement } from './sync-placement.js';
import type { SourceCounts } from './sync-report.js';

export interface PageDeps {
  readonly store: Pick<Store, 'assets' | 'findings' | 'commit'>;
  readonly feeds: EnrichmentFeeds;
  readonly kev: KevView;
  readonly placement: Placement;
  readonly actor: string;
  /** Assets by id, shared by the run (grouping needs a finding's asset; refresh reuses them). */
  readonly assets: Map<string, Asset>;
  readonly warn: (w: string) => void;
}

interface Write {
  readonly stored: Finding | undefined;
  readonly next: Finding;
}

export interface PreparedPage {
  readonly assets: readonly { stored: Asset | undefined; next: Asset }[];
  /** Findings to write (new, changed, closed by a complete scan, or open but not yet grouped). */
  readonly findings: readonly Write[];
}

const byId = <T extends { id: string }>(xs: readonly T[]): Map<string, T> => new Map(xs.map((x) => [x.id, x]));

export async function preparePage(page: SourcePage, deps: PageDeps, counts: SourceCounts, now: string): Promise<PreparedPage> {
  const { store, kev } = deps;
  const incomingAssets = [...byId(page.assets ?? []).values()];
  const incoming = [...byId(page.findings ?? []).values()];
  counts.assetsSeen += incomingAssets.length;
  counts.findingsSeen += incoming.length;
  counts.pages += 1;

  const storedAssets = incomingAssets.length > 0 ? byId(await store.assets.getMany(incomingAssets.map((a) => a.id))) : new Map<string, Asset>();
  const assets = incomingAssets
    .map((next) => ({ stored: storedAssets.get(next.id), next }))
    .filter(({ stored, next }) => !stored || Object.keys(assetChanges(stored, next)).length > 0);
  for (const a of incomingAssets) deps.assets.set(a.id, a);

  const stored = incoming.length > 0 ? byId(await store.findings.getMany(incoming.map((f) => f.id))) : new Map<string, Finding>();
  const epss = await epssOf(deps.feeds, incoming.filter((f) => !stored.has(f.id)), deps.warn);
  const writes: Write[] = [];
  for (const f of incoming) {
    const before = stored.get(f.id);
    const next = mergeFinding(f, before, { kevDueAt: kev.dueFor(f.cves), epss: epss.get(f.id) ?? null }, now);
    const changed = !before || Object.keys(findingChanges(before, next)).length > 0;
    if (changed || (next.state === 'open' && next.remediationId === null)) writes.push({ stored: before, next });
  }

  // A complete scan of an asset: its stored open findings the page does not report have been fixed.
  const seen = new Set(incoming.map((f) => f.id));
  for (const assetId of page.completeFor ?? []) {
    for (const f of await store.findings.list({ assetId, state: 'open' })) {
      if (!seen.has(f.id)) writes.push({ stored: f, next: fixedNow(f, now) });
    }
  }
  return { assets, findings: writes };
}

/** Places, creates remediations as needed, and commits the page; returns the remediations to refresh at the end. */
export async function commitPage(prepared: PreparedPage, deps: PageDeps, counts: SourceCounts, now: Date): Promise<Set<string>> {
  const at = now.toISOString();
  const missing = [...new Set(prepared.findings.map((w) => w.next.assetId))].filter((id) => !deps.assets.has(id));
  if (missing.length > 0) for (const a of await deps.store.assets.getMany(missing)) deps.assets.set(a.id, a);
  for (const id of missing) if (!deps.assets.has(id)) deps.warn(`finding(s) of ${id} reported before the asset itself: grouped by its id`);

  const placed = await deps.placement(
    prepared.findings.map((w) => ({ finding: w.next, asset: deps.assets.get(w.next.assetId) ?? unknownAsset(w.next.assetId) })),
    now,
  );
  const created = new Set(placed.created.map((r) => r.id));
  const touched = new Set(placed.joined);
  const events: AuditEventInput[] = prepared.assets.map(({ stored, next }) => assetEvent(stored, next, at, deps.actor));
  const findings: Finding[] = [];
  prepared.findings.forEach(({ stored }, i) => {
    const next = placed.findings[i]!;
    // Open and ungrouped, and still nowhere to go: nothing to write.
    if (stored && next.remediationId === null && Object.keys(findingChanges(stored, next)).length === 0) return;
    findings.push(next);
    events.push(findingEvent(stored, next, at, deps.actor));
    if (!stored) counts.findingsNew += 1;
    else if (Object.keys(findingChanges(stored, next)).length > 0) counts.findingsChanged += 1;
    if (stored?.state === 'open' && next.state !== 'open') counts.findingsClosed += 1;
    if (next.remediationId !== null && !created.has(next.remediationId)) touched.add(next.remediationId);
  });
  if (events.length > 0) await deps.store.commit({ assets: prepared.assets.map((a) => a.next), findings, events });
  counts.assetsWritten += prepared.assets.length;
  counts.remediationsCreated += placed.created.length;
  return touched;
}
