import { applyJournal } from './journal.js';
import type { Leftovers } from './leftovers.js';
import type { AdvisoryReviewDoc, JournalDoc, Models, VersionDoc } from './models.js';
import type { RemediationWrites } from './remediation-writes.js';

/**
 * Finishes what crashed writers left half done (see leftovers.ts for which and by whom): journal entries not yet
 * applied, remediation versions not yet materialised or not yet in the audit log, advisory reviews whose link and
 * events were not written yet. Oldest first.
 */
export function createRecovery(
  models: Models,
  writes: RemediationWrites,
  left: Leftovers,
  finishReview: (doc: AdvisoryReviewDoc) => Promise<void>,
): () => Promise<void> {
  return async () => {
    const before = left.staleBefore();
    const journal = await models.journal.find({ at: { $lte: before } }).sort({ _id: 1 }).lean<JournalDoc[]>();
    for (const entry of journal) if (await left.claim(entry._id)) await applyJournal(models, entry);
    const pending = await models.versions
      .find({ pending: true, at: { $lte: before } })
      .sort({ remediationId: 1, version: 1 })
      .lean<VersionDoc[]>();
    for (const version of pending) if (await left.claim(version._id)) await writes.finish(version);
    const reviews = await models.advisoryReviews.find({ pending: true, writtenAt: { $lte: before } }).sort({ _id: 1 }).lean<AdvisoryReviewDoc[]>();
    for (const review of reviews) if (await left.claim(`review:${review._id}`)) await finishReview(review);
  };
}
