import type { AdvisoryQuery, AdvisoryRepo } from '../../app/ports.js';
import type { Advisory, AdvisoryLink, AdvisoryReview } from '../../domain/advisory.js';
import { err, ok } from '../../domain/result.js';
import { appendEvents } from './audit-append.js';
import { orderedInserts } from './bulk.js';
import { addEffects } from './outbox.js';
import { isDuplicateKey, toDomain, toStored } from './documents.js';
import { eventEntries } from './event-entries.js';
import { rawCollection, type AdvisoryDoc, type AdvisoryLinkDoc, type AdvisoryReviewDoc, type Models } from './models.js';

/** What a review document carries beyond the review itself. */
const REVIEW_BOOKKEEPING = { pending: 0, writtenAt: 0, events: 0, effects: 0 } as const;

export interface MongoAdvisories {
  readonly repo: AdvisoryRepo;
  /** Finishes a review whose commit point was written (its link, its events, done): after a crash, again. */
  finishReview(doc: AdvisoryReviewDoc): Promise<void>;
}

/**
 * Advisories (written by `commit`, journal.ts) and their links are read here; a review is written here: the insert
 * of its document (`_id` = the advisory id) decides which lead's review stands, then its link and events follow.
 */
export function createAdvisoryRepo(models: Models): MongoAdvisories {
  const reviews = rawCollection(models.advisoryReviews);

  async function filterOf(q: AdvisoryQuery): Promise<Record<string, unknown>> {
    const seen = { ...(q.seenBefore !== undefined && { $lt: q.seenBefore }), ...(q.seenSince !== undefined && { $gte: q.seenSince }) };
    const reviewed = q.reviewed === undefined ? null : (await models.advisoryReviews.find({}, { _id: 1 }).lean<{ _id: string }[]>()).map((r) => r._id);
    return {
      ...(q.feed !== undefined && { feed: q.feed }),
      ...(q.cves !== undefined && { cves: { $in: [...q.cves] } }),
      ...(Object.keys(seen).length > 0 && { firstSeenAt: seen }),
      ...(reviewed !== null && { _id: q.reviewed ? { $in: reviewed } : { $nin: reviewed } }),
      // Absent unless true.
      ...(q.baseline !== undefined && { baseline: q.baseline ? true : { $ne: true } }),
    };
  }

  async function finishReview(doc: AdvisoryReviewDoc): Promise<void> {
    if (doc.remediationId) {
      const link: AdvisoryLinkDoc = { _id: `${doc.advisoryId}|${doc.remediationId}`, advisoryId: doc.advisoryId, remediationId: doc.remediationId, via: 'review', cves: [], at: doc.at };
      await orderedInserts(rawCollection(models.advisoryLinks), [link]);
    }
    const appended = await appendEvents(models.audit, doc.events);
    await addEffects(models, `review:${doc._id}`, doc.effects, appended);
    await reviews.updateOne({ _id: doc._id }, { $set: { pending: false } });
  }

  const byNewest = { firstSeenAt: -1, _id: 1 } as const;
  const repo: AdvisoryRepo = {
    get: async (id) => {
      const doc = await models.advisories.findById(id).lean<AdvisoryDoc>();
      return doc ? toDomain<Advisory>(doc) : null;
    },
    getMany: async (ids) => (await models.advisories.find({ _id: { $in: [...ids] } }).sort(byNewest).lean<AdvisoryDoc[]>()).map((d) => toDomain<Advisory>(d)),
    list: async (query = {}) => {
      const found = models.advisories.find(await filterOf(query)).sort(byNewest);
      if (query.limit !== undefined) found.limit(Math.max(0, Math.floor(query.limit)));
      return (await found.lean<AdvisoryDoc[]>()).map((d) => toDomain<Advisory>(d));
    },
    count: async (query = {}) => models.advisories.countDocuments(await filterOf(query)),
    links: async ({ advisoryIds, remediationId }) => {
      const filter = { ...(advisoryIds !== undefined && { advisoryId: { $in: [...advisoryIds] } }), ...(remediationId !== undefined && { remediationId }) };
      const docs = await models.advisoryLinks.find(filter).lean<AdvisoryLinkDoc[]>();
      const key = (l: AdvisoryLink): string => `${l.at}|${l.advisoryId}|${l.remediationId}`;
      return docs.map((d) => toDomain<AdvisoryLink>(d)).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    },
    review: async (review, events, effects) => {
      const doc: AdvisoryReviewDoc = {
        _id: review.advisoryId,
        ...toStored(review),
        pending: true,
        writtenAt: new Date().toISOString(),
        events: eventEntries(`review:${review.advisoryId}`, events),
        ...(effects?.length ? { effects: toStored([...effects]) } : {}),
      };
      try {
        await reviews.insertOne(doc);
      } catch (e) {
        if (isDuplicateKey(e)) return err({ code: 'store.duplicate', id: review.advisoryId });
        throw e;
      }
      await finishReview(doc);
      return ok(review);
    },
    reviews: async (ids) =>
      (await models.advisoryReviews.find({ _id: { $in: [...ids] } }, REVIEW_BOOKKEEPING).sort({ _id: 1 }).lean<AdvisoryReviewDoc[]>()).map((d) => toDomain<AdvisoryReview>(d)),
  };
  return { repo, finishReview };
}
