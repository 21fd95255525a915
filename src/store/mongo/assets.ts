import type { AssetRepo } from '../../app/ports.js';
import type { Asset } from '../../domain/asset.js';
import { toDomain } from './documents.js';
import type { AssetDoc, Models } from './models.js';

/** Assets, read-only here: they are written by `commit` (journal.ts). Lists are in id order, as in SQLite. */
export function createAssetRepo(models: Models): AssetRepo {
  const model = models.assets;
  const many = async (filter: Record<string, unknown>): Promise<Asset[]> =>
    (await model.find(filter).sort({ _id: 1 }).lean<AssetDoc[]>()).map((d) => toDomain<Asset>(d));
  return {
    get: async (id) => {
      const doc = await model.findById(id).lean<AssetDoc>();
      return doc ? toDomain<Asset>(doc) : null;
    },
    getMany: (ids) => many({ _id: { $in: ids } }),
    list: (query = {}) =>
      many({ ...(query.source !== undefined && { source: query.source }), ...(query.inScope !== undefined && { inScope: query.inScope }) }),
  };
}
