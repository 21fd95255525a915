/**
 * The monitor's sync: every configured source, each on its own (one that fails is recorded as
 * failed for the run; the others still sync), pages written whole (those ready together in one `store.commit`),
 * each source's cursor saved only once all its pages are, every touched remediation refreshed once at the end, and
 * the run recorded (kv `sync-runs` and one `sync.completed` event). A second run over the same data writes nothing
 * but that record; a run that dies half-way is finished by the next (recovery.ts). Fetching, parsing and writing
 * overlap: a source reads on while its earlier pages are written (up to WRITES_IN_FLIGHT commits behind), seeing
 * them through unwritten.ts. The pieces, all in this folder: pages.ts (diff and commit pages), placement.ts
 * (grouping), refresh.ts (remediations), enrichment.ts (KEV, EPSS), diff.ts (what changed, and its audit event),
 * page-pipeline.ts (read-ahead, group commit), unwritten.ts (what is on its way to the store),
 * remediation-batches.ts (the store's remediation batches). Callers run it under the `sync` job lease.
 */
import type { FirstReadRule } from '../../domain/advisory.js';
import type { Asset } from '../../domain/asset.js';
import type { OwnerRule } from '../../domain/owners.js';
import type { SlaPolicy } from '../../domain/sla.js';
import { instant } from '../../domain/time.js';
import type { Logger } from '../../logger.js';
import { LeaseLost } from '../errors.js';
import { createFeedIntake } from '../advisories/feed-intake.js';
import { recordAdvisoryMessages } from '../advisories/advisory-messages.js';
import { linkAdvisories } from '../advisories/link-advisories.js';
import { applyKevToManual } from '../advisories/manual-kev.js';
import type { AdvisoryFeed, EnrichmentFeeds, SourceRun, Store, VulnerabilitySource } from '../ports.js';
import { applyKevChanges, loadKev } from './enrichment.js';
import { createBatcher, pagesAsTheyArrive } from './page-pipeline.js';
import { commitPages, mergePages, preparePage, type Committed, type PageDeps, type PageToCommit } from './pages.js';
import { createPlacement } from './placement.js';
import { beginRun, endRun } from './recovery.js';
import { regroupOsPatches } from './regroup-os-patches.js';
import { refreshRemediations } from './refresh.js';
import {
  emptyCounts,
  emptyRemediationCounts,
  runStatus,
  SYNC_CURSORS,
  type SourceName,
  type SourceReport,
  type SyncProgress,
  type SyncReport,
  type Warn,
} from './report.js';
import { newErrorId, publicReason } from '../errors.js';
import { createUnwritten } from './unwritten.js';
import { SYSTEM_ID } from '../../domain/roles.js';

export interface SyncDeps {
  readonly store: Store;
  readonly sources: readonly VulnerabilitySource[];
  readonly feeds: EnrichmentFeeds;
  /** The policy's advisory feeds, read beside the sources (none by default). */
  readonly advisoryFeeds?: readonly AdvisoryFeed[];
  /** The policy's `advisories.firstRead`: what a feed's first read reviews one by one. */
  readonly firstRead?: FirstReadRule;
  readonly sla: SlaPolicy;
  /** The policy's `owners:` rules (none: owners only where a source gives a Slack id). */
  readonly owners?: readonly OwnerRule[];
  readonly now: () => Date;
  readonly logger: Logger;
}

export interface SyncOptions {
  readonly onProgress?: (p: SyncProgress) => void;
  /** Only these sources (default: all configured, and the advisory feeds). */
  readonly only?: readonly SourceName[];
  /** With `only`: read the advisory feeds too. */
  readonly advisories?: boolean;
  /** Recorded with the run: `system:sync` (the schedule), a Slack user id, `cli`. */
  readonly requestedBy?: string;
  /** False once the run's job lease is lost: the run stops at its next page (LeaseLost) and the next run resumes. */
  readonly holds?: () => boolean;
}

export type Sync = (opts?: SyncOptions) => Promise<SyncReport>;

const ACTOR = SYSTEM_ID.sync;
/** Pages a source may have fetched ahead of what is committed (bounded memory: a GitHub page is ~600 kB). */
const READ_AHEAD = 8;
/** Commits a source may have on their way to the store while it reads on (bounded memory, as READ_AHEAD). */
const WRITES_IN_FLIGHT = 4;

