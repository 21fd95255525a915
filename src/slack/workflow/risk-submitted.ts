/** The risk acceptance modal submitted: field problems (including the policy's cap) inline; else recorded. */
import type { RiskForm } from '../../app/workflow/accept-risk.js';
import type { Result } from '../../domain/result.js';
import type { SlackDeps } from '../deps.js';
import { INPUT } from '../ids.js';
import { onSubmit, type StateValues } from './on-submit.js';
import { riskNote } from './thread-notes.js';
import { dateOf, formOrErrors, textOf, type FieldErrors } from './view-state.js';
import { remediationEffects } from '../posting/publish-remediation.js';
import type { WorkflowUseCases } from './use-cases.js';

export function readRiskForm(values: StateValues): Result<RiskForm, FieldErrors> {
  const errors: FieldErrors = {};
  const expiresOn = dateOf(values, INPUT.expiry);
  if (!expiresOn) errors[INPUT.expiry] = 'Pick the date the risk acceptance expires.';
  return formOrErrors(errors, () => ({ justification: textOf(values, INPUT.justification), compensatingControl: textOf(values, INPUT.compensatingControl), expiresOn: expiresOn! }));
}

export const riskSubmitted = (deps: SlackDeps, uc: WorkflowUseCases) =>
  onSubmit(deps, {
    read: readRiskForm,
    check: uc.acceptRisk.check,
    run: uc.acceptRisk.run,
    effects: ({ after }, _form, userId) => remediationEffects(after.id, riskNote(after, userId, deps.policy.timezone)),
    done: ({ before, after }, _form, userId) => uc.afterStep(before, after, userId),
  });
