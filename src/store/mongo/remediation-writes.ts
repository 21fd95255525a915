import type { AuditEventInput } from '../../app/audit.js';
import type { StoreConflict } from '../../app/ports.js';
import type { Remediation } from '../../domain/remediation.js';
import { err, ok, type Result } from '../../domain/result.js';
import { appendEvents } from './audit-append.js';
import { isDuplicateKey, toDomain, toStored } from './documents.js';
import { eventEntries } from './event-entries.js';
import type { Leftovers } from './leftovers.js';
import { rawCollection, type Models, type VersionDoc } from './models.js';

/**
 * How a remediation is written without a multi-document transaction, identically on MongoDB and FerretDB v1
 * (whose updates are read-modify-write, so a version condition in an update filter is NOT atomic there):
 *
 * 1. commit: insert the version document `<id>@<version>` carrying the new state and its audit events. The
 *    unique `_id` is the arbiter: of two writers from the same version exactly one insert succeeds; the other
 *    gets `store.conflict` (or `store.duplicate` for a second create of the same id).
 * 2. materialise: only the holder of version v+1 writes the remediation document from v to v+1 (an insert for
 *    a create), so no two writers ever update it at once. The unique `key` index may refuse it (a key another
 *    remediation holds): the version document is then deleted and nothing happened.
 * 3. append its events to the audit log (idempotent by event id) and mark the version document done.
 *
 * A crash after 1 leaves a pending version document, which `recover` finishes (steps 2-3) once it is older than
 * the stale limit, so a change that was committed is never lost and never half-recorded. Until then it holds its
 * version: the next writer refused by it finishes it (if stale) before answering `store.conflict`, so a retry
 * after re-reading goes through.
 */
export interface RemediationWrites {
  create(r: Remediation, events: readonly AuditEventInput[]): Promise<Result<Remediation, StoreConflict>>;
  update(next: Remediation, expectedVersion: number, events: readonly AuditEventInput[]): Promise<Result<Remediation, StoreConflict>>;
  /** Finishes a pending version document (after a crash); anything but `applied` means it was dropped. */
  finish(version: VersionDoc): Promise<'applied' | 'duplicate' | 'stale'>;
}

const versionId = (id: string, version: number): string => `${id}@${version}`;

export function createRemediationWrites(models: Models, left: Leftovers): RemediationWrites {
  const versions = rawCollection(models.versions);
  const remediations = rawCollection(models.remediations);

  /** Step 1: the version document, if this write now owns `version`; null if another write does. */
  async function commit(r: Remediation, version: number, events: readonly AuditEventInput[]): Promise<VersionDoc | null> {
    const _id = versionId(r.id, version);
    const doc: VersionDoc = {
      _id,
      remediationId: r.id,
      version,
      at: new Date().toISOString(),
      pending: true,
      doc: toStored({ ...r, version }),
      events: eventEntries(_id, events),
    };
    try {
      await versions.insertOne(doc);
      return doc;
    } catch (e) {
      if (isDuplicateKey(e)) return null;
      throw e;
    }
  }

  /** Step 2. `duplicate`: a unique index refused it (the key is taken); `stale`: the document is not at v-1. */
  async function materialise(v: VersionDoc): Promise<'applied' | 'duplicate' | 'stale'> {
    try {
      if (v.version === 1) {
        await remediations.insertOne({ _id: v.remediationId, ...v.doc }); // `_id` first, see journal.ts
        return 'applied';
      }
      const res = await remediations.updateOne({ _id: v.remediationId, version: v.version - 1 }, { $set: v.doc });
      if (res.matchedCount === 1) return 'applied';
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      return (await storedVersion(v.remediationId)) >= v.version ? 'applied' : 'duplicate';
    }
    // Matched nothing: a recovery applied it first, or the remediation is not where the writer read it.
    return (await storedVersion(v.remediationId)) >= v.version ? 'applied' : 'stale';
  }

  const storedVersion = async (id: string): Promise<number> =>
    (await models.remediations.findById(id, { version: 1 }).lean<{ version: number }>())?.version ?? 0;

  /** Steps 2 and 3; a version that cannot be applied is deleted, as if it had never been written. */
  async function finish(v: VersionDoc): Promise<'applied' | 'duplicate' | 'stale'> {
    const outcome = await materialise(v);
    if (outcome !== 'applied') {
      await versions.deleteOne({ _id: v._id });
      return outcome;
    }
    await appendEvents(models.audit, v.events);
    await versions.updateOne({ _id: v._id }, { $set: { pending: false } });
    return outcome;
  }

  /** After losing version `version` of `id`: if a crashed writer holds it, finish its write. */
  async function unblock(id: string, version: number): Promise<void> {
    const holder = await models.versions.findById(versionId(id, version)).lean<VersionDoc>();
    if (holder?.pending && left.isStale(holder.at) && (await left.claim(holder._id))) await finish(holder);
  }

  return {
    create: async (r, events) => {
      const v = await commit(r, 1, events);
      if (!v) await unblock(r.id, 1);
      // Version 1 taken: the same id; refused when materialised: the same key.
      if (!v || (await finish(v)) !== 'applied') return err({ code: 'store.duplicate', id: r.id });
      return ok(toDomain<Remediation>(v.doc));
    },
    update: async (next, expectedVersion, events) => {
      const conflict = err({ code: 'store.conflict' as const, id: next.id, expectedVersion });
      // A cheap early refusal; the version document's unique id is what decides.
      const current = await models.remediations.findById(next.id, { version: 1 }).lean<{ version: number }>();
      if (current?.version !== expectedVersion) return conflict;
      const v = await commit(next, expectedVersion + 1, events);
      if (!v) {
        await unblock(next.id, expectedVersion + 1);
        return conflict;
      }
      const outcome = await finish(v);
      if (outcome === 'duplicate') return err({ code: 'store.duplicate', id: next.id }); // the new key is taken
      if (outcome === 'stale') return conflict;
      return ok(toDomain<Remediation>(v.doc));
    },
    finish,
  };
}
