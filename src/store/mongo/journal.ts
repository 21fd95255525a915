import { randomUUID } from 'node:crypto';
import type { mongo } from 'mongoose';
import type { AuditEvent } from '../../app/audit.js';
import type { Change } from '../../app/ports.js';
import { appendEvents } from './audit-append.js';
import { orderedInserts, orderedUpserts } from './bulk.js';
import { toStored } from './documents.js';
import { eventEntries } from './event-entries.js';
import { rawCollection, type AdvisoryLinkDoc, type JournalDoc, type Models } from './models.js';

/**
 * A change that spans documents (assets + findings + their audit events, or several audit events) is first
 * written whole as ONE journal document; that single insert is the commit point. Applying it is idempotent, and
 * anyone may repeat it (recovery.ts) until the journal document is deleted:
 * 1. each asset / finding is replaced unless a later journal entry already wrote it (`_commit`, the entry's
 *    time-ordered id), so replaying an old entry does not undo a newer change;
 * 2. the events are appended, deduplicated by their ids;
 * 3. the journal document is deleted.
 * One document holds at most 16 MiB (MongoDB's and FerretDB's limit): callers batch bigger syncs.
 */
export async function writeJournal(models: Models, change: Change): Promise<JournalDoc> {
  const at = new Date().toISOString();
  const _id = `${at}~${randomUUID()}`;
  const doc: JournalDoc = {
    _id,
    at,
    assets: toStored([...(change.assets ?? [])]),
    findings: toStored([...(change.findings ?? [])]),
    ...(change.advisories?.length ? { advisories: toStored([...change.advisories]) } : {}),
    ...(change.advisoryLinks?.length ? { advisoryLinks: toStored([...change.advisoryLinks]) } : {}),
    events: eventEntries(_id, change.events),
  };
  await rawCollection(models.journal).insertOne(doc);
  return doc;
}

/** Applies a journal document (as stored) and deletes it; returns its events as chained. */
export async function applyJournal(models: Models, journal: JournalDoc): Promise<AuditEvent[]> {
  await replaceUnlessNewer(rawCollection(models.assets), journal.assets, journal._id);
  await replaceUnlessNewer(rawCollection(models.findings), journal.findings, journal._id);
  await replaceUnlessNewer(rawCollection(models.advisories), journal.advisories ?? [], journal._id);
  // A link already stored stays as it is: its insert is refused, nothing else to do.
  const links = (journal.advisoryLinks ?? []).map((l) => ({ _id: `${l.advisoryId}|${l.remediationId}`, ...l }) as AdvisoryLinkDoc);
  await orderedInserts(rawCollection(models.advisoryLinks), links);
  const events = await appendEvents(models.audit, journal.events);
  await rawCollection(models.journal).deleteOne({ _id: journal._id });
  return events;
}

/** Rounds before giving up on records other writers keep creating under us. */
const MAX_ROUNDS = 10;

/**
 * Writes each record unless a later journal entry already wrote it (`_commit` greater than this one's, which is
 * what a late replay finds): read the `_commit` of each, insert the new ones in one ordered insert, replace the
 * older ones by `_id`. A record created by another writer in between is refused by the insert and goes round
 * again. Two entries applied at the same instant are last-writer-wins, as in SQLite. Filters are `_id` alone:
 * FerretDB v1 pushes nothing else down to SQLite, so any other filter scans the whole collection per statement.
 */
async function replaceUnlessNewer<T extends { _id: string; _commit: string; id: string }>(
  collection: mongo.Collection<T>,
  records: readonly Omit<T, '_id' | '_commit'>[],
  commit: string,
): Promise<void> {
  // `_id` first: FerretDB v1 replaces a document whose `_id` is not its first field some ten times slower.
  const stored = (r: Omit<T, '_id' | '_commit'>) => ({ _id: r.id, ...r, _commit: commit }) as unknown as mongo.OptionalUnlessRequiredId<T>;
  let todo = [...records];
  for (let round = 1; todo.length > 0; round += 1) {
    if (round > MAX_ROUNDS) throw new Error(`journal entry ${commit}: records kept appearing under it (${todo.length} left)`);
    const seen = new Map<string, string>();
    const filter = { _id: { $in: todo.map((r) => r.id) } } as mongo.Filter<T>;
    for (const d of await collection.find(filter, { projection: { _commit: 1 } }).toArray()) seen.set(String(d._id), String(d._commit ?? ''));
    const fresh = todo.filter((r) => !seen.has(r.id));
    const older = todo.filter((r) => seen.has(r.id) && seen.get(r.id)! <= commit);
    const refused = await orderedInserts(collection, fresh.map(stored));
    const ops = older.map((r) => ({ replaceOne: { filter: { _id: r.id }, replacement: stored(r), upsert: true } }));
    await orderedUpserts(collection, ops as unknown as mongo.AnyBulkWriteOperation<T>[]);
    todo = refused.map((i) => fresh[i]!);
  }
}
