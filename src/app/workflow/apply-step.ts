/**
 * Runs one step of the process on a stored remediation: the pure transition applied to what is stored now and
 * written with its audit events and the Slack effects it causes (`followUp`) through `writeVersioned` (another
 * writer in between: read and apply again). All of it lands in one atomic unit, or none of it. A refusal of
 * authority is itself audited (record-denial.ts).
 */
import { actorId, type Actor } from '../../domain/roles.js';
import { err, ok, type Result } from '../../domain/result.js';
import type { Remediation } from '../../domain/remediation.js';
import type { SlaPolicy } from '../../domain/sla.js';
import type { Transition } from '../../domain/transitions.js';
import type { AuditAction } from '../audit-actions.js';
import { transitionEvent, type AuditEventInput } from '../audit.js';
import type { AppError } from '../errors.js';
import type { EffectInput } from '../outbox/effects.js';
import type { Store } from '../ports.js';
import { writeVersioned, type Written } from '../write-versioned.js';
import { createRecordDenial, type RecordDenial } from './record-denial.js';

export interface Step<I> {
  readonly transition: Transition<I>;
  /** Audit action, e.g. `remediation.assessed`. */
  readonly action: AuditAction;
  /** What the audit event keeps beyond the state change (defaults to the input). */
  readonly data?: (input: I, after: Remediation) => Record<string, unknown>;
  /** Further events the same write records (after the step's own): files kept with a test, say. */
  readonly alsoRecords?: (input: I, written: Written, at: Date, actor: string) => readonly AuditEventInput[];
  /** The step's events when one event does not say it (two steps in one write); replaces the default one. */
  readonly events?: (input: I, written: Written, at: Date, actor: string) => readonly AuditEventInput[];
}

export type Applied = Written;

/** The Slack effects a step owes, given the step as it is about to be written (`after` at its new version). */
export type FollowUp = (written: Written) => readonly EffectInput[];

export interface StepDeps {
  readonly store: Store;
  readonly sla: SlaPolicy;
  readonly now: () => Date;
  /** How a refusal of authority is audited (one event per person, subject and hour: record-denial.ts). */
  readonly recordDenial?: RecordDenial;
}

/** Refusals that are about who acted: each is recorded as `access.denied`. */
const DENIALS: ReadonlySet<AppError['code']> = new Set(['auth.forbidden', 'approval.separation_of_duties', 'emergency.self_approval']);

export type ApplyStep = <I>(id: string, step: Step<I>, input: I, actor: Actor, followUp?: FollowUp) => Promise<Result<Applied, AppError>>;

export function createApplyStep({ store, sla, now, recordDenial = createRecordDenial({ store }) }: StepDeps): ApplyStep {
  return async (id, step, input, actor, followUp) => {
    /** The record a refusal was decided on, for its `access.denied` event. */
    const refused: { before?: Remediation; at?: Date } = {};
    const written = await writeVersioned(store.remediations, id, (before) => {
      const at = now();
      const next = step.transition(before, input, { actor, now: at, sla });
      if (!next.ok) {
        Object.assign(refused, { before, at });
        return next;
      }
      const planned = { before, after: { ...next.value, version: before.version + 1 } };
      const data = step.data ? step.data(input, next.value) : (input as Record<string, unknown>);
      const own = step.events?.(input, planned, at, actorId(actor)) ?? [transitionEvent(step.action, at, actorId(actor), before, next.value, data)];
      const events = [...own, ...(step.alsoRecords?.(input, planned, at, actorId(actor)) ?? [])];
      return ok({ next: next.value, events, effects: followUp?.(planned) ?? [] });
    });
    if (!written.ok && DENIALS.has(written.error.code) && refused.before && refused.at) {
      await recordDenial({ actor: actorId(actor), subject: id, at: refused.at, data: { attempted: step.action, state: refused.before.state, ...written.error } });
    }
    return written.ok ? ok(written.value) : err(written.error);
  };
}
