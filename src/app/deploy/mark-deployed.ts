/**
 * Mark deployed (leads): a remediation only Snyk reported is fixed by a change made outside patchwarden; the lead
 * records it with a link to that change. It is then `deployed`, and verified when Snyk says its issues are resolved.
 */
import { randomUUID } from 'node:crypto';
import { deployPath } from '../../domain/deploy-path.js';
import { markDeployed } from '../../domain/deploy-transitions.js';
import { err, type Result } from '../../domain/result.js';
import type { Actor } from '../../domain/roles.js';
import type { AppError } from '../errors.js';
import type { Store } from '../ports.js';
import type { Applied, ApplyStep, FollowUp, Step } from '../workflow/apply-step.js';
import type { CheckStep } from '../workflow/check-step.js';

export interface ChangeForm {
  readonly changeUrl: string;
  readonly note: string;
}

type Input = ChangeForm & { readonly deploymentId: string };

const STEP: Step<Input> = { transition: markDeployed, action: 'remediation.marked_deployed' };

export interface MarkDeployed {
  check(id: string, form: ChangeForm, actor: Actor): Promise<AppError | null>;
  run(id: string, form: ChangeForm, actor: Actor, followUp?: FollowUp): Promise<Result<Applied, AppError>>;
}

export function createMarkDeployed({ store, applyStep, checkStep, newId = randomUUID }: { store: Store; applyStep: ApplyStep; checkStep: CheckStep; newId?: () => string }): MarkDeployed {
  const applicable = async (id: string): Promise<AppError | null> => {
    const r = await store.remediations.get(id);
    if (!r) return { code: 'remediation.not_found', id };
    const path = deployPath(r);
    return path.kind === 'manual' ? null : { code: 'deploy.not_applicable', action: 'mark it deployed', why: path.kind === 'none' ? path.why : 'patchwarden deploys it itself (Deploy now, or its maintenance window)' };
  };
  return {
    async check(id, form, actor) {
      const result = await checkStep(id, markDeployed, { ...form, deploymentId: 'check' }, actor);
      return result.ok ? applicable(id) : result.error;
    },
    async run(id, form, actor, followUp) {
      const refused = await applicable(id);
      return refused ? err(refused) : applyStep(id, STEP, { ...form, deploymentId: `d-${newId()}` }, actor, followUp);
    },
  };
}
