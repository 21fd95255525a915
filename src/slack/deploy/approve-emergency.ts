/** The retroactive approval of an emergency change: another lead than the one who made it (src/app/deploy/emergencies.ts). */
import type { Applied } from '../../app/workflow/apply-step.js';
import { ok, type Result } from '../../domain/result.js';
import type { SlackDeps } from '../deps.js';
import { INPUT } from '../ids.js';
import { orRefuse } from '../refusal.js';
import { remediationEffects } from '../posting/publish-remediation.js';
import { emergencyApprovalModal } from '../views/deploy-modals.js';
import { escapeText, mention, truncate } from '../views/format.js';
import { onSubmit, type StateValues } from '../workflow/on-submit.js';
import { opensModal } from '../workflow/open-modal.js';
import type { WorkflowUseCases } from '../workflow/use-cases.js';
import { textOf, type FieldErrors } from '../workflow/view-state.js';

const readNote = (values: StateValues): Result<{ note: string }, FieldErrors> => ok({ note: textOf(values, INPUT.note) });

export const approveEmergencyButton = (deps: SlackDeps) =>
  opensModal(deps, async (r, actor, privateMetadata) => {
    const pending = await deps.deploy.approvals.pending(r.id, actor, deps.now());
    orRefuse(await deps.authorize(actor, 'approve_emergency', r.id, pending.ok ? null : pending.error));
    return emergencyApprovalModal({ r, timeZone: deps.policy.timezone, privateMetadata, deployment: orRefuse(pending) });
  });

export const approveEmergencySubmitted = (deps: SlackDeps, uc: WorkflowUseCases) =>
  onSubmit(deps, {
    read: readNote,
    check: async () => null,
    run: (id, { note }, actor, followUp) => deps.deploy.approvals.approve(id, note, actor, followUp),
    effects({ before, after }: Applied, { note }, userId) {
      const by = before.deployments.find((d) => d.emergency && !d.emergency.approval)?.emergency?.by;
      const why = note.trim() ? ` “${escapeText(truncate(note.trim(), 600))}”` : '';
      return remediationEffects(after.id, `${mention(userId)} approved the emergency change${by ? ` made by ${mention(by)}` : ''} afterwards.${why}`);
    },
    done: ({ before, after }, _form, userId) => uc.afterStep(before, after, userId),
  });