export function createSync({ store, sources, feeds, advisoryFeeds = [], firstRead, sla, owners = [], now, logger }: SyncDeps): Sync {
  const intake = createFeedIntake({ store, feeds: advisoryFeeds, now, actor: ACTOR, ...(firstRead ? { firstRead } : {}) });
  return async (opts = {}) => {
    const startedAt = instant(now());
    const id = `sync:${startedAt}`;
    const log = logger.child({ sync: id });
    const warnings: string[] = [];
    const warn: Warn = (w, cause) => {
      if (cause === undefined) {
        log.warn(w);
        warnings.push(w);
        return;
      }
      const errorId = newErrorId();
      const text = `${w}: ${publicReason(cause, errorId)}`;
      log.warn({ err: cause, errorId }, text);
      warnings.push(text);
    };
    const touched = await beginRun(store, id, startedAt, ACTOR);
    const recovered = touched.size;
    const regrouped = await regroupOsPatches({ store, sla, now, actor: ACTOR });
    if (regrouped.split + regrouped.rekeyed > 0) log.info({ ...regrouped }, 'OS patch remediations regrouped by patch baseline');
    if (regrouped.held.length > 0) warn(`${regrouped.held.join(', ')}: deploying, regrouped by patch baseline once the deployment ends`);
    const kev = await loadKev(feeds, warn);
    const kevChanges = await applyKevChanges(store, kev, instant(now()), ACTOR, (k) => applyKevToManual({ store, sla, now, actor: ACTOR }, k));
    for (const r of kevChanges.remediations) touched.add(r);

    const assets = new Map<string, Asset>();
    const deps: PageDeps = { store, feeds, kev, owners, placement: createPlacement({ store, sla, actor: ACTOR, owners }), actor: ACTOR, assets, unwritten: createUnwritten(store), warn };
    const commit = createBatcher((pages: PageToCommit[]) => commitPages(pages, deps, now()));
    const chosen = sources.filter((s) => !opts.only || opts.only.includes(s.name));
    const readFeeds = !opts.only || opts.advisories === true;
    const holds = opts.holds ?? (() => true);
    // Every source stops at its own next page once the lease is lost; the run ends when all have.
    const [settled, advisories] = await Promise.all([
      Promise.allSettled(chosen.map((source) => syncSource(source, { store, deps, commit, now, touched, onProgress: opts.onProgress, log, holds }))),
      readFeeds ? intake(warn, opts.onProgress) : Promise.resolve([]),
    ]);
    const reports = settled.map((s) => {
      if (s.status === 'rejected') throw s.reason;
      return s.value;
    });
    if (!holds()) throw new LeaseLost('sync');

    const remediations = emptyRemediationCounts();
    remediations.created = reports.reduce((n, r) => n + r.counts.remediationsCreated, 0);
    const owed = await refreshRemediations(touched, { store, sla, now, assets }, remediations, warn);
    const advisoryLinks = await linkAdvisories(store, now(), ACTOR);
    // New advisories awaiting review get their message now (a few per run), recorded for the outbox.
    const messages = await recordAdvisoryMessages(store, now());

    const report: SyncReport = {
      id,
      startedAt,
      finishedAt: instant(now()),
      status: runStatus(reports),
      sources: reports,
      advisories,
      advisoryLinks,
      advisoryMessages: { recorded: messages.subjects.length, waiting: messages.waiting },
      remediations,
      kevUpdated: kevChanges.changed,
      recovered,
      warnings,
      requestedBy: opts.requestedBy ?? ACTOR,
    };
    await store.audit.append([{ at: report.finishedAt, actor: ACTOR, action: 'sync.completed', subject: id, data: { ...report } }]);
    await endRun(store, id, report, owed);
    log.info({ status: report.status, remediations, sources: reports.map((r) => ({ source: r.source, status: r.status, ...r.counts })) }, 'sync completed');
    return report;
  };
}

interface SourceRunDeps {
  readonly store: Store;
  readonly deps: PageDeps;
  readonly commit: (page: PageToCommit) => Promise<Committed>;
  readonly now: () => Date;
  readonly touched: Set<string>;
  readonly onProgress: SyncOptions['onProgress'];
  readonly log: Logger;
  readonly holds: () => boolean;
}

/** One source: its pages in order, each written whole; its cursor saved only after the last one. */
async function syncSource(source: VulnerabilitySource, ctx: SourceRunDeps): Promise<SourceReport> {
  const startedAt = instant(ctx.now());
  const counts = emptyCounts();
  let progress: SyncProgress = { source: source.name, state: 'running', done: 0, total: null, unit: 'items' };
  const report = (p: Partial<SyncProgress>): void => {
    progress = { ...progress, ...p };
    ctx.onProgress?.(progress);
  };
  report({});
  let run: SourceRun | null = null;
  try {
    const cursor = await ctx.store.kv.get<Record<string, unknown>>(SYNC_CURSORS, source.name);
    run = source.run(cursor, ctx.now());
    // The pages that have arrived are written together, with those of the other sources ready at the same time.
    const writing: Promise<void>[] = [];
    try {
      for await (const pages of pagesAsTheyArrive(run.pages, READ_AHEAD)) {
        if (!ctx.holds()) throw new LeaseLost('sync');
        counts.pages += pages.length;
        const page = mergePages(pages);
        const prepared = await preparePage(page, ctx.deps, counts, instant(ctx.now()));
        const { touched, written } = await ctx.commit({ prepared, counts });
        for (const r of touched) ctx.touched.add(r);
        writing.push(written);
        while (writing.length > WRITES_IN_FLIGHT) await writing.shift();
        report({ ...page.progress });
      }
    } finally {
      // Every page sent is written (or has failed) before the source is done, whatever happened meanwhile.
      await Promise.allSettled(writing);
    }
    for (const w of writing) await w;
    counts.requests = run.stats?.().requests ?? null;
    await ctx.store.kv.put(SYNC_CURSORS, source.name, run.cursor());
    report({ state: 'done' });
    return { source: source.name, status: 'ok', startedAt, finishedAt: instant(ctx.now()), counts, error: null };
  } catch (e) {
    if (e instanceof LeaseLost) throw e;
    // Kept in the run's report and the audit log, and shown in Slack: the source's scrubbed words, or a reference.
    const errorId = newErrorId();
    const error = publicReason(e, errorId);
    counts.requests = run?.stats?.().requests ?? null;
    ctx.log.error({ err: e, source: source.name, errorId }, 'source failed; the others carry on');
    report({ state: 'failed' });
    return { source: source.name, status: 'failed', startedAt, finishedAt: instant(ctx.now()), counts, error };
  }
}
