/**
 * The daily reminder for advisory reviews: advisories unreviewed past the policy's `advisories.reviewWithinDays` are
 * named to the leads once each. Never twice, never lost: each advisory is claimed (an idempotency key, decided by a
 * unique insert, held for a while so a run that dies before recording lets the next one have it), then ONE commit
 * records the `reminder.sent` event, the Slack effects that deliver it, and a key-value mark per advisory named (a
 * restart, a second replica or the next day's run sees the mark and skips it). The outbox delivers it.
 */
import type { Advisory } from '../../domain/advisory.js';
import { SYSTEM_ID } from '../../domain/roles.js';
import { instant } from '../../domain/time.js';
import type { EffectInput } from '../outbox/effects.js';
import type { Store } from '../ports.js';

/** kv namespace: advisory id -> when a reminder named it. */
export const REVIEW_REMINDERS = 'advisory-review-reminders';
/** How long a claim holds while the reminder is recorded. */
export const REMINDER_CLAIM_HOLD_MS = 5 * 60_000;

export interface ReviewReminderPlan {
  /** Who it goes to (for the audit event). */
  readonly to: readonly string[];
  readonly effects: readonly EffectInput[];
}

export interface ReviewReminderDeps {
  readonly store: Pick<Store, 'kv' | 'idempotency' | 'commit'>;
  readonly now: () => Date;
}

const claimKey = (id: string): string => `advisory-review-reminder:${id}`;

/**
 * Records one reminder naming those of `overdue` not named before (`deliver` plans its delivery, given them);
 * returns them (none: nothing recorded). `overdue` counts every advisory past the deadline, for the event.
 */
export function createReviewReminderLog({ store, now }: ReviewReminderDeps) {
  return async (due: readonly Advisory[], overdue: number, deliver: (fresh: readonly Advisory[]) => ReviewReminderPlan): Promise<Advisory[]> => {
    const at = now();
    const named = await store.kv.getMany(REVIEW_REMINDERS, due.map((a) => a.id));
    const fresh: Advisory[] = [];
    for (const a of due) if (!named.has(a.id) && (await store.idempotency.claim(claimKey(a.id), at, REMINDER_CLAIM_HOLD_MS))) fresh.push(a);
    if (fresh.length === 0) return [];
    try {
      const plan = deliver(fresh);
      const data = { kind: 'advisory_review', advisoryIds: fresh.map((a) => a.id), overdue, to: [...plan.to] };
      await store.commit({
        events: [{ at: instant(at), actor: SYSTEM_ID.reminders, action: 'reminder.sent', subject: 'advisories', data }],
        effects: plan.effects,
        kv: fresh.map((a) => ({ ns: REVIEW_REMINDERS, key: a.id, value: instant(at) })),
      });
    } catch (e) {
      for (const a of fresh) await store.idempotency.release(claimKey(a.id));
      throw e;
    }
    for (const a of fresh) await store.idempotency.complete(claimKey(a.id));
    return fresh;
  };
}
