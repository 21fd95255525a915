/**
 * Risk acceptances run out: at expiry the remediation is open again (a fresh SLA clock), applied by the bot as a
 * step like any other (version-checked, audited as `remediation.risk_expired`, with the Slack effects `followUp`
 * says it owes in the same write).
 */
import type { Remediation } from '../../domain/remediation.js';
import { SYSTEM } from '../../domain/roles.js';
import { instant } from '../../domain/time.js';
import { expireRiskAcceptance } from '../../domain/transitions.js';
import type { ApplyStep, Applied, FollowUp, Step } from './apply-step.js';
import { LeaseLost, type AppError } from '../errors.js';
import type { Store } from '../ports.js';

export interface ExpiryOutcome {
  readonly reopened: readonly Applied[];
  readonly failed: readonly { readonly id: string; readonly error: AppError }[];
}

const step: Step<Record<string, never>> = {
  transition: expireRiskAcceptance,
  action: 'remediation.risk_expired',
  data: (_input: Record<string, never>, after: Remediation) => ({ expiredAt: after.riskAcceptance?.expiresAt ?? null, dueAt: after.dueAt }),
};

export interface ExpireRiskDeps {
  readonly store: Pick<Store, 'remediations'>;
  readonly applyStep: ApplyStep;
  readonly now: () => Date;
  readonly followUp?: FollowUp;
}

export function createExpireRisk({ store, applyStep, now, followUp }: ExpireRiskDeps) {
  const actor = SYSTEM.reminders;
  /** `holds` false (the job's lease is lost): stop before the next one; the next run does the rest. */
  return async (holds: () => boolean = () => true): Promise<ExpiryOutcome> => {
    const at = instant(now());
    const accepted = await store.remediations.list({ states: ['risk_accepted'] });
    const expired = accepted.filter((r) => (r.riskAcceptance?.expiresAt ?? '') <= at);
    const reopened: Applied[] = [];
    const failed: { id: string; error: AppError }[] = [];
    for (const r of expired) {
      if (!holds()) throw new LeaseLost('reminders');
      const result = await applyStep(r.id, step, {}, actor, followUp);
      if (result.ok) reopened.push(result.value);
      else failed.push({ id: r.id, error: result.error });
    }
    return { reopened, failed };
  };
}
