/** The Assess modal submitted: read it, answer field problems inline, else close it and record the assessment. */
import type { AssessForm } from '../../app/assess.js';
import { BUSINESS_IMPACTS } from '../../domain/remediation.js';
import { SEVERITIES } from '../../domain/severity.js';
import type { Result } from '../../domain/result.js';
import type { SlackDeps } from '../deps.js';
import { INPUT } from '../ids.js';
import { orRefuse } from '../refusal.js';
import { inlineErrors } from './inline-errors.js';
import { inputBlockIds, metadataOf, type SubmitArgs } from './interaction.js';
import { assessedNote } from './thread-notes.js';
import { formOrErrors, oneOf, textOf, userOf, type FieldErrors } from './view-state.js';
import type { Workflow } from './workflow.js';

export function readAssessForm(values: SubmitArgs['view']['state']['values']): Result<AssessForm, FieldErrors> {
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

export const assessSubmitted = (deps: SlackDeps, wf: Workflow) =>
  async ({ ack, body, view }: SubmitArgs): Promise<void> => {
    const meta = await metadataOf(view, ack);
    const form = readAssessForm(view.state.values);
    if (!form.ok) return ack({ response_action: 'errors', errors: form.error });
    const actor = await deps.roles.actorFor(body.user.id);
    const inline = inlineErrors(await wf.assess.check(meta.r, form.value, actor), inputBlockIds(view));
    if (inline) return ack({ response_action: 'errors', errors: inline });
    await ack();
    const { before, after } = orRefuse(await wf.assess.run(meta.r, form.value, actor));
    await wf.afterStep(before, after, body.user.id, assessedNote(after, body.user.id, deps.policy.timezone));
  };
