/**
 * Record CI results (engineers, leads): the fixing Dependabot pull request's check runs and commit statuses are the
 * automated test suite the policy asks for; recorded as a test run (each check's name, conclusion, URL and completion
 * time; pass only when all are green) without anyone uploading a screenshot of them.
 */
import { randomUUID } from 'node:crypto';
import { deployPath } from '../../domain/deploy-path.js';
import { recordRunTest, type RunTestInput } from '../../domain/deploy-transitions.js';
import { err, type Result } from '../../domain/result.js';
import { actorId, type Actor } from '../../domain/roles.js';
import type { AppError } from '../errors.js';
import type { Store } from '../ports.js';
import type { Applied, ApplyStep, FollowUp, Step } from '../workflow/apply-step.js';
import type { Authorize } from '../workflow/authorize.js';
import type { CheckStep } from '../workflow/check-step.js';
import type { PullRequests } from './deploy-ports.js';
import { checksNote, checksRecord, pullWithChecks } from './pull-checks.js';

const STEP: Step<RunTestInput> = {
  transition: recordRunTest,
  action: 'remediation.test_recorded',
  data: (input) => ({ testId: input.id, environment: input.environment, result: input.result, notes: input.notes, run: input.run }),
};

export interface RecordChecksDeps {
  readonly store: Store;
  readonly github: PullRequests | null;
  readonly applyStep: ApplyStep;
  readonly checkStep: CheckStep;
  readonly authorize: Authorize;
  readonly newId?: () => string;
}

export type RecordChecks = (id: string, actor: Actor, followUp?: FollowUp) => Promise<Result<Applied, AppError>>;

export function createRecordChecks({ store, github, applyStep, checkStep, authorize, newId = randomUUID }: RecordChecksDeps): RecordChecks {
  return async (id, actor, followUp) => {
    const r = await store.remediations.get(id);
    if (!r) return err({ code: 'remediation.not_found', id });
    const path = deployPath(r);
    if (path.kind !== 'dependabot') return err({ code: 'deploy.not_applicable', action: 'record CI results', why: 'no Dependabot pull request fixes it' });
    const input = (ok: boolean, notes: string, run: RunTestInput['run']): RunTestInput => ({ id: `ci-${newId()}`, by: actorId(actor), environment: 'ci', result: ok ? 'pass' : 'fail', notes, run });
    const placeholder = { kind: 'ci_checks' as const, repository: path.repository, pullNumber: 0, url: '', headSha: '', checks: [] };
    const dry = await checkStep(id, recordRunTest, input(true, '', placeholder), actor);
    if (!dry.ok) return dry.error.code === 'auth.forbidden' ? ((await authorize(actor, 'test', id)) as Result<never, AppError>) : dry;
    const found = await pullWithChecks(github, path);
    if (!found.ok) return found;
    return applyStep(id, STEP, input(found.value.green, checksNote(found.value), checksRecord(found.value)), actor, followUp);
  };
}
