import type { AuditEvent } from '../../app/audit.js';
import { newEffects, type Effect, type EffectInput } from '../../app/outbox/effects.js';
import type { Outbox } from '../../app/ports.js';
import { orderedInserts } from './bulk.js';
import { fromStored, toDomain, toStored } from './documents.js';
import { rawCollection, type Models, type OutboxDoc } from './models.js';

/**
 * Adds the effects a committed write carries (its version or journal document), ordered after the events it
 * appended. Idempotent: the ids derive from the committing document, so finishing a write twice (its writer and a
 * recovery) adds each effect once.
 */
export async function addEffects(models: Models, docId: string, effects: readonly EffectInput[] | undefined, appended: readonly AuditEvent[]): Promise<void> {
  if (!effects?.length) return;
  const seq = appended.at(-1)?.seq ?? (await models.audit.findOne({}, { seq: 1 }).sort({ seq: -1 }).lean<{ seq: number }>())?.seq ?? 0;
  const at = appended[0]?.at ?? new Date().toISOString();
  const docs = newEffects(effects.map((e) => fromStored<EffectInput>(e)), (n) => `${docId}:fx${n}`, seq, at);
  await orderedInserts(rawCollection(models.outbox), docs.map((e) => toStored({ _id: e.id, ...e }) as OutboxDoc));
}

/** The outbox's reads and settlements; `visible` first finishes what is committed but not yet recorded. */
export function createOutbox(models: Models, visible: () => Promise<void>): Outbox {
  const model = models.outbox;
  return {
    list: async ({ subject, states = ['pending'], limit = -1 } = {}) => {
      if (limit === 0) return [];
      await visible();
      const filter: Record<string, unknown> = { state: { $in: [...states] }, ...(subject === undefined ? {} : { subject }) };
      const docs = await model.find(filter).sort({ seq: 1, n: 1, _id: 1 }).limit(Math.max(limit, 0)).lean<OutboxDoc[]>();
      return docs.map((d) => toDomain<Effect>(d));
    },
    get: async (id) => {
      await visible();
      const doc = await model.findById(id).lean<OutboxDoc>();
      return doc ? toDomain<Effect>(doc) : null;
    },
    settle: async (id, update) => {
      await rawCollection(model).updateOne({ _id: id }, { $set: toStored(update) });
    },
  };
}
