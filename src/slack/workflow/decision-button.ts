/**
 * Approve or reject / Schedule / Reschedule: one button, one modal in two modes. Tested work opens the decision
 * (leads, approvers; never the person who uploaded the passing evidence); approved, scheduled or failed work
 * opens the window picker (leads).
 */
import { orRefuse, Refusal } from '../refusal.js';
import type { SlackDeps } from '../deps.js';
import { userMessage } from '../user-errors.js';
import { approvalModal } from '../views/approval-modal.js';
import { blastRadiusBlocks, blastRadiusProblem } from '../views/blast-radius.js';
import { opensModal } from './open-modal.js';
import type { WorkflowUseCases } from './use-cases.js';

export const decisionButton = (deps: SlackDeps, uc: WorkflowUseCases) =>
  opensModal(deps, async (r, actor, privateMetadata) => {
    const gate = uc.decide.gate(r, actor);
    // The role is checked (and a denial audited) whatever state the remediation is in.
    orRefuse(await deps.authorize(actor, gate.ok ? gate.value.permission : 'approve', r.id, gate.ok ? gate.value.extra : null));
    const { mode, offerWindows } = orRefuse(gate);
    const slots = offerWindows ? await uc.decide.slotsFor(r) : null;
    if (mode === 'schedule' && slots?.length === 0) throw new Refusal({ code: 'schedule.no_windows' });
    const plan = await deps.deploy.plan(r);
    const blastRadius = plan.ok ? blastRadiusBlocks(plan.value, deps.policy.deploy) : plan.error.code === 'deploy.not_applicable' ? [] : [blastRadiusProblem(userMessage(plan.error))];
    return approvalModal({ r, mode, slots, targets: await uc.decide.targets(r), detail: await uc.findings(r), blastRadius, timeZone: deps.policy.timezone, privateMetadata });
  });
