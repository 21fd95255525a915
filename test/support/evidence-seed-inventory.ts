/**
 * The inventory side of the seeded month: assets with each kind of coverage gap, Snyk issues open, resolved and
 * outside November, and the sync runs of November (Snyk failing once), written as the sync commits them.
 */
import type { Store } from '../../src/app/ports.js';
import { SYSTEM_ID } from '../../src/domain/roles.js';
import { aFinding, anAsset } from './builders.js';

export const SEED_INVENTORY = {
  /** Time-independent gaps (the stale-scan gap also depends on when the pack is made). */
  lostAgent: ['ssm:i-0abc000000000003'],
  dependabotDisabled: ['github:acme/legacy'],
  unowned: ['snyk:project:0f4c1d2e'],
  staleScan: ['snyk:project:0f4c1d2e'],
  /** Snyk issues open at some moment of November: the open one and the one resolved in it. */
  snykRows: [{ issue: 'b8f1-open', status: 'open' }, { issue: 'b8f2-resolved', status: 'resolved' }],
} as const;

export async function seedInventory(store: Store, at: Date): Promise<void> {
  const seen = at.toISOString();
  const project = 'snyk:project:0f4c1d2e';
  const assets = [
    anAsset({ id: 'github:acme/api', name: 'acme/api', lastScannedAt: seen, lastSeenAt: seen }),
    anAsset({ id: 'github:acme/legacy', name: 'acme/legacy', lastScannedAt: seen, lastSeenAt: seen, attributes: { dependabotDisabled: true } }),
    anAsset({ id: 'ssm:i-0abc000000000001', name: 'web-1', kind: 'instance', source: 'ssm', lastScannedAt: seen, lastSeenAt: seen, attributes: { pingStatus: 'Online' } }),
    anAsset({ id: 'ssm:i-0abc000000000003', name: 'batch-1', kind: 'instance', source: 'ssm', lastScannedAt: seen, lastSeenAt: seen, attributes: { pingStatus: 'ConnectionLost' } }),
    anAsset({ id: project, name: 'acme/api:package.json', kind: 'application', source: 'snyk', owner: null, lastScannedAt: '2026-09-01T00:00:00.000Z', lastSeenAt: seen }),
  ];
  const snyk = (id: string, detectedAt: string, fixedAt: string | null) =>
    aFinding({ id: `snyk:${id}`, source: 'snyk', assetId: project, title: `Issue ${id}`, package: 'express', detectedAt, fixedAt, state: fixedAt ? 'fixed' : 'open', url: `https://app.snyk.io/issue/${id}` });
  const findings = [
    aFinding({ assetId: 'github:acme/api', detectedAt: '2026-11-01T09:00:00.000Z' }),
    snyk('b8f1-open', '2026-11-02T09:00:00.000Z', null),
    snyk('b8f2-resolved', '2026-10-02T09:00:00.000Z', '2026-11-10T09:00:00.000Z'),
    snyk('b8f3-old', '2026-09-02T09:00:00.000Z', '2026-10-01T09:00:00.000Z'),
    snyk('b8f4-late', '2026-12-02T09:00:00.000Z', null),
  ];
  const run = (day: string, snykOk: boolean) => ({
    at: `${day}T06:00:00.000Z`, actor: SYSTEM_ID.sync, action: 'sync.completed' as const, subject: `sync:${day}T06:00:00.000Z`,
    data: { sources: [{ source: 'github', status: 'ok', error: null }, { source: 'snyk', status: snykOk ? 'ok' : 'failed', error: snykOk ? null : 'snyk: 401 Unauthorized' }] },
  });
  await store.commit({ assets, findings, events: [run('2026-11-10', false), run('2026-11-20', true)] });
}
