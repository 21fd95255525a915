/**
 * Runs one step of the process on a stored remediation: load, apply the pure transition, write it back only if
 * the version read is still current, with its audit event in the same write. Another writer in between (a sync
 * absorbing findings, a second replica) means load and try again; a refusal of authority is itself audited.
 */
import { actorId, type Actor } from '../../domain/roles.js';
import { err, ok, type Result } from '../../domain/result.js';
import type { Remediation } from '../../domain/remediation.js';
import type { SlaPolicy } from '../../domain/sla.js';
import type { Transition } from '../../domain/transitions.js';
import { instant } from '../../domain/time.js';
import type { AuditEventInput } from '../audit.js';
import type { AppError } from '../errors.js';
import type { Store } from '../ports.js';

export interface Step<I> {
  readonly transition: Transition<I>;
  /** Audit action, e.g. `remediation.assessed`. */
  readonly action: string;
  /** What the audit event keeps beyond the state change (defaults to the input). */
  readonly data?: (input: I, after: Remediation) => Record<string, unknown>;
}

export interface Applied {
  readonly before: Remediation;
  readonly after: Remediation;
}

export interface StepDeps {
  readonly store: Store;
  readonly sla: SlaPolicy;
  readonly now: () => Date;
}

const DENIALS = new Set(['auth.forbidden', 'approval.separation_of_duties']);
const ATTEMPTS = 5;

export type ApplyStep = <I>(id: string, step: Step<I>, input: I, actor: Actor) => Promise<Result<Applied, AppError>>;

export function createApplyStep({ store, sla, now }: StepDeps): ApplyStep {
  return async (id, step, input, actor) => {
    for (let attempt = 1; ; attempt += 1) {
      const before = await store.remediations.get(id);
      if (!before) return err({ code: 'remediation.not_found', id });
      const at = now();
      const next = step.transition(before, input, { actor, now: at, sla });
      if (!next.ok) {
        if (DENIALS.has(next.error.code)) {
          await store.audit.append([{ at: instant(at), actor: actorId(actor), action: 'access.denied', subject: id, data: { attempted: step.action, state: before.state, ...next.error } }]);
        }
        return next;
      }
      const event: AuditEventInput = {
        at: instant(at),
        actor: actorId(actor),
        action: step.action,
        subject: id,
        data: { from: before.state, to: next.value.state, ...(step.data ? step.data(input, next.value) : (input as Record<string, unknown>)) },
      };
      const saved = await store.remediations.update(next.value, before.version, [event]);
      if (saved.ok) return ok({ before, after: saved.value });
      if (saved.error.code !== 'store.conflict' || attempt === ATTEMPTS) return saved;
    }
  };
}
