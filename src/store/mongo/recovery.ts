import { applyJournal } from './journal.js';
import { rawCollection, type JournalDoc, type Models, type VersionDoc } from './models.js';
import { isDuplicateKey } from './documents.js';
import type { RemediationWrites } from './remediation-writes.js';

/**
 * Finishes what a crashed writer left half done: journal entries not yet applied, remediation versions not yet
 * materialised or not yet in the audit log. Only leftovers older than `staleAfterMs` are touched, so a write in
 * flight is left to its writer; and of several replicas recovering at once, one per leftover (and per stale
 * period, in case that one crashes too) does the work: on FerretDB two writers of one document must not overlap.
 */
export function createRecovery(models: Models, writes: RemediationWrites, staleAfterMs: number): () => Promise<void> {
  const claim = async (what: string): Promise<boolean> => {
    const period = Math.floor(Date.now() / Math.max(staleAfterMs, 1));
    try {
      await rawCollection(models.idempotency).insertOne({ _id: `recover:${what}:${period}`, claimedAt: new Date().toISOString() });
      return true;
    } catch (e) {
      if (isDuplicateKey(e)) return false;
      throw e;
    }
  };

  return async () => {
    const before = new Date(Date.now() - staleAfterMs).toISOString();
    const journal = await models.journal.find({ at: { $lte: before } }).sort({ _id: 1 }).lean<JournalDoc[]>();
    for (const entry of journal) if (await claim(entry._id)) await applyJournal(models, entry);
    const pending = await models.versions
      .find({ pending: true, at: { $lte: before } })
      .sort({ remediationId: 1, version: 1 })
      .lean<VersionDoc[]>();
    for (const version of pending) if (await claim(version._id)) await writes.finish(version);
  };
}
