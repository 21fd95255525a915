/**
 * Deploy now (leads; an emergency change): the button opens the blast radius with a required reason; submitting
 * starts the deployment (its record written before anything is sent) and hands it to the runner. A pull request that
 * is not ready stops it with a sentence, in the thread and to the lead, and nothing changes.
 */
import type { Result } from '../../domain/result.js';
import type { SlackDeps } from '../deps.js';
import { INPUT } from '../ids.js';
import { orRefuse } from '../refusal.js';
import { blastRadiusBlocks } from '../views/blast-radius.js';
import { deployNowModal } from '../views/deploy-modals.js';
import { onSubmit, type StateValues } from '../workflow/on-submit.js';
import { opensModal } from '../workflow/open-modal.js';
import type { WorkflowUseCases } from '../workflow/use-cases.js';
import { formOrErrors, textOf, type FieldErrors } from '../workflow/view-state.js';
import { deployEffects } from './announce.js';

export function readReason(values: StateValues): Result<{ reason: string }, FieldErrors> {
  const reason = textOf(values, INPUT.reason).trim();
  const errors: FieldErrors = reason ? {} : { [INPUT.reason]: 'Give the reason: it is recorded with the emergency change.' };
  return formOrErrors(errors, () => ({ reason }));
}

export const deployNowButton = (deps: SlackDeps) =>
  opensModal(deps, async (r, actor, privateMetadata) => {
    orRefuse(await deps.authorize(actor, 'deploy', r.id));
    const plan = orRefuse(await deps.deploy.plan(r));
    return deployNowModal({ r, timeZone: deps.policy.timezone, privateMetadata, radius: blastRadiusBlocks(plan, deps.policy.deploy), approvalDays: deps.policy.deploy.emergencyApprovalDays });
  });

export const deployNowSubmitted = (deps: SlackDeps, uc: WorkflowUseCases) =>
  onSubmit(deps, {
    read: readReason,
    check: async () => null,
    // A pull request that is not ready is said in the thread by the use case, and to the lead by the refusal.
    run: (id, { reason }, actor, followUp) => deps.deploy.work.starts.deployNow(id, reason, actor, followUp),
    effects: ({ after }) => deployEffects({ kind: 'deploy_started', r: after }, deps.policy.timezone, deps.policy.roles.lead),
    async done({ before, after }, _form, userId) {
      await uc.afterStep(before, after, userId);
      deps.deploy.kick(after.id);
    },
  });
