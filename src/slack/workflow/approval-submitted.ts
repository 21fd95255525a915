/**
 * The approval modal submitted. Decide mode: approve (and book the window if one was picked) or reject with a
 * reason. Schedule mode: the window. Field problems inline; everything else after the modal closes.
 */
import type { DecisionForm } from '../../app/decide.js';
import type { Result } from '../../domain/result.js';
import type { SlackDeps } from '../deps.js';
import { INPUT } from '../ids.js';
import { orRefuse, Refusal } from '../refusal.js';
import { inlineErrors } from './inline-errors.js';
import { inputBlockIds, metadataOf, type SubmitArgs } from './interaction.js';
import { decisionNote } from './thread-notes.js';
import { formOrErrors, has, oneOf, option, textOf, type FieldErrors } from './view-state.js';
import type { Workflow } from './workflow.js';

export function readDecisionForm(values: SubmitArgs['view']['state']['values']): Result<DecisionForm, FieldErrors> {
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

export const approvalSubmitted = (deps: SlackDeps, wf: Workflow) =>
  async ({ ack, body, view }: SubmitArgs): Promise<void> => {
    const meta = await metadataOf(view, ack);
    const form = readDecisionForm(view.state.values);
    if (!form.ok) return ack({ response_action: 'errors', errors: form.error });
    const actor = await deps.roles.actorFor(body.user.id);
    const inline = inlineErrors(await wf.decide.check(meta.r, form.value, actor), inputBlockIds(view));
    if (inline) return ack({ response_action: 'errors', errors: inline });
    await ack();
    const outcome = orRefuse(await wf.decide.run(meta.r, form.value, actor));
    await wf.afterStep(outcome.before, outcome.after, body.user.id, decisionNote(outcome, body.user.id, deps.policy.timezone));
    if (outcome.scheduleRefused) throw new Refusal(outcome.scheduleRefused);
  };
