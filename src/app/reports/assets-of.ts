/** Assets by id, read in one query (a list that names them: the digest, the App Home). */
import type { Asset } from '../../domain/asset.js';
import type { Store } from '../ports.js';

export async function assetsOf(store: Pick<Store, 'assets'>, ids: Iterable<string>): Promise<Map<string, Asset>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  return new Map((await store.assets.getMany(unique)).map((a) => [a.id, a]));
}
