/**
 * Runs a step's pure transition on the stored remediation without writing anything: what would happen if the
 * person submitted now. A modal uses it to answer inline (Slack's `response_action: errors`) before its ack;
 * the step itself is still applied by applyStep, which checks everything again.
 */
import type { Remediation } from '../../domain/remediation.js';
import { err, type Result } from '../../domain/result.js';
import type { Actor } from '../../domain/roles.js';
import type { Transition } from '../../domain/transitions.js';
import type { StepDeps } from './apply-step.js';
import type { AppError } from '../errors.js';

export type CheckStep = <I>(id: string, transition: Transition<I>, input: I, actor: Actor) => Promise<Result<Remediation, AppError>>;

export function createCheckStep({ store, sla, now }: StepDeps): CheckStep {
  return async (id, transition, input, actor) => {
    const r = await store.remediations.get(id);
    if (!r) return err({ code: 'remediation.not_found', id });
    return transition(r, input, { actor, now: now(), sla });
  };
}
