import type { AuditEventInput } from '../../app/audit.js';
import type { EffectInput } from '../../app/outbox/effects.js';
import type { AdvisoryQuery, AdvisoryRepo } from '../../app/ports.js';
import type { Advisory, AdvisoryLink, AdvisoryReview } from '../../domain/advisory.js';
import { err, ok } from '../../domain/result.js';
import type { SqliteAuditLog } from './audit-log.js';
import type { Db } from './db.js';
import type { SqliteOutbox } from './outbox.js';
import { filter, statementCache, type Filter } from './sql.js';

const ids = (xs: readonly string[]): string => JSON.stringify(xs);

function advisoryFilter(q: AdvisoryQuery = {}): Filter {
  const f = filter([
    ['feed = ?', q.feed],
    ['id IN (SELECT advisory_id FROM advisory_cves WHERE cve IN (SELECT value FROM json_each(?)))', q.cves && ids(q.cves)],
    ['first_seen_at < ?', q.seenBefore],
    ['first_seen_at >= ?', q.seenSince],
  ]);
  const more = [
    ...(q.reviewed === undefined ? [] : [`${q.reviewed ? '' : 'NOT '}EXISTS (SELECT 1 FROM advisory_reviews r WHERE r.advisory_id = advisories.id)`]),
    // The flag lives in the doc (absent unless true): few advisories, no index needed.
    ...(q.baseline === undefined ? [] : [`COALESCE(json_extract(doc, '$.baseline'), 0) = ${q.baseline ? 1 : 0}`]),
  ];
  if (more.length === 0) return f;
  return { sql: f.sql ? `${f.sql} AND ${more.join(' AND ')}` : ` WHERE ${more.join(' AND ')}`, params: f.params };
}

export interface SqliteAdvisories {
  readonly repo: AdvisoryRepo;
  /** Inserts or replaces advisories (and their CVE rows); call inside the caller's transaction. */
  upsertInTx(advisories: readonly Advisory[]): void;
  /** Inserts links not stored yet; call inside the caller's transaction. */
  linkInTx(links: readonly AdvisoryLink[]): void;
}

export function createAdvisories(
  db: Db,
  appendInTx: SqliteAuditLog['appendInTx'],
  addEffectsInTx: SqliteOutbox['addInTx'],
): SqliteAdvisories {
  const prepared = statementCache(db);
  const parse = <T>(doc: string): T => JSON.parse(doc) as T;
  const upsert = db.prepare<[string, string, string, string]>(
    `INSERT INTO advisories (id, feed, first_seen_at, doc) VALUES (?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET feed = excluded.feed, first_seen_at = excluded.first_seen_at, doc = excluded.doc`,
  );
  const dropCves = db.prepare<[string]>('DELETE FROM advisory_cves WHERE advisory_id = ?');
  const addCve = db.prepare<[string, string]>('INSERT INTO advisory_cves (cve, advisory_id) VALUES (?, ?) ON CONFLICT DO NOTHING');
  const addLink = db.prepare<[string, string, string, string]>(
    'INSERT INTO advisory_links (advisory_id, remediation_id, at, doc) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const addReview = db.prepare<[string, string, string]>('INSERT INTO advisory_reviews (advisory_id, at, doc) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
  const byId = db.prepare<[string], string>('SELECT doc FROM advisories WHERE id = ?').pluck();
  const byIds = db.prepare<[string], string>('SELECT doc FROM advisories WHERE id IN (SELECT value FROM json_each(?)) ORDER BY first_seen_at DESC, id').pluck();
  const reviewsOf = db.prepare<[string], string>('SELECT doc FROM advisory_reviews WHERE advisory_id IN (SELECT value FROM json_each(?)) ORDER BY advisory_id').pluck();

  const linkInTx = (links: readonly AdvisoryLink[]): void => {
    for (const l of links) addLink.run(l.advisoryId, l.remediationId, l.at, JSON.stringify(l));
  };
  const review = db.transaction((r: AdvisoryReview, events: readonly AuditEventInput[], effects: readonly EffectInput[] | undefined): boolean => {
    if (addReview.run(r.advisoryId, r.at, JSON.stringify(r)).changes === 0) return false;
    if (r.remediationId) linkInTx([{ advisoryId: r.advisoryId, remediationId: r.remediationId, via: 'review', cves: [], at: r.at }]);
    addEffectsInTx(effects, appendInTx(events));
    return true;
  });

  return {
    upsertInTx: (advisories) => {
      for (const a of advisories) {
        upsert.run(a.id, a.feed, a.firstSeenAt, JSON.stringify(a));
        dropCves.run(a.id);
        for (const cve of a.cves) addCve.run(cve, a.id);
      }
    },
    linkInTx,
    repo: {
      get: async (id) => {
        const doc = byId.get(id);
        return doc === undefined ? null : parse<Advisory>(doc);
      },
      getMany: async (list) => byIds.all(ids(list)).map((d) => parse<Advisory>(d)),
      list: async (query = {}) => {
        const f = advisoryFilter(query);
        const limit = query.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(query.limit))}` : '';
        return (prepared(`SELECT doc FROM advisories${f.sql} ORDER BY first_seen_at DESC, id${limit}`).pluck().all(...f.params) as string[]).map((d) => parse<Advisory>(d));
      },
      count: async (query = {}) => {
        const f = advisoryFilter(query);
        return prepared(`SELECT COUNT(*) FROM advisories${f.sql}`).pluck().get(...f.params) as number;
      },
      links: async ({ advisoryIds, remediationId }) => {
        const f = filter([
          ['advisory_id IN (SELECT value FROM json_each(?))', advisoryIds && ids(advisoryIds)],
          ['remediation_id = ?', remediationId],
        ]);
        return (prepared(`SELECT doc FROM advisory_links${f.sql} ORDER BY at, advisory_id, remediation_id`).pluck().all(...f.params) as string[]).map((d) => parse<AdvisoryLink>(d));
      },
      review: async (r, events, effects) => (review.immediate(r, events, effects) ? ok(r) : err({ code: 'store.duplicate', id: r.advisoryId })),
      reviews: async (list) => reviewsOf.all(ids(list)).map((d) => parse<AdvisoryReview>(d)),
    },
  };
}
