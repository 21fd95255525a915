/**
 * What the sync has sent to the store but the store has not yet confirmed written: the assets and findings of pages
 * whose commit is still on its way. Reading the next page goes through here first, so it sees what the previous pages
 * wrote without waiting for their commit: a source keeps fetching, parsing and diffing while its earlier pages are
 * written (on SQLite, by the writer thread, several commits in one transaction). Each record leaves once its commit
 * is in, unless a later commit of the same record is still on its way.
 */
import type { Asset } from '../../domain/asset.js';
import type { Finding } from '../../domain/finding.js';
import type { Store } from '../ports.js';

export interface Unwritten {
  /** Remembers these records until `written` settles. */
  hold(assets: readonly Asset[], findings: readonly Finding[], written: Promise<unknown>): void;
  /** `store.assets.getMany`, with what is on its way. */
  assets(ids: readonly string[]): Promise<Asset[]>;
  /** `store.findings.getMany`, with what is on its way. */
  findings(ids: readonly string[]): Promise<Finding[]>;
  /** `store.findings.list({ assetId, state: 'open' })`, with what is on its way. */
  openFindingsOf(assetId: string): Promise<Finding[]>;
}

export function createUnwritten(store: Pick<Store, 'assets' | 'findings'>): Unwritten {
  const assets = new Map<string, { record: Asset; until: Promise<unknown> }>();
  const findings = new Map<string, { record: Finding; until: Promise<unknown> }>();
  const byAsset = new Map<string, Set<string>>();

  const forget = (until: Promise<unknown>, assetIds: readonly string[], findingIds: readonly string[]): void => {
    for (const id of assetIds) if (assets.get(id)?.until === until) assets.delete(id);
    for (const id of findingIds) {
      const held = findings.get(id);
      if (held?.until !== until) continue;
      findings.delete(id);
      byAsset.get(held.record.assetId)?.delete(id);
    }
  };

  const merged = <T extends { id: string }>(stored: readonly T[], ids: readonly string[], held: Map<string, { record: T }>): T[] => {
    const out = new Map(stored.map((r) => [r.id, r]));
    for (const id of ids) {
      const h = held.get(id);
      if (h) out.set(id, h.record);
    }
    return [...out.values()];
  };

  return {
    hold(newAssets, newFindings, until) {
      for (const a of newAssets) assets.set(a.id, { record: a, until });
      for (const f of newFindings) {
        findings.set(f.id, { record: f, until });
        const of = byAsset.get(f.assetId) ?? new Set<string>();
        of.add(f.id);
        byAsset.set(f.assetId, of);
      }
      const done = (): void => forget(until, newAssets.map((a) => a.id), newFindings.map((f) => f.id));
      // Settled either way: a failed commit fails its source, which reads no further page.
      until.then(done, done);
    },
    assets: async (ids) => merged(await store.assets.getMany(ids), ids, assets),
    findings: async (ids) => merged(await store.findings.getMany(ids), ids, findings),
    async openFindingsOf(assetId) {
      const heldIds = [...(byAsset.get(assetId) ?? [])];
      const all = merged(await store.findings.list({ assetId, state: 'open' }), heldIds, findings);
      return all.filter((f) => f.state === 'open');
    },
  };
}
