/**
 * Hand-written fakes of the sync's ports, for unit tests of the use case: a source that serves given pages, feeds
 * with a fixed KEV catalogue and EPSS scores, and a store that "crashes" (throws on every call from a chosen
 * moment, as a process that died would never call again) around a real SQLite store.
 */
import { verifyChain } from '../../src/app/audit.js';
import type { EnrichmentFeeds, SourcePage, Store, SyncCursor, VulnerabilitySource } from '../../src/app/ports.js';

export interface PageSource extends VulnerabilitySource {
  /** The cursor each run was given. */
  readonly cursors: (SyncCursor | null)[];
  /** Replaces the pages the next runs serve. */
  setPages(pages: readonly SourcePage[]): void;
  /** The next run throws this after serving `afterPages` pages (then the source works again). */
  failOnce(error: Error, afterPages?: number): void;
}

export const progress = (done: number, unit = 'items'): SourcePage['progress'] => ({ done, total: null, unit });

/** Serves `pages` on every run; its cursor is `{ run: n }` after the n-th run that completed. */
export function pageSource(name: VulnerabilitySource['name'], pages: readonly SourcePage[]): PageSource {
  let served = [...pages];
  let failure: { error: Error; afterPages: number } | null = null;
  const cursors: (SyncCursor | null)[] = [];
  return {
    name,
    cursors,
    setPages: (next) => void (served = [...next]),
    failOnce: (error, afterPages = 0) => void (failure = { error, afterPages }),
    run(cursor) {
      cursors.push(cursor);
      const fail = failure;
      failure = null;
      const list = served;
      async function* pagesOf(): AsyncGenerator<SourcePage> {
        for (const [i, page] of list.entries()) {
          if (fail && i === fail.afterPages) throw fail.error;
          yield page;
        }
        if (fail && fail.afterPages >= list.length) throw fail.error;
      }
      return { pages: pagesOf(), cursor: () => ({ run: cursors.length }) };
    },
  };
}

export interface StaticFeeds extends EnrichmentFeeds {
  kev: Map<string, string>;
  epss: Map<string, number>;
  /** CVEs asked of epssScores, call by call. */
  readonly epssAsked: string[][];
  kevDown: boolean;
}

export function staticFeeds(kev: Record<string, string> = {}, epss: Record<string, number> = {}): StaticFeeds {
  const feeds: StaticFeeds = {
    kev: new Map(Object.entries(kev)),
    epss: new Map(Object.entries(epss)),
    epssAsked: [],
    kevDown: false,
    kevDueDates: async () => {
      if (feeds.kevDown) throw new Error('KEV feed down');
      return new Map(feeds.kev);
    },
    epssScores: async (cves) => {
      feeds.epssAsked.push([...cves]);
      return new Map(cves.flatMap((c) => (feeds.epss.has(c) ? [[c, feeds.epss.get(c)!] as const] : [])));
    },
  };
  return feeds;
}

export type StoreCall = `${'commit' | 'close' | 'finishInterrupted'}` | `${'assets' | 'findings' | 'remediations' | 'audit' | 'kv' | 'leases' | 'idempotency' | 'evidence' | 'outbox'}.${string}`;

const withoutBatches = (repo: Store['remediations']): Store['remediations'] => {
  const { nextIds: _n, createMany: _c, updateMany: _u, ...rest } = repo;
  return rest;
};

export interface CrashingStore {
  readonly store: Store;
  /** Every call made, in order (`commit`, `remediations.create`, `kv.put`...). */
  readonly calls: StoreCall[];
  readonly crashed: () => boolean;
}

/**
 * Wraps `inner`: `crashWhen(call, calls so far)` is asked before each call; once it says true, that call and every
 * later one throws `Error('crashed')` without reaching the store. `batches: false` hides the remediation batches.
 */
export function crashingStore(inner: Store, crashWhen: (call: StoreCall, calls: readonly StoreCall[]) => boolean, opts: { batches?: boolean } = {}): CrashingStore {
  const calls: StoreCall[] = [];
  let dead = false;
  const guard = <F extends (...args: never[]) => unknown>(name: StoreCall, fn: F): F =>
    ((...args: Parameters<F>) => {
      calls.push(name);
      if (dead || crashWhen(name, calls)) {
        dead = true;
        throw new Error('crashed');
      }
      return fn(...args);
    }) as F;
  const wrap = <T extends object>(prefix: string, repo: T): T =>
    Object.fromEntries(
      Object.entries(repo).map(([k, v]) => [k, typeof v === 'function' ? guard(`${prefix}.${k}` as StoreCall, (v as (...a: never[]) => unknown).bind(repo)) : v]),
    ) as T;
  const store: Store = {
    kind: inner.kind,
    assets: wrap('assets', inner.assets),
    findings: wrap('findings', inner.findings),
    // Without its batches, the store is written one remediation at a time (as an adapter without them would be).
    remediations: wrap('remediations', opts.batches === false ? withoutBatches(inner.remediations) : inner.remediations),
    advisories: wrap('advisories', inner.advisories),
    audit: wrap('audit', inner.audit),
    idempotency: wrap('idempotency', inner.idempotency),
    leases: wrap('leases', inner.leases),
    kv: wrap('kv', inner.kv),
    evidence: wrap('evidence', inner.evidence),
    outbox: wrap('outbox', inner.outbox),
    commit: guard('commit', inner.commit.bind(inner)),
    finishInterrupted: guard('finishInterrupted', inner.finishInterrupted.bind(inner)),
    close: inner.close.bind(inner),
  };
  return { store, calls, crashed: () => dead };
}

/**
 * What a crash or a failed source must never leave: a remediation whose findings are not stored (or other ones), a
 * finding pointing at a remediation that does not exist, a broken audit chain.
 */
export async function expectConsistent(store: Store): Promise<void> {
  const remediations = await store.remediations.list();
  for (const r of remediations) expect((await store.findings.list({ remediationId: r.id })).map((f) => f.id).sort()).toEqual([...r.findingIds].sort());
  const ids = new Set(remediations.map((r) => r.id));
  for (const f of await store.findings.list()) if (f.remediationId) expect(ids).toContain(f.remediationId);
  expect((await verifyChain(store.audit.stream())).ok).toBe(true);
}
