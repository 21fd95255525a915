/**
 * Risk acceptances run out: at expiry the remediation is open again (a fresh SLA clock), applied by the bot as a
 * step like any other (version-checked, audited as `remediation.risk_expired`).
 */
import type { Remediation } from '../../domain/remediation.js';
import { SYSTEM } from '../../domain/roles.js';
import { instant } from '../../domain/time.js';
import { expireRiskAcceptance } from '../../domain/transitions.js';
import type { ApplyStep, Applied, Step } from './apply-step.js';
import type { AppError } from '../errors.js';
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

export function createExpireRisk({ store, applyStep, now }: { store: Pick<Store, 'remediations'>; applyStep: ApplyStep; now: () => Date }) {
  const actor = SYSTEM.reminders;
  return async (): Promise<ExpiryOutcome> => {
    const at = instant(now());
    const accepted = await store.remediations.list({ states: ['risk_accepted'] });
    const expired = accepted.filter((r) => (r.riskAcceptance?.expiresAt ?? '') <= at);
    const reopened: Applied[] = [];
    const failed: { id: string; error: AppError }[] = [];
    for (const r of expired) {
      const result = await applyStep(r.id, step, {}, actor);
      if (result.ok) reopened.push(result.value);
      else failed.push({ id: r.id, error: result.error });
    }
    return { reopened, failed };
  };
}
