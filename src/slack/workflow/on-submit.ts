/**
 * A modal submission: read the form (zod), answer field problems inline before the ack (nothing recorded), else
 * ack to close the modal, apply the use case, and report the step (message, thread, homes). A failure after the
 * ack is thrown as a Refusal for the global error handler.
 */
import type { AppError } from '../../app/errors.js';
import type { Result } from '../../domain/result.js';
import type { Actor } from '../../domain/roles.js';
import type { SlackDeps } from '../deps.js';
import type { Lane } from '../turns.js';
import { orRefuse } from '../refusal.js';
import { inlineErrors } from './inline-errors.js';
import { inputBlockIds, metadataOf, type SubmitArgs } from './interaction.js';
import type { FieldErrors } from './view-state.js';

export type StateValues = SubmitArgs['view']['state']['values'];

export interface Submission<F, R> {
  read(values: StateValues): Result<F, FieldErrors>;
  /** What submitting would be refused for, without recording anything (see src/app/workflow/check-step.ts). */
  check(id: string, form: F, actor: Actor): Promise<AppError | null>;
  run(id: string, form: F, actor: Actor): Promise<Result<R, AppError>>;
  /** After the step is recorded: update the message, note it in the thread, refresh homes. */
  done(result: R, form: F, userId: string): Promise<void>;
  /** Its turn (src/slack/turns.ts): `interaction` unless said; a submission that downloads files is `background`. */
  readonly lane?: Lane;
}

export const onSubmit = <F, R>(deps: SlackDeps, s: Submission<F, R>) =>
  async ({ ack, body, view }: SubmitArgs): Promise<void> => {
    const meta = await metadataOf(view, ack);
    const form = s.read(view.state.values);
    if (!form.ok) return ack({ response_action: 'errors', errors: form.error });
    const actor = await deps.roles.actorFor(body.user.id);
    const inline = inlineErrors(await s.check(meta.r, form.value, actor), inputBlockIds(view));
    if (inline) return ack({ response_action: 'errors', errors: inline });
    await ack();
    await deps.turns.run(async () => {
      const result = orRefuse(await s.run(meta.r, form.value, actor));
      await s.done(result, form.value, body.user.id);
    }, { lane: s.lane ?? 'interaction', who: body.user.id });
  };
