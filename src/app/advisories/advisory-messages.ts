/**
 * What advisories owe in Slack, as outbox effects (src/app/outbox): each advisory's one message (`advisory.message`,
 * subject `advisory:<id>`) and lines in its thread (`advisory.note`).
 *
 * The messages of new advisories are owed once each: an advisory that awaits review (not the baseline, linked to
 * nothing) and has never been given its message effect gets one, recorded in ONE commit with the key-value mark
 * that says so (`advisory-posts`), so a restart, a second replica or the digest after the sync never records it
 * again (and if two did, the handler posts one message and updates it). At most `limit` per call, newest first:
 * the rest wait for the next sync or digest, and are listed in the digest meanwhile.
 */
import { instant } from '../../domain/time.js';
import type { EffectInput } from '../outbox/effects.js';
import type { KeyValueEntry, Store } from '../ports.js';

/** The outbox subject of an advisory's effects: its message and its thread, drained in order under one lease. */
export const advisorySubject = (id: string): string => `advisory:${id}`;
/** The advisory an effect's subject names, if it names one. */
export const advisoryOfSubject = (subject: string): string | null => (subject.startsWith('advisory:') ? subject.slice('advisory:'.length) : null);

/** What a review owes: the advisory's message shown as it is stored now, and `note` in its thread. */
export const advisoryEffects = (id: string, note?: string): EffectInput[] => [
  { kind: 'advisory.message', subject: advisorySubject(id) },
  ...(note ? [{ kind: 'advisory.note' as const, subject: advisorySubject(id), data: { text: note } }] : []),
];

/** kv namespace: advisory id -> when its message was recorded as owed. */
export const ADVISORY_POSTS = 'advisory-posts';
/** New advisories given their message per sync or digest at most. */
export const MAX_ADVISORY_MESSAGES = 20;

export interface OwedMessages {
  /** The advisories given their message now (newest first). */
  readonly ids: readonly string[];
  /** Owed a message still, for a later sync or digest. */
  readonly waiting: number;
  /** To write in the same commit: the effects and the marks that they are recorded. */
  readonly effects: readonly EffectInput[];
  readonly kv: readonly KeyValueEntry[];
}

/** The messages owed now: awaiting review, not the baseline, linked to nothing, never recorded before. */
export async function owedAdvisoryMessages(store: Pick<Store, 'advisories' | 'kv'>, at: Date, limit = MAX_ADVISORY_MESSAGES): Promise<OwedMessages> {
  const waiting = await store.advisories.list({ reviewed: false, baseline: false });
  const ids = waiting.map((a) => a.id);
  const [linked, recorded] = await Promise.all([store.advisories.links({ advisoryIds: ids }), store.kv.getMany(ADVISORY_POSTS, ids)]);
  const skip = new Set([...linked.map((l) => l.advisoryId), ...recorded.keys()]);
  const owed = ids.filter((id) => !skip.has(id));
  const now = owed.slice(0, Math.max(0, limit));
  return {
    ids: now,
    waiting: owed.length - now.length,
    effects: now.map((id) => ({ kind: 'advisory.message', subject: advisorySubject(id) })),
    kv: now.map((id) => ({ ns: ADVISORY_POSTS, key: id, value: instant(at) })),
  };
}

/** Records the messages owed now in one commit; the subjects to drain, and how many wait. */
export async function recordAdvisoryMessages(store: Pick<Store, 'advisories' | 'kv' | 'commit'>, at: Date, limit = MAX_ADVISORY_MESSAGES): Promise<{ subjects: string[]; waiting: number }> {
  const owed = await owedAdvisoryMessages(store, at, limit);
  if (owed.ids.length > 0) await store.commit({ events: [], effects: owed.effects, kv: owed.kv });
  return { subjects: owed.ids.map(advisorySubject), waiting: owed.waiting };
}
