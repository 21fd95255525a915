import type { RemediationFacts, RemediationRepo, StateSeverityCount } from '../../app/ports.js';
import type { Remediation } from '../../domain/remediation.js';
import { nextValue, nextValues } from './counters.js';
import { toDomain } from './documents.js';
import type { Models, RemediationDoc, VersionDoc } from './models.js';
import { page, remediationFilter } from './remediation-query.js';
import type { RemediationWrites } from './remediation-writes.js';

/** The fields `facts` reads (a projection: the rest of each document stays on the server). */
const FACTS = { _id: 1, state: 1, severity: 1, owner: 1, dueAt: 1, closedAt: 1, createdAt: 1, slaStartAt: 1, resolution: 1 } as const;
type FactsDoc = Omit<RemediationFacts, 'id'> & { _id: string };

/** Remediations, one document each; writes go through versions (remediation-writes.ts), one or many at a time. */
export function createRemediationRepo(models: Models, writes: RemediationWrites): RemediationRepo {
  const model = models.remediations;
  const one = async (filter: Record<string, unknown>): Promise<Remediation | null> => {
    const doc = await model.findOne(filter).lean<RemediationDoc>();
    return doc ? toDomain<Remediation>(doc) : null;
  };

  return {
    nextId: async () => `PW-${await nextValue(models.counters, 'remediation')}`,
    get: (id) => one({ _id: id }),
    getByKey: (key) => one({ key }),
    list: async (query = {}) => {
      const p = page(query);
      if (p.empty) return [];
      const docs = await model.find(remediationFilter(query)).sort({ dueAt: 1, _id: 1 }).skip(p.skip).limit(p.limit).lean<RemediationDoc[]>();
      return docs.map((d) => toDomain<Remediation>(d));
    },
    count: (query = {}) => model.countDocuments(remediationFilter(query)).exec(),
    facts: async (query = {}) => {
      const p = page(query);
      if (p.empty) return [];
      const docs = await model.find(remediationFilter(query), FACTS).sort({ dueAt: 1, _id: 1 }).skip(p.skip).limit(p.limit).lean<FactsDoc[]>();
      return docs.map(({ _id, state, severity, owner, dueAt, closedAt, createdAt, slaStartAt, resolution }) => ({
        id: _id, state, severity, owner: owner ?? null, dueAt, closedAt: closedAt ?? null, createdAt, slaStartAt, resolution: resolution ?? null,
      }));
    },
    countByOwner: async (query = {}) => {
      // Counted on the server: only one document per owner comes back.
      const groups = await model.aggregate<{ _id: string | null; count: number }>([{ $match: remediationFilter(query) }, { $group: { _id: '$owner', count: { $sum: 1 } } }]);
      return groups.map((g) => ({ owner: g._id ?? null, count: g.count }));
    },
    countByStateAndSeverity: async () => {
      const groups = await model.aggregate<{ _id: { state: string; severity: string }; count: number }>([
        { $group: { _id: { state: '$state', severity: '$severity' }, count: { $sum: 1 } } },
      ]);
      return groups
        .map((g) => ({ state: g._id.state, severity: g._id.severity, count: g.count }) as StateSeverityCount)
        .sort((a, b) => compare(a.state, b.state) || compare(a.severity, b.severity));
    },
    versionsBefore: async (ids, at) => {
      if (ids.length === 0) return [];
      // The history every recorded write adds (version-docs.ts), and the finished version documents an older release
      // kept. Few per remediation: the choice of the last one before `at` is made here.
      const filter = { remediationId: { $in: [...ids] } };
      const [recorded, older] = await Promise.all([
        models.history.find(filter, { remediationId: 1, version: 1, doc: 1 }).lean<Versioned[]>(),
        models.versions.find({ ...filter, pending: false }, { remediationId: 1, version: 1, doc: 1 }).lean<Versioned[]>(),
      ]);
      const last = new Map<string, Versioned>();
      for (const v of [...older, ...recorded]) {
        const kept = last.get(v.remediationId);
        if (v.doc.updatedAt < at && (!kept || v.version > kept.version)) last.set(v.remediationId, v);
      }
      return [...last.values()].map((v) => toDomain<Remediation>(v.doc));
    },
    nextIds: async (count) => (await nextValues(models.counters, 'remediation', count)).map((n) => `PW-${n}`),
    create: (r, events, effects) => writes.create(r, events, effects),
    update: (next, expectedVersion, events, effects) => writes.update(next, expectedVersion, events, effects),
    createMany: (items) => writes.createMany(items),
    updateMany: (items) => writes.updateMany(items),
  };
}

type Versioned = Pick<VersionDoc, 'remediationId' | 'version' | 'doc'>;

/** Binary string order, as SQLite's `ORDER BY` on text. */
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
