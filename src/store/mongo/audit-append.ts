import type { Model } from 'mongoose';
import { chain, type AuditEvent } from '../../app/audit.js';
import { failedIndex, fromStored, isDuplicateKey, toDomain, toStored } from './documents.js';
import { rawCollection, type AuditDoc, type EventEntry } from './models.js';

/** Losing this many races in a row (none of the batch appended) means something is wrong, not busy. */
const MAX_RACES = 1000;

/** The append under way in this process for each audit collection (its model), which the next one waits for. */
const inProcess = new WeakMap<object, Promise<unknown>>();

/**
 * Chains events (as stored in the document that committed them) after the current head and inserts them, in
 * order, in one ordered insert. Without a transaction, the unique index on `seq` is what keeps the chain single:
 * of two appenders that read the same head, one insert wins and the other re-reads the head and chains after it.
 * The unique `_id` (the event id) makes it idempotent: an event already in the log (a flush repeated after a
 * crash, or done meanwhile by another replica) is returned as stored, never appended twice.
 */
export function appendEvents(audit: Model<AuditDoc>, stored: readonly EventEntry[]): Promise<AuditEvent[]> {
  // One at a time within a process: the sync's sources commit side by side, and appenders racing for the same seqs
  // only waste inserts (on FerretDB, whose inserts of a batch interleave, a sync's three sources lost 1,000 races).
  // Replicas still race each other, and the unique index decides.
  const before = inProcess.get(audit) ?? Promise.resolve();
  const mine = before.then(() => append(audit, stored));
  inProcess.set(audit, mine.catch(() => undefined));
  return mine;
}

async function append(audit: Model<AuditDoc>, stored: readonly EventEntry[]): Promise<AuditEvent[]> {
  const entries = stored.map((e) => fromStored<EventEntry>(e));
  const appended: AuditEvent[] = [];
  for (let lost = 0; appended.length < entries.length; ) {
    if (lost > MAX_RACES) throw new Error(`audit append lost ${MAX_RACES} races in a row for the next seq`);
    let head = await audit.findOne({}, { seq: 1, hash: 1 }).sort({ seq: -1 }).lean<Pick<AuditEvent, 'seq' | 'hash'>>();
    const batch = entries.slice(appended.length).map(({ id, at, actor, action, subject, data }) => {
      const event = chain({ at, actor, action, subject, data }, head);
      head = event;
      return { id, event };
    });
    try {
      await rawCollection(audit).insertMany(batch.map(({ id, event }) => toStored({ _id: id, ...event })), { ordered: true });
      appended.push(...batch.map((b) => b.event));
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      const failed = failedIndex(e);
      const had = appended.length;
      appended.push(...batch.slice(0, failed).map((b) => b.event));
      // The one that failed: either already in the log (keep it as stored), or its seq was taken (chain again).
      const already = await audit.findById(batch[failed]?.id).lean<AuditDoc>();
      if (already) appended.push(toDomain<AuditEvent>(already));
      // A batch cut short by another appender, but partly in, is progress: only a round with nothing in counts.
      lost = appended.length > had ? 0 : lost + 1;
    }
  }
  return appended;
}
