/**
 * Mark deployed (leads; remediations only Snyk reported): the link to the change made outside patchwarden. The runner
 * then verifies it by Snyk's word.
 */
import type { ChangeForm } from '../../app/deploy/mark-deployed.js';
import { deployPath } from '../../domain/deploy-path.js';
import { ok, type Result } from '../../domain/result.js';
import type { SlackDeps } from '../deps.js';
import { INPUT } from '../ids.js';
import { orRefuse, Refusal } from '../refusal.js';
import { remediationEffects } from '../posting/publish-remediation.js';
import { markDeployedModal } from '../views/deploy-modals.js';
import { escapeText, mention } from '../views/format.js';
import { onSubmit, type StateValues } from '../workflow/on-submit.js';
import { opensModal } from '../workflow/open-modal.js';
import type { WorkflowUseCases } from '../workflow/use-cases.js';
import { textOf, type FieldErrors } from '../workflow/view-state.js';

export const readChangeForm = (values: StateValues): Result<ChangeForm, FieldErrors> =>
  ok({ changeUrl: textOf(values, INPUT.changeUrl).trim(), note: textOf(values, INPUT.note) });

export const markDeployedButton = (deps: SlackDeps) =>
  opensModal(deps, async (r, actor, privateMetadata) => {
    orRefuse(await deps.authorize(actor, 'deploy', r.id));
    if (deployPath(r).kind !== 'manual') throw new Refusal({ code: 'deploy.not_applicable', action: 'mark it deployed', why: 'patchwarden deploys it itself (Deploy now, or its maintenance window)' });
    return markDeployedModal({ r, timeZone: deps.policy.timezone, privateMetadata });
  });

export const markDeployedSubmitted = (deps: SlackDeps, uc: WorkflowUseCases) =>
  onSubmit(deps, {
    read: readChangeForm,
    check: deps.deploy.markDeployed.check,
    run: deps.deploy.markDeployed.run,
    effects: ({ after }, { changeUrl }, userId) =>
      remediationEffects(after.id, `${mention(userId)} marked it deployed: <${changeUrl}|${escapeText(changeUrl)}>. It is verified once Snyk marks its issues resolved.`),
    async done({ before, after }, _form, userId) {
      await uc.afterStep(before, after, userId);
      deps.deploy.kick(after.id);
    },
  });
