import type { AuditEventInput } from '../../app/audit.js';
import type { EffectInput } from '../../app/outbox/effects.js';
import type { RemediationCreate, RemediationUpdate, StoreConflict } from '../../app/ports.js';
import type { Remediation } from '../../domain/remediation.js';
import { err, ok, type Result } from '../../domain/result.js';
import { orderedInserts, orderedUpserts } from './bulk.js';
import { byIds, isDuplicateKey, toDomain } from './documents.js';
import { rawCollection, type Models, type VersionDoc } from './models.js';
import { type Outcome, type VersionSteps } from './version-docs.js';

/**
 * How a remediation is written without a multi-document transaction, identically on MongoDB and FerretDB v1
 * (whose updates are read-modify-write, so a version condition in an update filter is NOT atomic there):
 *
 * 0. the events of the version read (v) are recorded if its writer has not done it yet (recordBefore), so the
 *    log lists a remediation's steps in the order of its versions, whoever crashed where;
 * 1. commit: insert the version document `<id>@<v+1>` carrying the new state, its audit events and its effects.
 *    The unique `_id` is the arbiter: of two writers from the same version exactly one insert succeeds; the
 *    other gets `store.conflict` (or `store.duplicate` for a second create of the same id);
 * 2. materialise: only the holder of version v+1 moves the remediation document from v to v+1 (an insert for a
 *    create), so no two writers ever update it at once. The unique `key` index may refuse it (a key another
 *    remediation holds): the version document is then deleted and nothing happened;
 * 3. record: append its events (idempotent by event id), add its effects to the outbox (idempotent by id), delete
 *    the version document.
 *
 * A state is never visible without its events for long: readers of the log and of the outbox record every
 * materialised version first (recovery.ts), and the next writer does (step 0). A crash after 1 but before 2
 * leaves a version that holds its number until `recover` (or a writer it blocks) finishes it, once stale.
 */
export interface RemediationWrites {
  create(r: Remediation, events: readonly AuditEventInput[], effects?: readonly EffectInput[]): Promise<Result<Remediation, StoreConflict>>;
  update(next: Remediation, expectedVersion: number, events: readonly AuditEventInput[], effects?: readonly EffectInput[]): Promise<Result<Remediation, StoreConflict>>;
  createMany(items: readonly RemediationCreate[]): Promise<Result<Remediation, StoreConflict>[]>;
  updateMany(items: readonly RemediationUpdate[]): Promise<Result<Remediation, StoreConflict>[]>;
}

type Written = Result<Remediation, StoreConflict>;

