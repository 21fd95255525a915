/**
 * An advisory modal submitted (a review, or Create remediation): read the form (zod), answer field problems inline
 * before the ack (nothing recorded), else ack, run the use case and report it. Like ../workflow/on-submit.ts, for
 * modals whose metadata names an advisory (or nothing: `/patch new`).
 */
import type { AppError } from '../../app/errors.js';
import type { Result } from '../../domain/result.js';
import type { Actor } from '../../domain/roles.js';
import type { SlackDeps } from '../deps.js';
import type { AdvisoryMetadata } from '../ids.js';
import { orRefuse } from '../refusal.js';
import { inlineErrors } from '../workflow/inline-errors.js';
import { inputBlockIds, type SubmitArgs } from '../workflow/interaction.js';
import type { StateValues } from '../workflow/on-submit.js';
import type { FieldErrors } from '../workflow/view-state.js';
import { advisoryMetadataOf } from './advisory-interaction.js';

export interface AdvisorySubmission<F, R> {
  read(values: StateValues, meta: AdvisoryMetadata): Result<F, FieldErrors>;
  check(form: F, actor: Actor): Promise<AppError | null>;
  run(form: F, actor: Actor): Promise<Result<R, AppError>>;
  done(result: R, form: F, userId: string): Promise<void>;
}

export const onAdvisorySubmit = <F, R>(deps: SlackDeps, s: AdvisorySubmission<F, R>) =>
  async ({ ack, body, view }: SubmitArgs): Promise<void> => {
    const meta = await advisoryMetadataOf(view, ack);
    const form = s.read(view.state.values, meta);
    if (!form.ok) return ack({ response_action: 'errors', errors: form.error });
    const actor = await deps.roles.actorFor(body.user.id);
    const inline = inlineErrors(await s.check(form.value, actor), inputBlockIds(view));
    if (inline) return ack({ response_action: 'errors', errors: inline });
    await ack();
    await deps.turns.run(async () => {
      const result = orRefuse(await s.run(form.value, actor));
      await s.done(result, form.value, body.user.id);
    }, { lane: 'interaction', who: body.user.id });
  };
