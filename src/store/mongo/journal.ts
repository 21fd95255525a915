import type { mongo } from 'mongoose';
import type { AuditEvent } from '../../app/audit.js';
import type { Change, KeyValueEntry } from '../../app/ports.js';
import { appendEvents } from './audit-append.js';
import { orderedInserts, orderedUpserts } from './bulk.js';
import { nextValue } from './counters.js';
import { toStored } from './documents.js';
import { eventEntries } from './event-entries.js';
import { kvReplace } from './kv.js';
import { rawCollection, type AdvisoryLinkDoc, type JournalDoc, type Models } from './models.js';
import { addEffects } from './outbox.js';

/** Journal ids taken between two prunings of the journal counter's old values. */
const PRUNE_EVERY = 256;

/** `j` + the counter's value, zero-padded: ids sort as they were taken, and after the time-based ids of old releases. */
const journalId = (n: number): string => `j${String(n).padStart(15, '0')}`;

/**
 * A change that spans documents (assets + findings + advisories and links + key-value entries + their audit events +
 * their effects, or
 * several audit events) is first written whole as ONE journal document; that single insert is the commit point.
 * Its id comes from a counter claimed by a unique insert (counters.ts), never from a clock, so entries order the
 * same whichever replica wrote them. Applying it is idempotent, and others may repeat it (recovery.ts) until the
 * journal document is deleted:
 * 1. each asset / finding / advisory is replaced unless a later journal entry already wrote it (`_commit`), so
 *    replaying an old entry does not undo a newer change; links are inserted once; key-value entries are upserted;
 * 2. the events are appended, deduplicated by their ids; then the effects are added to the outbox;
 * 3. the journal document is deleted.
 * One document holds at most 16 MiB (MongoDB's and FerretDB's limit): callers batch bigger syncs.
 */
export async function writeJournal(models: Models, change: Change): Promise<JournalDoc> {
  const n = await nextValue(models.counters, 'journal');
  // Old values go, but not the last few hundred: a racer that read an older top must still find its slot taken.
  if (n % PRUNE_EVERY === 0) await models.counters.deleteMany({ name: 'journal', value: { $lt: n - PRUNE_EVERY } });
  const _id = journalId(n);
  const doc: JournalDoc = {
    _id,
    at: new Date().toISOString(),
    assets: toStored([...(change.assets ?? [])]),
    findings: toStored([...(change.findings ?? [])]),
    ...(change.advisories?.length ? { advisories: toStored([...change.advisories]) } : {}),
    ...(change.advisoryLinks?.length ? { advisoryLinks: toStored([...change.advisoryLinks]) } : {}),
    events: eventEntries(_id, change.events),
    ...(change.effects?.length ? { effects: toStored([...change.effects]) } : {}),
    ...(change.kv?.length ? { kv: toStored([...change.kv]) } : {}),
  };
  await rawCollection(models.journal).insertOne(doc);
  return doc;
}

/** True when applying the entry writes records others may write too (assets, findings, advisories, key-value entries). */
export const writesRecords = (j: JournalDoc): boolean =>
  j.assets.length > 0 || j.findings.length > 0 || (j.kv?.length ?? 0) > 0 || (j.advisories?.length ?? 0) > 0 || (j.advisoryLinks?.length ?? 0) > 0;

/** Applies a journal document (as stored) and deletes it; returns its events as chained. */
export async function applyJournal(models: Models, journal: JournalDoc): Promise<AuditEvent[]> {
  await replaceUnlessNewer(rawCollection(models.assets), journal.assets, journal._id);
  await replaceUnlessNewer(rawCollection(models.findings), journal.findings, journal._id);
  await replaceUnlessNewer(rawCollection(models.advisories), journal.advisories ?? [], journal._id);
  // A link already stored stays as it is: its insert is refused, nothing else to do.
  const links = (journal.advisoryLinks ?? []).map((l) => ({ _id: `${l.advisoryId}|${l.remediationId}`, ...l }) as AdvisoryLinkDoc);
  await orderedInserts(rawCollection(models.advisoryLinks), links);
  if (journal.kv?.length) await upsertKv(models, journal.kv);
  const events = await appendEvents(models.audit, journal.events);
  await addEffects(models, journal._id, journal.effects, events);
  await rawCollection(models.journal).deleteOne({ _id: journal._id });
  return events;
}

async function upsertKv(models: Models, entries: readonly KeyValueEntry[]): Promise<void> {
  let ops = entries.map((e) => kvReplace(e.ns, e.key, e.value));
  for (let round = 1; ops.length > 0 && round <= 10; round += 1) ops = (await orderedUpserts(rawCollection(models.kv), ops)).map((i) => ops[i]!);
}

/** Rounds before giving up on records other writers keep creating under us. */
const MAX_ROUNDS = 10;

/**
 * Writes each record unless a later journal entry already wrote it (`_commit` greater than this one's, which is
 * what a late replay finds): read the `_commit` of each, insert the new ones in one ordered insert, replace the
 * older ones by `_id`. A record created by another writer in between is refused by the insert and goes round
 * again. Filters are `_id` alone: FerretDB v1 pushes nothing else down to SQLite, so any other filter scans the
 * whole collection per statement.
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
