/**
 * The test evidence modal submitted: field problems inline; else close it, then (the slow part) download, check,
 * hash and keep every file, and record the test only when all of them are good.
 */
import type { TestForm } from '../../app/workflow/record-test.js';
import type { Result } from '../../domain/result.js';
import type { SlackDeps } from '../deps.js';
import { INPUT } from '../ids.js';
import { onSubmit, type StateValues } from './on-submit.js';
import { testNote } from './thread-notes.js';
import { filesOf, formOrErrors, oneOf, textOf, type FieldErrors } from './view-state.js';
import { remediationEffects } from '../posting/publish-remediation.js';
import type { WorkflowUseCases } from './use-cases.js';

export function readTestForm(values: StateValues, environments: readonly string[]): Result<TestForm, FieldErrors> {
  const errors: FieldErrors = {};
  const environment = oneOf(values, INPUT.environment, environments, 'Pick the environment you tested in.', errors);
  const result = oneOf(values, INPUT.result, ['pass', 'fail'] as const, 'Pick pass or fail.', errors);
  const files = filesOf(values, INPUT.files);
  if (files === null) errors[INPUT.files] = 'Those attachments could not be read. Please attach them again.';
  return formOrErrors(errors, () => ({ environment: environment!, result: result!, notes: textOf(values, INPUT.notes), files: files! }));
}

export const evidenceSubmitted = (deps: SlackDeps, uc: WorkflowUseCases) =>
  onSubmit(deps, {
    read: (values) => readTestForm(values, uc.testEnvironments),
    check: uc.recordTest.check,
    run: uc.recordTest.run,
    // Downloading up to ten files is long work: it must not hold a person's turn.
    lane: 'background',
    effects: ({ applied, files }, { environment, result, notes }, userId) => remediationEffects(applied.after.id, testNote(userId, environment, result, files, notes)),
    done: ({ applied }, _form, userId) => uc.afterStep(applied.before, applied.after, userId),
  });
