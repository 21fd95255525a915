/**
 * The remediation batches of the Store port, whichever adapter: its own when it has them (SQLite: one transaction,
 * one fsync, for hundreds of writes), else one call per item with the same results.
 */
import type { Result } from '../../domain/result.js';
import type { Remediation } from '../../domain/remediation.js';
import type { RemediationCreate, RemediationRepo, RemediationUpdate, StoreConflict } from '../ports.js';

export async function nextIds(repo: RemediationRepo, count: number): Promise<string[]> {
  if (count <= 0) return [];
  if (repo.nextIds) return repo.nextIds(count);
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) ids.push(await repo.nextId());
  return ids;
}

export async function createMany(repo: RemediationRepo, items: readonly RemediationCreate[]): Promise<Result<Remediation, StoreConflict>[]> {
  if (items.length === 0) return [];
  if (repo.createMany) return repo.createMany(items);
  const out: Result<Remediation, StoreConflict>[] = [];
  for (const { remediation, events, effects } of items) out.push(await repo.create(remediation, events, effects));
  return out;
}

export async function updateMany(repo: Pick<RemediationRepo, 'update' | 'updateMany'>, items: readonly RemediationUpdate[]): Promise<Result<Remediation, StoreConflict>[]> {
  if (items.length === 0) return [];
  if (repo.updateMany) return repo.updateMany(items);
  const out: Result<Remediation, StoreConflict>[] = [];
  for (const { next, expectedVersion, events, effects } of items) out.push(await repo.update(next, expectedVersion, events, effects));
  return out;
}
