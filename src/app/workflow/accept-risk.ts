/**
 * Side path, risk acceptance: a lead accepts the risk with a justification, a compensating control and an
 * expiry date (a day in the policy's time zone; the remediation reopens when it begins). The cap on the expiry
 * is the domain's.
 */
import { zonedTimeToUtc } from '../../domain/cron-expression.js';
import { err, ok, type Result } from '../../domain/result.js';
import type { Actor } from '../../domain/roles.js';
import { instant } from '../../domain/time.js';
import { acceptRisk, type RiskInput } from '../../domain/transitions.js';
import type { Applied, ApplyStep, FollowUp, Step } from './apply-step.js';
import type { CheckStep } from './check-step.js';
import type { AppError } from '../errors.js';

export interface RiskForm {
  readonly justification: string;
  readonly compensatingControl: string;
  /** `YYYY-MM-DD`, as Slack's datepicker gives it. */
  readonly expiresOn: string;
}

export interface AcceptRiskDeps {
  readonly timeZone: string;
  readonly applyStep: ApplyStep;
  readonly checkStep: CheckStep;
}

export interface AcceptRiskUseCase {
  check(id: string, form: RiskForm, actor: Actor): Promise<AppError | null>;
  run(id: string, form: RiskForm, actor: Actor, followUp?: FollowUp): Promise<Result<Applied, AppError>>;
}

const STEP: Step<RiskInput> = { transition: acceptRisk, action: 'remediation.risk_accepted' };

/** The start of that day in the policy's time zone. */
export function startOfDay(date: string, timeZone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  return instant(zonedTimeToUtc(timeZone, y, mo, d, 0, 0));
}

export function createAcceptRisk({ timeZone, applyStep, checkStep }: AcceptRiskDeps): AcceptRiskUseCase {
  const input = (form: RiskForm): Result<RiskInput, AppError> => {
    const expiresAt = startOfDay(form.expiresOn, timeZone);
    if (!expiresAt) return err({ code: 'input.required', field: 'expiry' });
    return ok({ justification: form.justification, compensatingControl: form.compensatingControl, expiresAt });
  };
  return {
    async check(id, form, actor) {
      const i = input(form);
      if (!i.ok) return i.error;
      const result = await checkStep(id, acceptRisk, i.value, actor);
      return result.ok ? null : result.error;
    },
    async run(id, form, actor, followUp) {
      const i = input(form);
      return i.ok ? applyStep(id, STEP, i.value, actor, followUp) : i;
    },
  };
}
