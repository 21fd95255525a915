/**
 * The approval modal submitted. Decide mode: approve (and book the window if one was picked) or reject with a
 * reason. Schedule mode: the window. Field problems inline; everything else after the modal closes.
 */
import type { DecisionForm } from '../../app/workflow/decide.js';
import type { Result } from '../../domain/result.js';
import type { SlackDeps } from '../deps.js';
import { INPUT } from '../ids.js';
import { Refusal } from '../refusal.js';
import { onSubmit, type StateValues } from './on-submit.js';
import { decisionNote } from './thread-notes.js';
import { formOrErrors, has, oneOf, option, textOf, type FieldErrors } from './view-state.js';
import { remediationEffects } from '../posting/publish-remediation.js';
import type { WorkflowUseCases } from './use-cases.js';

export function readDecisionForm(values: StateValues): Result<DecisionForm, FieldErrors> {
  const errors: FieldErrors = {};
  const slotKey = option(values, INPUT.window);
  if (!has(values, INPUT.decision)) {
    if (!slotKey) errors[INPUT.window] = 'Pick a maintenance window.';
    return formOrErrors(errors, () => ({ kind: 'schedule', slotKey: slotKey! }));
  }
  const decision = oneOf(values, INPUT.decision, ['approve', 'reject'] as const, 'Pick approve or reject.', errors);
  const reason = textOf(values, INPUT.reason);
  const changeTicket = textOf(values, INPUT.changeTicket).trim() || null;
  return formOrErrors(errors, () => (decision === 'reject' ? { kind: 'reject', reason, changeTicket } : { kind: 'approve', reason, changeTicket, slotKey }));
}

export const approvalSubmitted = (deps: SlackDeps, uc: WorkflowUseCases) =>
  onSubmit(deps, {
    read: readDecisionForm,
    check: uc.decide.check,
    run: uc.decide.run,
    effects: (outcome, _form, userId) => remediationEffects(outcome.after.id, decisionNote(outcome, userId, deps.policy.timezone)),
    async done(outcome, _form, userId) {
      await uc.afterStep(outcome.before, outcome.after, userId);
      // Approved, but the window could not be booked: say why (the approval stands).
      if (outcome.scheduleRefused) throw new Refusal(outcome.scheduleRefused);
    },
  });
