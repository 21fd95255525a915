/** The risk acceptance modal submitted: field problems (including the policy's cap) inline; else recorded. */
import type { RiskForm } from '../../app/accept-risk.js';
import type { Result } from '../../domain/result.js';
import type { SlackDeps } from '../deps.js';
import { INPUT } from '../ids.js';
import { orRefuse } from '../refusal.js';
import { inlineErrors } from './inline-errors.js';
import { inputBlockIds, metadataOf, type SubmitArgs } from './interaction.js';
import { riskNote } from './thread-notes.js';
import { dateOf, formOrErrors, textOf, type FieldErrors } from './view-state.js';
import type { Workflow } from './workflow.js';

export function readRiskForm(values: SubmitArgs['view']['state']['values']): Result<RiskForm, FieldErrors> {
  const errors: FieldErrors = {};
  const expiresOn = dateOf(values, INPUT.expiry);
  if (!expiresOn) errors[INPUT.expiry] = 'Pick the date the risk acceptance expires.';
  return formOrErrors(errors, () => ({ justification: textOf(values, INPUT.justification), compensatingControl: textOf(values, INPUT.compensatingControl), expiresOn: expiresOn! }));
}

export const riskSubmitted = (deps: SlackDeps, wf: Workflow) =>
  async ({ ack, body, view }: SubmitArgs): Promise<void> => {
    const meta = await metadataOf(view, ack);
    const form = readRiskForm(view.state.values);
    if (!form.ok) return ack({ response_action: 'errors', errors: form.error });
    const actor = await deps.roles.actorFor(body.user.id);
    const inline = inlineErrors(await wf.acceptRisk.check(meta.r, form.value, actor), inputBlockIds(view));
    if (inline) return ack({ response_action: 'errors', errors: inline });
    await ack();
    const { before, after } = orRefuse(await wf.acceptRisk.run(meta.r, form.value, actor));
    await wf.afterStep(before, after, body.user.id, riskNote(after, body.user.id, deps.policy.timezone));
  };
