/**
 * A dismissal at the source, under review (leads): Confirm as risk acceptance opens the Accept risk form with the
 * source's words; Reject the dismissal opens a form for the reason.
 */
import type { SlackDeps } from '../deps.js';
import { orRefuse, Refusal } from '../refusal.js';
import { rejectDismissalModal } from '../views/dismissal-reject-modal.js';
import { riskModal } from '../views/risk-modal.js';
import { opensModal } from './open-modal.js';
import type { Remediation } from '../../domain/remediation.js';

/** Under review, with the dismissal it is about; else the button is out of date. */
function underReview(r: Remediation): NonNullable<Remediation['upstreamDismissal']> {
  if (r.state !== 'dismissal_review' || !r.upstreamDismissal) {
    throw new Refusal({ code: 'remediation.invalid_state', action: 'decide on the dismissal of', state: r.state, allowed: ['dismissal_review'] });
  }
  return r.upstreamDismissal;
}

export const confirmDismissalButton = (deps: SlackDeps) =>
  opensModal(deps, async (r, actor, privateMetadata) => {
    orRefuse(await deps.authorize(actor, 'accept_risk', r.id));
    const dismissal = underReview(r);
    return riskModal({ r, maxDays: deps.policy.sla.riskAcceptanceMaxDays, now: deps.now(), timeZone: deps.policy.timezone, privateMetadata, dismissal });
  });

export const rejectDismissalButton = (deps: SlackDeps) =>
  opensModal(deps, async (r, actor, privateMetadata) => {
    orRefuse(await deps.authorize(actor, 'accept_risk', r.id));
    underReview(r);
    return rejectDismissalModal({ r, timeZone: deps.policy.timezone, privateMetadata });
  });
