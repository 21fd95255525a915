import type { AuditEventInput } from '../../app/audit.js';
import type { EffectInput } from '../../app/outbox/effects.js';
import type { OwnerCount, RemediationCreate, RemediationFacts, RemediationRepo, RemediationUpdate, StateSeverityCount, StoreConflict } from '../../app/ports.js';
import type { Remediation } from '../../domain/remediation.js';
import { err, ok, type Result } from '../../domain/result.js';
import type { SqliteAuditLog } from './audit-log.js';
import type { SqliteOutbox } from './outbox.js';
import { isUniqueViolation, type Db } from './db.js';
import { docTable, type ParseDocs } from './doc-table.js';
import { page, remediationFilter } from './remediation-query.js';
import { statementCache } from './sql.js';

interface Row {
  id: string;
  key: string;
  state: string;
  severity: string;
  dueAt: string;
  owner: string | null;
  closedAt: string | null;
  createdAt: string;
  slaStartAt: string | null;
  resolution: string | null;
  version: number;
  doc: string;
}
const row = (r: Remediation): Row => ({
  id: r.id,
  key: r.key,
  state: r.state,
  severity: r.severity,
  dueAt: r.dueAt,
  owner: r.owner,
  closedAt: r.closedAt,
  createdAt: r.createdAt,
  slaStartAt: r.slaStartAt ?? null,
  resolution: r.resolution ?? null,
  version: r.version,
  doc: JSON.stringify(r),
});

/**
 * Remediations as a JSON doc plus the indexed columns the queries use. Every write carries its audit events and
 * its Slack effects in the same immediate transaction, and an update applies only if the stored version is still
 * the one read.
 */
