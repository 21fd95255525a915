/** The Assess modal submitted: read it, answer field problems inline, else close it and record the assessment. */
import type { AssessForm } from '../../app/workflow/assess.js';
import { BUSINESS_IMPACTS } from '../../domain/remediation.js';
import { SEVERITIES } from '../../domain/severity.js';
import type { Result } from '../../domain/result.js';
import type { SlackDeps } from '../deps.js';
import { INPUT } from '../ids.js';
import { onSubmit, type StateValues } from './on-submit.js';
import { assessedNote } from './thread-notes.js';
import { formOrErrors, oneOf, textOf, userOf, type FieldErrors } from './view-state.js';
import { remediationEffects } from '../posting/publish-remediation.js';
import type { WorkflowUseCases } from './use-cases.js';

export function readAssessForm(values: StateValues): Result<AssessForm, FieldErrors> {
  const errors: FieldErrors = {};
  const severity = oneOf(values, INPUT.severity, SEVERITIES, 'Pick a severity.', errors);
  const exploit = oneOf(values, INPUT.knownExploit, ['yes', 'no'], 'Say whether an exploit is known.', errors);
  const businessImpact = oneOf(values, INPUT.businessImpact, BUSINESS_IMPACTS, 'Pick the business impact.', errors);
  return formOrErrors(errors, () => ({
    severity: severity!,
    knownExploit: exploit === 'yes',
    businessImpact: businessImpact!,
    rationale: textOf(values, INPUT.rationale),
    owner: userOf(values, INPUT.owner),
  }));
}

export const assessSubmitted = (deps: SlackDeps, uc: WorkflowUseCases) =>
  onSubmit(deps, {
    read: readAssessForm,
    check: uc.assess.check,
    run: uc.assess.run,
    effects: ({ after }, _form, userId) => remediationEffects(after.id, assessedNote(after, userId, deps.policy.timezone)),
    done: ({ before, after }, _form, userId) => uc.afterStep(before, after, userId),
  });
