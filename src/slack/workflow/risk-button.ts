/** Accept risk (leads): opens the risk acceptance modal, its expiry capped by the policy. */
import { orRefuse } from '../refusal.js';
import type { SlackDeps } from '../deps.js';
import { riskModal } from '../views/risk-modal.js';
import { opensModal } from './open-modal.js';

export const riskButton = (deps: SlackDeps) =>
  opensModal(deps, async (r, actor, privateMetadata) => {
    orRefuse(await deps.authorize(actor, 'accept_risk', r.id));
    return riskModal({ r, maxDays: deps.policy.sla.riskAcceptanceMaxDays, now: deps.now(), timeZone: deps.policy.timezone, privateMetadata });
  });