export function createRemediationRepo(db: Db, appendInTx: SqliteAuditLog['appendInTx'], addEffectsInTx: SqliteOutbox['addInTx'], parseDocs?: ParseDocs): RemediationRepo {
  const table = docTable<Remediation>(db, 'remediations', 'due_at, id', parseDocs);
  const nextValue = db
    .prepare<[], number>(
      "INSERT INTO counters (name, value) VALUES ('remediation', 1) ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value",
    )
    .pluck();
  const advance = db
    .prepare<{ n: number }, number>(
      "INSERT INTO counters (name, value) VALUES ('remediation', @n) ON CONFLICT (name) DO UPDATE SET value = value + @n RETURNING value",
    )
    .pluck();
  const byKey = db.prepare<[string], string>('SELECT doc FROM remediations WHERE key = ?').pluck();
  const counts = db.prepare<[], StateSeverityCount>(
    'SELECT state, severity, COUNT(*) AS count FROM remediations GROUP BY state, severity ORDER BY state, severity',
  );
  const insert = db.prepare<Row>(
    `INSERT INTO remediations (id, key, state, severity, due_at, owner, closed_at, created_at, sla_start_at, resolution, version, doc)
     VALUES (@id, @key, @state, @severity, @dueAt, @owner, @closedAt, @createdAt, @slaStartAt, @resolution, @version, @doc) ON CONFLICT DO NOTHING`,
  );
  const remember = db.prepare<[string, number, string, string]>('INSERT INTO remediation_versions (id, version, updated_at, doc) VALUES (?, ?, ?, ?)');
  // The last version of each id written before the instant: the correlated MAX walks that id's primary key.
  const before = db
    .prepare<[string, string, string], string>(
      `SELECT doc FROM remediation_versions v WHERE v.id IN (SELECT value FROM json_each(?)) AND v.updated_at < ?
         AND v.version = (SELECT MAX(w.version) FROM remediation_versions w WHERE w.id = v.id AND w.updated_at < ?)`,
    )
    .pluck();
  const updateIfVersion = db.prepare<Row & { expectedVersion: number }>(
    `UPDATE remediations SET key = @key, state = @state, severity = @severity, due_at = @dueAt, owner = @owner,
       closed_at = @closedAt, created_at = @createdAt, sla_start_at = @slaStartAt, resolution = @resolution,
       version = @version, doc = @doc
     WHERE id = @id AND version = @expectedVersion`,
  );

  // Columns only (migration 7): no doc is parsed, by SQLite or here.
  const prepared = statementCache(db);
  const factsColumns = `id, state, severity, owner, due_at AS dueAt, closed_at AS closedAt, created_at AS createdAt,
    sla_start_at AS slaStartAt, resolution`;

  type Effects = readonly EffectInput[] | undefined;
  const create = db.transaction((r: Remediation, events: readonly AuditEventInput[], effects: Effects): Result<Remediation, StoreConflict> => {
    const stored = { ...r, version: 1 };
    const values = row(stored);
    if (insert.run(values).changes === 0) return err({ code: 'store.duplicate', id: r.id });
    remember.run(values.id, values.version, stored.updatedAt, values.doc);
    addEffectsInTx(effects, appendInTx(events));
    return ok(stored);
  });

  const updateInTx = (next: Remediation, expectedVersion: number, events: readonly AuditEventInput[], effects: Effects): Result<Remediation, StoreConflict> => {
    const stored = { ...next, version: expectedVersion + 1 };
    const values = row(stored);
    if (updateIfVersion.run({ ...values, expectedVersion }).changes === 0) {
      return err({ code: 'store.conflict', id: next.id, expectedVersion });
    }
    remember.run(values.id, values.version, stored.updatedAt, values.doc);
    addEffectsInTx(effects, appendInTx(events));
    return ok(stored);
  };
  const update = db.transaction(updateInTx);

  // The batches: one immediate transaction (one fsync) for all, each item applied or refused on its own.
  const createMany = db.transaction((items: readonly RemediationCreate[]) => items.map((i) => create(i.remediation, i.events, i.effects)));
  const updateMany = db.transaction((items: readonly RemediationUpdate[]) =>
    items.map((i): Result<Remediation, StoreConflict> => {
      try {
        return updateInTx(i.next, i.expectedVersion, i.events, i.effects);
      } catch (e) {
        // The new key belongs to another remediation: this statement failed, the transaction goes on.
        if (isUniqueViolation(e)) return err({ code: 'store.duplicate', id: i.next.id });
        throw e;
      }
    }),
  );

  return {
    nextId: async () => `PW-${nextValue.get() ?? 1}`,
    nextIds: async (count) => {
      const last = advance.get({ n: count }) ?? count;
      return Array.from({ length: count }, (_, i) => `PW-${last - count + 1 + i}`);
    },
    createMany: async (items) => createMany.immediate(items),
    updateMany: async (items) => updateMany.immediate(items),
    get: async (id) => table.get(id),
    getByKey: async (key) => {
      const doc = byKey.get(key);
      return doc === undefined ? null : (JSON.parse(doc) as Remediation);
    },
    list: async (query = {}) => table.list(remediationFilter(query), page(query)),
    count: async (query = {}) => table.count(remediationFilter(query)),
    facts: async (query = {}) => {
      const f = remediationFilter(query);
      const p = page(query);
      return prepared(`SELECT ${factsColumns} FROM remediations${f.sql} ORDER BY due_at, id${p.sql}`).all(...f.params, ...p.params) as RemediationFacts[];
    },
    // (state, due_at, id, owner) covers the overdue query (migration 8): counted from the index alone.
    countByOwner: async (query = {}) => {
      const f = remediationFilter(query);
      return prepared(`SELECT owner, COUNT(*) AS count FROM remediations${f.sql} GROUP BY owner`).all(...f.params) as OwnerCount[];
    },
    countByStateAndSeverity: async () => counts.all(),
    versionsBefore: async (ids, at) => before.all(JSON.stringify(ids), at, at).map((doc) => JSON.parse(doc) as Remediation),
    create: async (r, events, effects) => create.immediate(r, events, effects),
    update: async (next, expectedVersion, events, effects) => {
      try {
        return update.immediate(next, expectedVersion, events, effects);
      } catch (e) {
        // The new key belongs to another remediation.
        if (isUniqueViolation(e)) return err({ code: 'store.duplicate', id: next.id });
        throw e;
      }
    },
  };
}
