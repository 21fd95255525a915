/**
 * A lead's decision on a dismissal at the source (src/domain/upstream-dismissal.ts): confirm it as a risk
 * acceptance (justification, compensating control, expiry: the Accept risk form), or reject it with a reason, after
 * which the remediation is worked on from where it stood. Both are steps like any other: version-checked, audited
 * (`remediation.dismissal_confirmed` / `remediation.dismissal_rejected`), a refusal of authority audited too.
 */
import { ok, type Result } from '../../domain/result.js';
import type { Actor } from '../../domain/roles.js';
import type { RiskInput, Transition } from '../../domain/transitions.js';
import { confirmDismissal, rejectDismissal } from '../../domain/upstream-dismissal.js';
import type { AppError } from '../errors.js';
import { riskInputOf, type RiskForm } from './accept-risk.js';
import type { Applied, ApplyStep, FollowUp, Step } from './apply-step.js';
import type { CheckStep } from './check-step.js';

export interface RejectDismissalForm {
  readonly reason: string;
}

export interface DecisionUseCase<F> {
  check(id: string, form: F, actor: Actor): Promise<AppError | null>;
  run(id: string, form: F, actor: Actor, followUp?: FollowUp): Promise<Result<Applied, AppError>>;
}

export interface DecideDismissalUseCase {
  readonly confirm: DecisionUseCase<RiskForm>;
  readonly reject: DecisionUseCase<RejectDismissalForm>;
}

export interface DecideDismissalDeps {
  readonly timeZone: string;
  readonly applyStep: ApplyStep;
  readonly checkStep: CheckStep;
}

const CONFIRM: Step<RiskInput> = {
  transition: confirmDismissal,
  action: 'remediation.dismissal_confirmed',
  data: (input, after) => ({ ...input, findings: after.upstreamDismissal?.findings ?? [] }),
};
const REJECT: Step<RejectDismissalForm> = { transition: rejectDismissal, action: 'remediation.dismissal_rejected' };

/** check and run of one decision, from its form through `toInput` (a form error is an AppError before any step). */
function decision<F, I>(deps: DecideDismissalDeps, step: Step<I>, transition: Transition<I>, toInput: (form: F) => Result<I, AppError>): DecisionUseCase<F> {
  return {
    async check(id, form, actor) {
      const input = toInput(form);
      if (!input.ok) return input.error;
      const result = await deps.checkStep(id, transition, input.value, actor);
      return result.ok ? null : result.error;
    },
    async run(id, form, actor, followUp) {
      const input = toInput(form);
      return input.ok ? deps.applyStep(id, step, input.value, actor, followUp) : input;
    },
  };
}

export function createDecideDismissal(deps: DecideDismissalDeps): DecideDismissalUseCase {
  return {
    confirm: decision(deps, CONFIRM, confirmDismissal, (form: RiskForm) => riskInputOf(form, deps.timeZone)),
    reject: decision(deps, REJECT, rejectDismissal, (form: RejectDismissalForm) => ok(form)),
  };
}
