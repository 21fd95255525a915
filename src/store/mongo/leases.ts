import type { JobLeases } from '../../app/ports.js';
import { isDuplicateKey } from './documents.js';
import { rawCollection, type LeaseDoc, type Models } from './models.js';

/** Sooner than any real expiry: what a released lease expires at. */
const RELEASED = Number.MIN_SAFE_INTEGER;

/**
 * Leases as terms: each holding is a document `<name>#<term>`, and the highest term is the lease. Taking a free
 * or expired lease inserts the next term, so of two replicas racing for it exactly one insert succeeds: not a
 * conditional upsert, which FerretDB v1 evaluates before writing back (both racers would win). Only a term's
 * holder updates it (to extend it, or release it). Older terms are pruned, keeping the one before the newest.
 * `expiresAt` is epoch milliseconds, compared as the SQLite adapter does.
 */
export function createJobLeases(models: Models): JobLeases {
  const model = models.leases;
  const raw = rawCollection(model);
  const latest = (name: string) => model.findOne({ name }).sort({ term: -1 }).lean<LeaseDoc>();
  const stillLatest = async (lease: LeaseDoc): Promise<boolean> => (await latest(lease.name))?._id === lease._id;

  async function extend(lease: LeaseDoc, expiresAt: number): Promise<boolean> {
    await raw.updateOne({ _id: lease._id, holder: lease.holder }, { $set: { expiresAt } });
    return stillLatest(lease);
  }

  async function take(name: string, holder: string, expiresAt: number, after: LeaseDoc | null): Promise<boolean> {
    const term = (after?.term ?? 0) + 1;
    const lease: LeaseDoc = { _id: `${name}#${term}`, name, term, holder, expiresAt };
    try {
      await raw.insertOne(lease);
    } catch (e) {
      if (isDuplicateKey(e)) return false;
      throw e;
    }
    // A racer that read an older term than the newest may have inserted into a pruned slot: the newest decides.
    if (!(await stillLatest(lease))) {
      await raw.deleteOne({ _id: lease._id });
      return false;
    }
    await raw.deleteMany({ name, term: { $lt: term - 1 } });
    return true;
  }

  return {
    acquire: async (name, holder, ttlMs, now) => {
      const current = await latest(name);
      const expiresAt = now.getTime() + ttlMs;
      if (!current || current.expiresAt <= now.getTime()) return take(name, holder, expiresAt, current);
      return current.holder === holder ? extend(current, expiresAt) : false;
    },
    renew: async (name, holder, ttlMs, now) => {
      const current = await latest(name);
      if (!current || current.holder !== holder || current.expiresAt <= now.getTime()) return false;
      return extend(current, now.getTime() + ttlMs);
    },
    release: async (name, holder) => {
      const current = await latest(name);
      if (current?.holder === holder) await raw.updateOne({ _id: current._id, holder }, { $set: { expiresAt: RELEASED } });
    },
    holderOf: async (name, now) => {
      const current = await latest(name);
      return current && current.expiresAt > now.getTime() ? current.holder : null;
    },
    // The next term, taken from the term `from` holds: the unique insert decides between two takers.
    takeOver: async (name, from, to, ttlMs, now) => {
      const current = await latest(name);
      return current?.holder === from ? take(name, to, now.getTime() + ttlMs, current) : false;
    },
  };
}
