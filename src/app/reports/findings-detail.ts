/**
 * What is behind a remediation: its findings, each with the asset it is on, for `/patch show`, the thread of its
 * message, the assess and approval modals and the findings CSV. Open findings first, then the most severe.
 */
import type { Asset } from '../../domain/asset.js';
import type { Finding } from '../../domain/finding.js';
import type { Remediation } from '../../domain/remediation.js';
import { severityRank } from '../../domain/severity.js';
import type { Store } from '../ports.js';

export interface FindingsDetail {
  readonly remediation: Remediation;
  readonly findings: readonly Finding[];
  /** The findings' assets by id (one the store no longer holds is absent: shown by its id). */
  readonly assets: ReadonlyMap<string, Asset>;
}

export type LoadFindingsDetail = (r: Remediation) => Promise<FindingsDetail>;

const STATE_ORDER = { open: 0, fixed: 1, dismissed: 2 } as const;

export const byImportance = (a: Finding, b: Finding): number =>
  STATE_ORDER[a.state] - STATE_ORDER[b.state] || severityRank(b.severity) - severityRank(a.severity) || a.id.localeCompare(b.id);

export function createFindingsDetail({ store }: { store: Pick<Store, 'findings' | 'assets'> }): LoadFindingsDetail {
  return async (remediation) => {
    const findings = (await store.findings.list({ remediationId: remediation.id })).sort(byImportance);
    const assets = await store.assets.getMany([...new Set([...findings.map((f) => f.assetId), ...remediation.assetIds])]);
    return { remediation, findings, assets: new Map(assets.map((a) => [a.id, a])) };
  };
}
