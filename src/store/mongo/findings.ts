import type { FindingQuery, FindingRepo } from '../../app/ports.js';
import type { Finding } from '../../domain/finding.js';
import { toDomain } from './documents.js';
import type { FindingDoc, Models } from './models.js';

const findingFilter = (q: FindingQuery): Record<string, unknown> => ({
  ...(q.assetId !== undefined && { assetId: q.assetId }),
  ...(q.remediationId !== undefined && { remediationId: q.remediationId }),
  ...(q.source !== undefined && { source: q.source }),
  ...(q.state !== undefined && { state: q.state }),
  ...(q.cves !== undefined && { cves: { $in: [...q.cves] } }),
});

/** Findings, read-only here: they are written by `commit` (journal.ts). Lists are in id order, as in SQLite. */
export function createFindingRepo(models: Models): FindingRepo {
  const model = models.findings;
  const many = async (filter: Record<string, unknown>): Promise<Finding[]> =>
    (await model.find(filter).sort({ _id: 1 }).lean<FindingDoc[]>()).map((d) => toDomain<Finding>(d));
  return {
    get: async (id) => {
      const doc = await model.findById(id).lean<FindingDoc>();
      return doc ? toDomain<Finding>(doc) : null;
    },
    getMany: (ids) => many({ _id: { $in: ids } }),
    list: (query = {}) => many(findingFilter(query)),
    count: (query = {}) => model.countDocuments(findingFilter(query)).exec(),
    countByAsset: async (query = {}) => {
      const groups = await model.aggregate<{ _id: string; count: number }>([
        { $match: findingFilter(query) },
        { $group: { _id: '$assetId', count: { $sum: 1 } } },
      ]);
      // Binary string order, as SQLite's ORDER BY on text.
      return groups.map((g) => ({ assetId: g._id, count: g.count })).sort((a, b) => (a.assetId < b.assetId ? -1 : a.assetId > b.assetId ? 1 : 0));
    },
  };
}
