/**
 * The one version-checked write of a remediation: read it, plan the next record, its audit events and the Slack
 * effects it causes (src/app/outbox) from what is stored now, write all of them only if the version read is still
 * current, and on a concurrent writer read again and re-plan. Every writer of a remediation (a step, the sync's
 * refresh, a reminder, the message reference) goes through here, so "two clicks or two replicas cannot both apply
 * a change" holds in one place.
 */
import type { Remediation } from '../domain/remediation.js';
import { err, ok, type Result } from '../domain/result.js';
import type { AuditEventInput } from './audit.js';
import type { EffectInput } from './outbox/effects.js';
import type { RemediationRepo, StoreConflict } from './ports.js';
import { updateMany } from './sync/remediation-batches.js';

/** Times a write is re-planned over a concurrent writer's version before giving up with `store.conflict`. */
export const WRITE_ATTEMPTS = 5;

export interface VersionedChange {
  readonly next: Remediation;
  readonly events: readonly AuditEventInput[];
  /** What the change owes in Slack, recorded with it (the outbox drains them). */
  readonly effects?: readonly EffectInput[];
}

export interface Written {
  readonly before: Remediation;
  readonly after: Remediation;
}

export type NotFound = { readonly code: 'remediation.not_found'; readonly id: string };

/** What to write over `current`, or a refusal (returned as it is, nothing written). */
export type Plan<E> = (current: Remediation) => Result<VersionedChange, E> | Promise<Result<VersionedChange, E>>;

export async function writeVersioned<E>(
  remediations: Pick<RemediationRepo, 'get' | 'update'>,
  id: string,
  plan: Plan<E>,
): Promise<Result<Written, E | StoreConflict | NotFound>> {
  for (let attempt = 1; ; attempt += 1) {
    const before = await remediations.get(id);
    if (!before) return err({ code: 'remediation.not_found', id });
    const planned = await plan(before);
    if (!planned.ok) return planned;
    const saved = await remediations.update(planned.value.next, before.version, planned.value.events, planned.value.effects);
    if (saved.ok) return ok({ before, after: saved.value });
    if (saved.error.code !== 'store.conflict' || attempt >= WRITE_ATTEMPTS) return saved;
  }
}

/**
 * `writeVersioned` for many remediations at once (the sync's refresh): one batch write per round where the adapter
 * has one, and only those that met a concurrent writer planned again. `null` from the plan: nothing to write.
 * Each batch is read and planned while the one before it is written (their ids differ); the writes themselves go
 * one after the other, in order. Returns, per id, what was written or why not.
 */
export async function writeVersionedMany(
  remediations: Pick<RemediationRepo, 'get' | 'update' | 'updateMany'>,
  ids: readonly string[],
  plan: (current: Remediation) => Promise<VersionedChange | null>,
  batch = 200,
): Promise<Map<string, Result<Written, StoreConflict>>> {
  const out = new Map<string, Result<Written, StoreConflict>>();
  let todo = [...ids];
  for (let attempt = 1; todo.length > 0; attempt += 1) {
    const retry: string[] = [];
    let writing: Promise<void> = Promise.resolve();
    for (let i = 0; i < todo.length; i += batch) {
      const planned = await Promise.all(
        todo.slice(i, i + batch).map(async (id) => {
          const before = await remediations.get(id);
          const change = before && (await plan(before));
          return before && change ? { before, change } : null;
        }),
      );
      const writes = planned.filter((w) => w !== null);
      await writing;
      writing = updateMany(
        remediations,
        writes.map(({ before, change }) => ({ next: change.next, expectedVersion: before.version, events: change.events, effects: change.effects })),
      ).then((results) =>
        results.forEach((result, k) => {
          const { before } = writes[k]!;
          if (result.ok) out.set(before.id, ok({ before, after: result.value }));
          else if (result.error.code === 'store.conflict' && attempt < WRITE_ATTEMPTS) retry.push(before.id);
          else out.set(before.id, result);
        }),
      );
      // Awaited before the next write or below; this only keeps a failure from going unhandled while the next batch
      // is planned (a plan that throws then is what the caller gets).
      writing.catch(() => undefined);
    }
    await writing;
    todo = retry;
  }
  return out;
}
