/**
 * Verifying a manual remediation: a lead records what was checked and a link to the proof; the remediation is
 * verified with that check as its evidence (`remediation.verified`). No source would ever close it otherwise.
 */
import type { Result } from '../../domain/result.js';
import type { Actor } from '../../domain/roles.js';
import { recordCheck, type CheckInput } from '../../domain/transitions.js';
import type { AppError } from '../errors.js';
import type { Applied, ApplyStep, FollowUp, Step } from './apply-step.js';
import type { CheckStep } from './check-step.js';

const STEP: Step<CheckInput> = {
  transition: recordCheck,
  action: 'remediation.verified',
  data: (input, after) => ({ check: input.what.trim(), link: input.link?.trim() || null, evidence: after.verification?.evidence ?? null }),
};

export interface RecordCheckUseCase {
  check(id: string, form: CheckInput, actor: Actor): Promise<AppError | null>;
  run(id: string, form: CheckInput, actor: Actor, followUp?: FollowUp): Promise<Result<Applied, AppError>>;
}

export function createRecordCheck({ applyStep, checkStep }: { applyStep: ApplyStep; checkStep: CheckStep }): RecordCheckUseCase {
  return {
    async check(id, form, actor) {
      const result = await checkStep(id, recordCheck, form, actor);
      return result.ok ? null : result.error;
    },
    run: (id, form, actor, followUp) => applyStep(id, STEP, form, actor, followUp),
  };
}
