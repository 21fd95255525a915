/**
 * The test evidence modal submitted: field problems inline; else close it, then (the slow part) download, check,
 * hash and keep every file, and record the test only when all of them are good.
 */
import type { TestForm } from '../../app/record-test.js';
import type { Result } from '../../domain/result.js';
import type { SlackDeps } from '../deps.js';
import { INPUT } from '../ids.js';
import { orRefuse } from '../refusal.js';
import { inlineErrors } from './inline-errors.js';
import { inputBlockIds, metadataOf, type SubmitArgs } from './interaction.js';
import { testNote } from './thread-notes.js';
import { filesOf, formOrErrors, oneOf, textOf, type FieldErrors } from './view-state.js';
import type { Workflow } from './workflow.js';

export function readTestForm(values: SubmitArgs['view']['state']['values'], environments: readonly string[]): Result<TestForm, FieldErrors> {
  const errors: FieldErrors = {};
  const environment = oneOf(values, INPUT.environment, environments, 'Pick the environment you tested in.', errors);
  const result = oneOf(values, INPUT.result, ['pass', 'fail'] as const, 'Pick pass or fail.', errors);
  const files = filesOf(values, INPUT.files);
  if (files === null) errors[INPUT.files] = 'Those attachments could not be read. Please attach them again.';
  return formOrErrors(errors, () => ({ environment: environment!, result: result!, notes: textOf(values, INPUT.notes), files: files! }));
}

export const evidenceSubmitted = (deps: SlackDeps, wf: Workflow) =>
  async ({ ack, body, view }: SubmitArgs): Promise<void> => {
    const meta = await metadataOf(view, ack);
    const form = readTestForm(view.state.values, wf.testEnvironments);
    if (!form.ok) return ack({ response_action: 'errors', errors: form.error });
    const actor = await deps.roles.actorFor(body.user.id);
    const inline = inlineErrors(await wf.recordTest.check(meta.r, form.value, actor), inputBlockIds(view));
    if (inline) return ack({ response_action: 'errors', errors: inline });
    await ack();
    const { applied, files } = orRefuse(await wf.recordTest.run(meta.r, form.value, actor));
    const { environment, result, notes } = form.value;
    await wf.afterStep(applied.before, applied.after, body.user.id, testNote(body.user.id, environment, result, files, notes));
  };