export function createRemediationWrites(models: Models, steps: VersionSteps): RemediationWrites {
  const versions = rawCollection(models.versions);
  const remediations = rawCollection(models.remediations);
  const conflict = (id: string, expectedVersion: number) => err({ code: 'store.conflict' as const, id, expectedVersion });
  const duplicate = (id: string) => err({ code: 'store.duplicate' as const, id });

  /** Step 1 for many: which version documents were inserted (distinct ids, so the inserts are independent). */
  async function commitAll(vs: readonly VersionDoc[]): Promise<boolean[]> {
    if (vs.length === 0) return [];
    try {
      await versions.insertMany([...vs], { ordered: false });
      return vs.map(() => true);
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
    }
    // Some were taken. What was really inserted is read back rather than inferred from the errors: a server that
    // stops an unordered insert at its first error (as FerretDB v1 may) must not pass for one that went on.
    const found = await models.versions.find(byIds(vs.map((v) => v._id)), { write: 1 }).lean<{ _id: string; write: string }[]>();
    const inserted = new Map(found.map((d) => [d._id, d.write]));
    const missing = vs.filter((v) => !inserted.has(v._id));
    if (missing.length > 0) {
      const refused = new Set(await orderedInserts(versions, missing));
      missing.forEach((v, i) => !refused.has(i) && inserted.set(v._id, v.write));
    }
    return vs.map((v) => inserted.get(v._id) === v.write);
  }

  /**
   * Step 2 for many updates: moved in bulk (batches FerretDB can take), then read back. Holding this write (or past
   * it, having recorded it): applied; still at the version it was written over: the unique key index refused it;
   * else stale (another write of the same number went through first).
   */
  async function materialiseUpdates(vs: readonly VersionDoc[]): Promise<Outcome[]> {
    if (vs.length <= 1) return Promise.all(vs.map((v) => steps.materialise(v)));
    const ops = vs.map((v) => ({ updateOne: { filter: { _id: v.remediationId, version: v.version - 1 }, update: { $set: { ...v.doc, _commit: v.write } } } }));
    await orderedUpserts(remediations, ops);
    const docs = await steps.materialised(vs);
    const through = await steps.wentThrough(vs, docs);
    const at = new Map(docs.map((d) => [d._id, d.version]));
    return vs.map((v, i) => (through[i] ? 'applied' : (at.get(v.remediationId) ?? 0) === v.version - 1 ? 'duplicate' : 'stale'));
  }

  /** Steps 1-3 for many versions; `materialiseAll` does step 2. Results in order. */
  async function writeAll(vs: readonly VersionDoc[], materialiseAll: (vs: readonly VersionDoc[]) => Promise<Outcome[]>, lost: (v: VersionDoc) => Written): Promise<Written[]> {
    const committed = await commitAll(vs);
    const mine = vs.filter((_, i) => committed[i]);
    const outcomes = new Map<VersionDoc, Outcome>();
    (await materialiseAll(mine)).forEach((o, i) => outcomes.set(mine[i]!, o));
    const applied = mine.filter((v) => outcomes.get(v) === 'applied');
    const dropped = mine.filter((v) => outcomes.get(v) !== 'applied').map((v) => v._id);
    if (dropped.length > 0) await versions.deleteMany({ _id: { $in: dropped } });
    await steps.record(applied);
    const results: Written[] = [];
    for (const [i, v] of vs.entries()) {
      const outcome = committed[i] ? outcomes.get(v) : undefined;
      if (outcome === undefined) await steps.unblock(v.remediationId, v.version);
      if (outcome === 'applied') results.push(ok(toDomain<Remediation>(v.doc)));
      else if (outcome === 'duplicate') results.push(duplicate(v.remediationId));
      else results.push(lost(v));
    }
    return results;
  }

  /**
   * Step 2 for many creates: one unordered insert (distinct ids); if the unique key index refused some, those not
   * carrying this write's id are tried one by one, which tells a taken key from an insert the server skipped.
   */
  async function materialiseCreates(vs: readonly VersionDoc[]): Promise<Outcome[]> {
    if (vs.length <= 1) return Promise.all(vs.map((v) => steps.materialise(v)));
    try {
      await remediations.insertMany(vs.map((v) => ({ _id: v.remediationId, ...v.doc, _commit: v.write })), { ordered: false });
      return vs.map(() => 'applied');
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
    }
    const docs = await models.remediations.find(byIds(vs.map((v) => v.remediationId)), { _commit: 1 }).lean<{ _id: string; _commit?: string }[]>();
    const commits = new Map(docs.map((d) => [d._id, d._commit]));
    const out: Outcome[] = [];
    for (const v of vs) out.push(commits.get(v.remediationId) === v.write ? 'applied' : await steps.materialise(v));
    return out;
  }

  async function updateMany(items: readonly RemediationUpdate[]): Promise<Written[]> {
    if (items.length === 0) return [];
    const docs = await models.remediations.find(byIds(items.map((i) => i.next.id)), { version: 1 }).lean<{ _id: string; version: number }[]>();
    const current = new Map(docs.map((d) => [d._id, d.version]));
    // A cheap early refusal; the version document's unique id is what decides.
    const fresh = items.map((i) => current.get(i.next.id) === i.expectedVersion);
    const todo = items.filter((_, k) => fresh[k]);
    await steps.recordBefore(todo.map((i) => ({ id: i.next.id, version: i.expectedVersion })));
    const written = await writeAll(
      todo.map((i) => steps.build(i.next, i.expectedVersion + 1, i.events, i.effects)),
      materialiseUpdates,
      (v) => conflict(v.remediationId, v.version - 1),
    );
    let k = 0;
    return items.map((i, n) => (fresh[n] ? written[k++]! : conflict(i.next.id, i.expectedVersion)));
  }

  async function createMany(items: readonly RemediationCreate[]): Promise<Written[]> {
    // Version 1 taken: the same id; refused when materialised: the same key.
    return writeAll(items.map((i) => steps.build(i.remediation, 1, i.events, i.effects)), materialiseCreates, (v) => duplicate(v.remediationId));
  }

  return {
    create: async (r, events, effects) => (await createMany([{ remediation: r, events, effects }]))[0]!,
    update: async (next, expectedVersion, events, effects) => (await updateMany([{ next, expectedVersion, events, effects }]))[0]!,
    createMany,
    updateMany,
  };
}
