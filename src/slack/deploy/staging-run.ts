/**
 * Run in staging (engineers, leads): the button opens the staging blast radius to confirm; submitting writes the run
 * down (src/app/deploy/staging-run.ts) and hands it to the runner, which sends, follows and records it.
 */
import { ok } from '../../domain/result.js';
import type { SlackDeps } from '../deps.js';
import { orRefuse } from '../refusal.js';
import { blastRadiusText } from '../views/blast-radius.js';
import { stagingRunModal } from '../views/deploy-modals.js';
import { section } from '../views/blocks.js';
import { onSubmit } from '../workflow/on-submit.js';
import { opensModal } from '../workflow/open-modal.js';
import type { WorkflowUseCases } from '../workflow/use-cases.js';
import { deployEffects } from './announce.js';

export const runStagingButton = (deps: SlackDeps) =>
  opensModal(deps, async (r, actor, privateMetadata) => {
    orRefuse(await deps.authorize(actor, 'test', r.id));
    const targets = orRefuse(await deps.deploy.work.staging.plan(r.id));
    return stagingRunModal({ r, timeZone: deps.policy.timezone, privateMetadata, radius: [section(blastRadiusText(targets, deps.policy.deploy), 'blast_radius')] });
  });

export const stagingRunSubmitted = (deps: SlackDeps, uc: WorkflowUseCases) =>
  onSubmit(deps, {
    read: () => ok({}),
    check: async () => null,
    run: (id, _form, actor, followUp) => deps.deploy.work.staging.request(id, actor, followUp),
    effects: ({ applied, record }, _form, userId) => deployEffects({ kind: 'staging_started', r: applied.after, by: userId, run: record.run }, deps.policy.timezone, deps.policy.roles.lead),
    async done({ applied }, _form, userId) {
      await uc.afterStep(applied.before, applied.after, userId);
      deps.deploy.kick(applied.after.id);
    },
  });
