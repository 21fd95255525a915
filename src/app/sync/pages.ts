/**
 * Pages of a source, in two halves. `preparePage` reads what the store holds for a page's assets and findings (and
 * what earlier pages sent but the store has not confirmed yet: unwritten.ts) and works out what really changed.
 * `commitPages` places the new and changed findings of the pages ready at that moment (of any source) into
 * remediations and sends them as ONE `store.commit`: whole pages only, and one placement at a time, so two pages never
 * place the same group twice. It does not wait for that commit: the source reads on while it is written, and waits
 * for it before its cursor is saved. */
import type { Asset } from '../../domain/asset.js';
import type { Finding } from '../../domain/finding.js';
import { withOwner, type OwnerRule } from '../../domain/owners.js';
import type { AuditEventInput } from '../audit.js';
import type { EnrichmentFeeds, SourcePage, Store } from '../ports.js';
import { assetChanges, assetEvent, findingChanges, findingEvent, fixedNow, mergeFinding } from './diff.js';
import { epssOf, type KevView } from './enrichment.js';
import { unknownAsset } from '../../domain/grouping.js';
import type { Placement } from './placement.js';
import type { SourceCounts, Warn } from './report.js';
import type { Unwritten } from './unwritten.js';

export interface PageDeps {
  readonly store: Pick<Store, 'assets' | 'findings' | 'commit'>;
  readonly feeds: EnrichmentFeeds;
  readonly kev: KevView;
  /** The policy's `owners:` rules: every asset gets its owner here, as the sync sees it. */
  readonly owners: readonly OwnerRule[];
  readonly placement: Placement;
  readonly actor: string;
  /** Assets by id, shared by the run (grouping needs a finding's asset; refresh reuses them). */
  readonly assets: Map<string, Asset>;
  /** What was sent to the store and is not written yet: what the next pages must see. */
  readonly unwritten: Unwritten;
  readonly warn: Warn;
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

/** Consecutive pages of one source as one (a record on two pages: the later one), to be committed together. */
export function mergePages(pages: readonly SourcePage[]): SourcePage {
  if (pages.length === 1) return pages[0]!;
  return {
    assets: [...byId(pages.flatMap((p) => p.assets ?? [])).values()],
    findings: [...byId(pages.flatMap((p) => p.findings ?? [])).values()],
    completeFor: [...new Set(pages.flatMap((p) => p.completeFor ?? []))],
    progress: pages.at(-1)!.progress,
  };
}

export async function preparePage(page: SourcePage, deps: PageDeps, counts: SourceCounts, now: string): Promise<PreparedPage> {
  const { unwritten, kev } = deps;
  const incomingAssets = [...byId(page.assets ?? []).values()].map((a) => withOwner(a, deps.owners));
  const incoming = [...byId(page.findings ?? []).values()];
  counts.assetsSeen += incomingAssets.length;
  counts.findingsSeen += incoming.length;

  const storedAssets = incomingAssets.length > 0 ? byId(await unwritten.assets(incomingAssets.map((a) => a.id))) : new Map<string, Asset>();
  const assets = incomingAssets
    .map((next) => ({ stored: storedAssets.get(next.id), next }))
    .filter(({ stored, next }) => !stored || Object.keys(assetChanges(stored, next)).length > 0);
  for (const a of incomingAssets) deps.assets.set(a.id, a);

  const stored = incoming.length > 0 ? byId(await unwritten.findings(incoming.map((f) => f.id))) : new Map<string, Finding>();
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
    for (const f of await unwritten.openFindingsOf(assetId)) {
      if (!seen.has(f.id)) writes.push({ stored: f, next: fixedNow(f, now) });
    }
  }
  return { assets, findings: writes };
}

export interface PageToCommit {
  readonly prepared: PreparedPage;
  /** The counts of the source the page came from. */
  readonly counts: SourceCounts;
}

export interface Committed {
  /** The remediations to refresh at the end of the run. */
  readonly touched: Set<string>;
  /** Settles once the pages are written (their counts are tallied then); a failed commit rejects it. */
  readonly written: Promise<void>;
}

/**
 * Places the findings of one or more prepared pages (of different sources) into remediations, creating those
 * needed, and sends the pages as ONE `store.commit`: whole pages, never part of one. Returns once they are placed.
 */
export async function commitPages(pages: readonly PageToCommit[], deps: PageDeps, now: Date): Promise<Committed> {
  const at = now.toISOString();
  const writes = pages.flatMap(({ prepared, counts }) => prepared.findings.map((w) => ({ ...w, counts })));
  const missing = [...new Set(writes.map((w) => w.next.assetId))].filter((id) => !deps.assets.has(id));
  if (missing.length > 0) for (const a of await deps.store.assets.getMany(missing)) deps.assets.set(a.id, a);
  for (const id of missing) if (!deps.assets.has(id)) deps.warn(`finding(s) of ${id} reported before the asset itself: grouped by its id`);

  const placed = await deps.placement(
    writes.map((w) => ({ finding: w.next, asset: deps.assets.get(w.next.assetId) ?? unknownAsset(w.next.assetId) })),
    now,
  );
  const created = new Set(placed.created.map((r) => r.id));
  const credited = new Set<string>();
  const touched = new Set(placed.joined);
  const events: AuditEventInput[] = pages.flatMap(({ prepared }) => prepared.assets.map(({ stored, next }) => assetEvent(stored, next, at, deps.actor)));
  const findings: Finding[] = [];
  // Counted once the commit is in: a batch that fails is tried again page by page.
  const tally: (() => void)[] = pages.map(({ prepared, counts }) => () => void (counts.assetsWritten += prepared.assets.length));
  writes.forEach(({ stored, counts }, i) => {
    const next = placed.findings[i]!;
    const changed = stored ? Object.keys(findingChanges(stored, next)).length > 0 : true;
    // Open and ungrouped, and still nowhere to go: nothing to write.
    if (stored && !changed && next.remediationId === null) return;
    findings.push(next);
    events.push(findingEvent(stored, next, at, deps.actor));
    const r = next.remediationId;
    if (r !== null && !created.has(r)) touched.add(r);
    // A new remediation counts for the source whose finding came first.
    const creditHere = r !== null && created.has(r) && !credited.has(r);
    if (creditHere) credited.add(r);
    tally.push(() => {
      if (!stored) counts.findingsNew += 1;
      else if (changed) counts.findingsChanged += 1;
      if (stored?.state === 'open' && next.state !== 'open') counts.findingsClosed += 1;
      if (creditHere) counts.remediationsCreated += 1;
    });
  });
  const assets = pages.flatMap(({ prepared }) => prepared.assets.map((a) => a.next));
  const tallied = (): void => {
    for (const count of tally) count();
  };
  if (events.length === 0) return { touched, written: Promise.resolve().then(tallied) };
  const written = deps.store.commit({ assets, findings, events }).then(tallied);
  deps.unwritten.hold(assets, findings, written);
  return { touched, written };
}
