import type { AuditEvent } from '../../app/audit.js';
import type { AuditLog } from '../../app/ports.js';
import { toDomain } from './documents.js';
import type { AuditDoc, Models } from './models.js';

/** Events read per query while streaming: a page at a time, so no cursor stays open between pages. */
export const STREAM_PAGE_SIZE = 5000;

/**
 * The audit log. Appends go through a journal entry (`append`), so a multi-event append is all or nothing, as in
 * SQLite; every read first records what is committed and visible but not yet in the log (`recover`, see
 * recovery.ts), so a reader never sees a state whose events are missing.
 */
export function createAuditLog(models: Models, recover: () => Promise<void>, append: AuditLog['append']): AuditLog {
  const model = models.audit;
  const from = async (fromSeq: number, limit: number): Promise<AuditEvent[]> =>
    (await model.find({ seq: { $gte: fromSeq } }).sort({ seq: 1 }).limit(limit).lean<AuditDoc[]>()).map((d) => toDomain<AuditEvent>(d));

  return {
    append,
    head: async () => {
      await recover();
      const doc = await model.findOne().sort({ seq: -1 }).lean<AuditDoc>();
      return doc ? toDomain<AuditEvent>(doc) : null;
    },
    read: async (fromSeq, limit) => {
      // SQLite's LIMIT: 0 is nothing, negative is everything (MongoDB's limit(0) is everything).
      if (limit === 0) return [];
      await recover();
      return from(fromSeq, Math.max(limit, 0));
    },
    bySubject: async (subject) => {
      await recover();
      return (await model.find({ subject }).sort({ seq: 1 }).lean<AuditDoc[]>()).map((d) => toDomain<AuditEvent>(d));
    },
    async *stream() {
      await recover();
      // From the lowest possible seq, so a forged seq 0 or below is streamed too, and caught by verify.
      for (let next = Number.MIN_SAFE_INTEGER; ; ) {
        const page = await from(next, STREAM_PAGE_SIZE);
        yield* page;
        const last = page.at(-1);
        if (page.length < STREAM_PAGE_SIZE || !last) return;
        next = last.seq + 1;
      }
    },
  };
}
