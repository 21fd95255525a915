/**
 * A modal submission: read the form (zod), answer field problems inline before the ack (nothing recorded, and the
 * delivery's key given back so the same values may be submitted again), else ack to close the modal, apply the use
 * case, recording with the step the Slack effects it owes (its message updated, a note in its thread), then do
 * them and refresh the homes. A failure after the ack is thrown as a Refusal for the global error handler.
 */
import type { AppError } from '../../app/errors.js';
import type { EffectInput } from '../../app/outbox/effects.js';
import type { Result } from '../../domain/result.js';
import type { Actor } from '../../domain/roles.js';
import type { SlackDeps } from '../deps.js';
import type { Lane } from '../turns.js';
import { deliveryOf } from '../middleware/dedupe.js';
import { orRefuse } from '../refusal.js';
import { inlineErrors } from './inline-errors.js';
import { inputBlockIds, metadataOf, type SubmitArgs } from './interaction.js';
import type { FieldErrors } from './view-state.js';

export type StateValues = SubmitArgs['view']['state']['values'];

export interface Submission<F, R> {
  read(values: StateValues): Result<F, FieldErrors>;
  /** What submitting would be refused for, without recording anything (see src/app/workflow/check-step.ts). */
  check(id: string, form: F, actor: Actor): Promise<AppError | null>;
  /** Applies the step; `followUp` gives the effects it owes, recorded in the same write. */
  run(id: string, form: F, actor: Actor, followUp: (result: R) => readonly EffectInput[]): Promise<Result<R, AppError>>;
  /** What the step owes in Slack: its message updated, a note in its thread. */
  effects(result: R, form: F, userId: string): readonly EffectInput[];
  /** After the step is recorded: do its effects, refresh homes. */
  done(result: R, form: F, userId: string): Promise<void>;
  /** Its turn (src/slack/turns.ts): `interaction` unless said; a submission that downloads files is `background`. */
  readonly lane?: Lane;
}

export const onSubmit = <F, R>(deps: SlackDeps, s: Submission<F, R>) =>
  async ({ ack, body, view, context }: SubmitArgs): Promise<void> => {
    const delivery = deliveryOf(context);
    const meta = await metadataOf(view, ack);
    const answer = async (errors: Record<string, string>) => {
      await delivery.giveBack();
      await ack({ response_action: 'errors', errors });
    };
    const form = s.read(view.state.values);
    if (!form.ok) return answer(form.error);
    const actor = await deps.roles.actorFor(body.user.id);
    const inline = inlineErrors(await s.check(meta.r, form.value, actor), inputBlockIds(view));
    if (inline) return answer(inline);
    await ack();
    await deps.turns.run(async () => {
      const result = orRefuse(await s.run(meta.r, form.value, actor, (r) => s.effects(r, form.value, body.user.id)));
      // The delivery is marked done while the effects are done, not before: the person's message update does not
      // wait for that write (a redelivery meanwhile finds the key still claimed, and the step's version taken).
      const marked = delivery.recorded();
      try {
        await s.done(result, form.value, body.user.id);
      } finally {
        await marked;
      }
    }, { lane: s.lane ?? 'interaction', who: body.user.id });
  };
