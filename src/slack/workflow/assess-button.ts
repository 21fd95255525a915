/** Assess (leads): opens the assessment modal with the source severity and the due date it gives. */
import { orRefuse } from '../refusal.js';
import type { SlackDeps } from '../deps.js';
import { assessModal } from '../views/assess-modal.js';
import { opensModal } from './open-modal.js';
import type { WorkflowUseCases } from './use-cases.js';

export const assessButton = (deps: SlackDeps, uc: WorkflowUseCases) =>
  opensModal(deps, async (r, actor, privateMetadata) => {
    orRefuse(await deps.authorize(actor, 'assess', r.id));
    const severity = r.assessment?.severity ?? r.sourceSeverity;
    const { epss } = await uc.assess.exploitability(r);
    const { sla, timezone } = deps.policy;
    return assessModal({ r, severity, dueAt: uc.assess.dueDateFor(r, severity), epss, detail: await uc.findings(r), sla, timeZone: timezone, privateMetadata });
  });
