import { randomUUID } from 'node:crypto';
import type { AuditEventInput } from '../../app/audit.js';
import type { EffectInput } from '../../app/outbox/effects.js';
import type { Remediation } from '../../domain/remediation.js';
import { appendEvents } from './audit-append.js';
import { orderedInserts } from './bulk.js';
import { byIds, isDuplicateKey, toStored } from './documents.js';
import { eventEntries } from './event-entries.js';
import type { Leftovers } from './leftovers.js';
import { rawCollection, type Models, type VersionDoc } from './models.js';
import { addEffects } from './outbox.js';

export type Outcome = 'applied' | 'duplicate' | 'stale';

export const versionId = (id: string, version: number): string => `${id}@${version}`;

/**
 * The steps of a remediation write through its version document (see remediation-writes.ts for the protocol), one
 * write or many at a time. Every step is idempotent, so a writer, the next writer and a recovery may all take it.
 */
export interface VersionSteps {
  /** The version document of a write, not yet inserted. */
  build(r: Remediation, version: number, events: readonly AuditEventInput[], effects?: readonly EffectInput[]): VersionDoc;
  /** Step 2 for one version: the remediation document moved to it (or inserted, for version 1). */
  materialise(v: VersionDoc): Promise<Outcome>;
  /** Step 3 for versions that are materialised: their events appended in the given order, their effects added, done. */
  record(vs: readonly VersionDoc[]): Promise<void>;
  /** Steps 2 and 3; a version that cannot apply is deleted, as if it had never been written. */
  finish(v: VersionDoc): Promise<Outcome>;
  /**
   * Before writing version v+1 over a remediation read at version v: v is materialised (it was read), so if its
   * document is still there its events are not yet recorded. Record them now, so the log keeps version order.
   */
  recordBefore(read: readonly { id: string; version: number }[]): Promise<void>;
  /** After losing version `version` of `id`: if a crashed writer holds it (stale, not materialised), finish it. */
  unblock(id: string, version: number): Promise<void>;
  /**
   * Which of `vs` the remediation documents went through (in order). Not their number alone: once a finished
   * write's version document is deleted, a writer that read the remediation before that write can still insert a
   * version document of the same number (its id is free again), and that one never applies. The remediation
   * document names the write that last moved it (`_commit`); past a version, that version's write is in the
   * history (whoever wrote the next version recorded it first: recordBefore).
   */
  wentThrough(vs: readonly VersionDoc[], read?: readonly Materialised[]): Promise<boolean[]>;
  /** Where the remediations of `vs` are: what `wentThrough` reads (given to it, read once for both). */
  materialised(vs: readonly VersionDoc[]): Promise<Materialised[]>;
}

export type Materialised = { readonly _id: string; readonly version: number; readonly _commit?: string };

export function versionSteps(models: Models, left: Leftovers): VersionSteps {
  const versions = rawCollection(models.versions);
  const history = rawCollection(models.history);
  const remediations = rawCollection(models.remediations);
  const historyId = (v: VersionDoc): string => `${v._id}#${v.write}`;

  const materialised = (vs: readonly VersionDoc[]): Promise<Materialised[]> =>
    models.remediations.find(byIds([...new Set(vs.map((v) => v.remediationId))]), { version: 1, _commit: 1 }).lean<Materialised[]>();

  async function wentThrough(vs: readonly VersionDoc[], read?: readonly Materialised[]): Promise<boolean[]> {
    if (vs.length === 0) return [];
    const at = new Map((read ?? (await materialised(vs))).map((d) => [d._id, d]));
    const past = vs.filter((v) => {
      const doc = at.get(v.remediationId);
      return doc !== undefined && doc._commit !== undefined && doc.version > v.version;
    });
    const recorded = new Set<string>();
    if (past.length > 0) {
      const found = await history.find({ _id: { $in: past.map(historyId) } }, { projection: { _id: 1 } }).toArray();
      for (const h of found) recorded.add(String(h._id));
    }
    return vs.map((v) => {
      const doc = at.get(v.remediationId);
      if (!doc || doc.version < v.version) return false;
      // Written by a release before `_commit`: its number is all there is.
      if (doc._commit === undefined) return true;
      return doc.version === v.version ? doc._commit === v.write : recorded.has(historyId(v));
    });
  }

  async function materialise(v: VersionDoc): Promise<Outcome> {
    try {
      if (v.version === 1) {
        await remediations.insertOne({ _id: v.remediationId, ...v.doc, _commit: v.write }); // `_id` first, see journal.ts
        return 'applied';
      }
      const res = await remediations.updateOne({ _id: v.remediationId, version: v.version - 1 }, { $set: { ...v.doc, _commit: v.write } });
      if (res.matchedCount === 1) return 'applied';
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      return (await appliedAlready(v)) ? 'applied' : 'duplicate';
    }
    // Matched nothing: a recovery applied it first, or the remediation is not where the writer read it.
    return (await appliedAlready(v)) ? 'applied' : 'stale';
  }

  /** Whether this write is in the remediation document already (a recovery applied it first), not another's of its number. */
  const appliedAlready = async (v: VersionDoc): Promise<boolean> => (await wentThrough([v]))[0]!;

  async function record(vs: readonly VersionDoc[]): Promise<void> {
    if (vs.length === 0) return;
    const appended = await appendEvents(models.audit, vs.flatMap((v) => v.events));
    let at = 0;
    for (const v of vs) {
      await addEffects(models, `${v._id}#${v.write}`, v.effects, appended.slice(at, at + v.events.length));
      at += v.events.length;
    }
    // The history keeps what the version document held (a repeated record finds its entries there already).
    await orderedInserts(history, vs.map((v) => ({ _id: `${v._id}#${v.write}`, remediationId: v.remediationId, version: v.version, updatedAt: v.doc.updatedAt, doc: v.doc })));
    await versions.deleteMany({ _id: { $in: vs.map((v) => v._id) } });
  }

  async function finish(v: VersionDoc): Promise<Outcome> {
    const outcome = await materialise(v);
    if (outcome === 'applied') await record([v]);
    else await versions.deleteOne({ _id: v._id });
    return outcome;
  }

  return {
    build: (r, version, events, effects) => {
      const _id = versionId(r.id, version);
      const write = randomUUID();
      return {
        _id,
        remediationId: r.id,
        version,
        write,
        at: new Date().toISOString(),
        pending: true,
        doc: toStored({ ...r, version }),
        events: eventEntries(`${_id}#${write}`, events),
        ...(effects?.length ? { effects: toStored([...effects]) } : {}),
      };
    },
    materialise,
    record,
    finish,
    wentThrough,
    materialised,
    recordBefore: async (read) => {
      const ids = read.filter((r) => r.version > 0).map((r) => versionId(r.id, r.version));
      if (ids.length === 0) return;
      const filter = ids.length === 1 ? { _id: ids[0]! } : { _id: { $in: ids } };
      const left = (await models.versions.find(filter).lean<VersionDoc[]>()).filter((v) => v.pending);
      const through = await wentThrough(left);
      await record(left.filter((_, i) => through[i]).sort((a, b) => ids.indexOf(a._id) - ids.indexOf(b._id)));
    },
    unblock: async (id, version) => {
      const holder = await models.versions.findById(versionId(id, version)).lean<VersionDoc>();
      if (holder?.pending && left.isStale(holder._id) && (await left.claim(holder._id))) await finish(holder);
    },
  };
}
