/**
 * Runs one step of the process on a stored remediation: the pure transition applied to what is stored now and
 * written with its audit event through `writeVersioned` (another writer in between: read and apply again). A
 * refusal of authority is itself audited.
 */
import { actorId, type Actor } from '../../domain/roles.js';
import { err, ok, type Result } from '../../domain/result.js';
import type { Remediation } from '../../domain/remediation.js';
import type { SlaPolicy } from '../../domain/sla.js';
import type { Transition } from '../../domain/transitions.js';
import { instant } from '../../domain/time.js';
import type { AuditAction } from '../audit-actions.js';
import { transitionEvent, type AuditEventInput } from '../audit.js';
import type { AppError } from '../errors.js';
import type { Store } from '../ports.js';
import { writeVersioned, type Written } from '../write-versioned.js';

export interface Step<I> {
  readonly transition: Transition<I>;
  /** Audit action, e.g. `remediation.assessed`; null for bookkeeping that records no step (a run's progress). */
  readonly action: AuditAction | null;
  /** What the audit event keeps beyond the state change (defaults to the input). */
  readonly data?: (input: I, after: Remediation) => Record<string, unknown>;
  /** Further events written with the step: the outside actions it records (a command sent). */
  readonly also?: (input: I, before: Remediation, after: Remediation, at: Date, actor: string) => AuditEventInput[];
}

export type Applied = Written;

export interface StepDeps {
  readonly store: Store;
  readonly sla: SlaPolicy;
  readonly now: () => Date;
}

/** Refusals that are about who acted: each is recorded as `access.denied`. */
const DENIALS: ReadonlySet<AppError['code']> = new Set(['auth.forbidden', 'approval.separation_of_duties']);

export type ApplyStep = <I>(id: string, step: Step<I>, input: I, actor: Actor) => Promise<Result<Applied, AppError>>;

export function createApplyStep({ store, sla, now }: StepDeps): ApplyStep {
  return async (id, step, input, actor) => {
    /** The record a refusal was decided on, for its `access.denied` event. */
    const refused: { before?: Remediation; at?: Date } = {};
    const written = await writeVersioned(store.remediations, id, (before) => {
      const at = now();
      const next = step.transition(before, input, { actor, now: at, sla });
      if (!next.ok) {
        Object.assign(refused, { before, at });
        return next;
      }
      const data = step.data ? step.data(input, next.value) : (input as Record<string, unknown>);
      const own = step.action ? [transitionEvent(step.action, at, actorId(actor), before, next.value, data)] : [];
      return ok({ next: next.value, events: [...own, ...(step.also?.(input, before, next.value, at, actorId(actor)) ?? [])] });
    });
    if (!written.ok && DENIALS.has(written.error.code) && refused.before && refused.at) {
      const data = { attempted: step.action ?? 'record', state: refused.before.state, ...written.error };
      await store.audit.append([{ at: instant(refused.at), actor: actorId(actor), action: 'access.denied', subject: id, data }]);
    }
    return written.ok ? ok(written.value) : err(written.error);
  };
}
