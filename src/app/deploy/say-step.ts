/**
 * A deploy step that says what happened: applied like any step (`applyStep`, version-checked, audited), with the
 * Slack effects of its event recorded in the same write, which are then done. The runner's steps go through here.
 */
import type { Remediation } from '../../domain/remediation.js';
import type { Result } from '../../domain/result.js';
import type { Actor } from '../../domain/roles.js';
import type { AppError } from '../errors.js';
import type { Applied, ApplyStep, Step } from '../workflow/apply-step.js';
import type { Announcer, DeployEvent } from './deploy-events.js';

export type SayStep = <I>(id: string, step: Step<I>, input: I, actor: Actor, say?: (after: Remediation) => DeployEvent | null) => Promise<Result<Applied, AppError>>;

export function createSayStep({ applyStep, announcer }: { applyStep: ApplyStep; announcer: Announcer }): SayStep {
  return async (id, step, input, actor, say) => {
    const followUp = say ? ({ after }: Applied) => {
      const event = say(after);
      return event ? announcer.effects(event) : [];
    } : undefined;
    const done = await applyStep(id, step, input, actor, followUp);
    if (done.ok && say) await announcer.flush(id);
    return done;
  };
}
