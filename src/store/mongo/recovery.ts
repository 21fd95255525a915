import { applyJournal, writesRecords } from './journal.js';
import type { Leftovers } from './leftovers.js';
import type { AdvisoryReviewDoc, JournalDoc, Models, VersionDoc } from './models.js';
import type { VersionSteps } from './version-docs.js';

/**
 * Finishing what writers left half done (a crash, or a write still on its way). Three depths:
 * - `visible`: what a reader could already see without its events: remediation versions that are materialised
 *   but not recorded, advisory reviews whose link and events are not written yet, and journal entries of events
 *   only. Safe at any time (each step is idempotent and writes
 *   nothing another writer could have moved on from), so every reader of the audit log and the outbox calls it
 *   first: a state and the events that record it become visible together.
 * - `stale`: besides, leftovers this process has seen for the stale period (leftovers.ts), one replica each.
 * - `all`: besides, every journal entry whatever its age: for a writer that no other can be racing (the sync,
 *   under its lease, before it reads what an interrupted run wrote).
 */
export interface Recovery {
  visible(): Promise<void>;
  stale(): Promise<void>;
  all(): Promise<void>;
}

export function createRecovery(models: Models, steps: VersionSteps, left: Leftovers, finishReview: (doc: AdvisoryReviewDoc) => Promise<void>): Recovery {
  const journal = () => models.journal.find().sort({ _id: 1 }).lean<JournalDoc[]>();
  const pendingVersions = () => models.versions.find({ pending: true }).sort({ remediationId: 1, version: 1 }).lean<VersionDoc[]>();

  /** Pending versions split by whether the remediation document is at them already. */
  async function versionsByState(): Promise<{ materialised: VersionDoc[]; waiting: VersionDoc[] }> {
    const pending = await pendingVersions();
    if (pending.length === 0) return { materialised: [], waiting: [] };
    // Not by number alone: a version document inserted by a writer that lost to a finished write is never materialised.
    const through = await steps.wentThrough(pending);
    return { materialised: pending.filter((_, i) => through[i]), waiting: pending.filter((_, i) => !through[i]) };
  }

  async function visible(): Promise<VersionDoc[]> {
    const { materialised, waiting } = await versionsByState();
    await steps.record(materialised);
    // A review's document is the review as readers see it: its link and events follow it at once.
    for (const review of await models.advisoryReviews.find({ pending: true }).sort({ _id: 1 }).lean<AdvisoryReviewDoc[]>()) await finishReview(review);
    for (const entry of await journal()) if (!writesRecords(entry)) await applyJournal(models, entry);
    return waiting;
  }

  async function finishStale(waiting: readonly VersionDoc[], entries: readonly JournalDoc[]): Promise<void> {
    for (const entry of entries) if (left.isStale(entry._id) && (await left.claim(entry._id))) await applyJournal(models, entry);
    for (const v of waiting) if (left.isStale(v._id) && (await left.claim(v._id))) await steps.finish(v);
    left.keepOnly([...entries.map((e) => e._id), ...waiting.map((v) => v._id)]);
  }

  return {
    visible: async () => void (await visible()),
    stale: async () => finishStale(await visible(), await journal()),
    all: async () => {
      const waiting = await visible();
      for (const entry of await journal()) await applyJournal(models, entry);
      await finishStale(waiting, []);
    },
  };
}
