/** A lead's decision on a dismissal at the source, submitted: field problems inline; else recorded and said. */
import type { RejectDismissalForm } from '../../app/workflow/decide-dismissal.js';
import type { Result } from '../../domain/result.js';
import type { SlackDeps } from '../deps.js';
import { INPUT } from '../ids.js';
import { remediationEffects } from '../posting/publish-remediation.js';
import { onSubmit, type StateValues } from './on-submit.js';
import { readRiskForm } from './risk-submitted.js';
import { dismissalConfirmedNote, dismissalRejectedNote } from './thread-notes.js';
import { formOrErrors, textOf, type FieldErrors } from './view-state.js';
import type { WorkflowUseCases } from './use-cases.js';

export function readRejectDismissalForm(values: StateValues): Result<RejectDismissalForm, FieldErrors> {
  return formOrErrors({}, () => ({ reason: textOf(values, INPUT.reason) }));
}

export const confirmDismissalSubmitted = (deps: SlackDeps, uc: WorkflowUseCases) =>
  onSubmit(deps, {
    read: readRiskForm,
    check: uc.dismissal.confirm.check,
    run: uc.dismissal.confirm.run,
    effects: ({ after }, _form, userId) => remediationEffects(after.id, dismissalConfirmedNote(after, userId, deps.policy.timezone)),
    done: ({ before, after }, _form, userId) => uc.afterStep(before, after, userId),
  });

export const rejectDismissalSubmitted = (deps: SlackDeps, uc: WorkflowUseCases) =>
  onSubmit(deps, {
    read: readRejectDismissalForm,
    check: uc.dismissal.reject.check,
    run: uc.dismissal.reject.run,
    effects: ({ after }, _form, userId) => remediationEffects(after.id, dismissalRejectedNote(after, userId)),
    done: ({ before, after }, _form, userId) => uc.afterStep(before, after, userId),
  });
