/**
 * Step 4, test in non-production: an engineer records pass or fail with notes and evidence files. The files are
 * downloaded, hashed and kept first; only when every one is good is the test recorded, in the same write as one
 * `evidence.uploaded` audit event per file. Anything wrong leaves the remediation as it was.
 */
import { randomUUID } from 'node:crypto';
import type { EvidenceFile } from '../../domain/remediation.js';
import { err, ok, type Result } from '../../domain/result.js';
import type { Actor } from '../../domain/roles.js';
import { instant } from '../../domain/time.js';
import { recordTest, type TestInput } from '../../domain/transitions.js';
import type { Applied, ApplyStep, FollowUp, Step } from './apply-step.js';
import type { Authorize } from './authorize.js';
import type { CheckStep } from './check-step.js';
import type { AppError } from '../errors.js';
import { checkFiles, type EvidenceIntake, type IncomingFile } from './evidence-intake.js';

export interface TestForm {
  readonly environment: string;
  readonly result: 'pass' | 'fail';
  readonly notes: string;
  readonly files: readonly IncomingFile[];
}

export interface RecordTestDeps {
  readonly applyStep: ApplyStep;
  readonly checkStep: CheckStep;
  readonly authorize: Authorize;
  readonly intake: EvidenceIntake;
  readonly newId?: () => string;
}

export interface RecordedTest {
  readonly applied: Applied;
  readonly files: readonly EvidenceFile[];
}

export interface RecordTestUseCase {
  check(id: string, form: TestForm, actor: Actor): Promise<AppError | null>;
  /** Records the test and its files, with the Slack effects `followUp` says it owes (given the test as recorded). */
  run(id: string, form: TestForm, actor: Actor, followUp?: (t: RecordedTest) => ReturnType<FollowUp>): Promise<Result<RecordedTest, AppError>>;
}

const STEP: Step<TestInput> = {
  transition: recordTest,
  action: 'remediation.test_recorded',
  data: (input) => ({ testId: input.id, environment: input.environment, result: input.result, notes: input.notes, files: input.files }),
  // Each kept file, in the test's own write: a recorded test never lacks the record of its evidence.
  alsoRecords: (input, written, at, actor) =>
    input.files.map((f) => ({
      at: instant(at),
      actor,
      action: 'evidence.uploaded',
      subject: written.before.id,
      data: { testId: input.id, name: f.name, size: f.size, sha256: f.sha256, mimeType: f.mimeType, slackFileId: f.slackFileId, uploader: actor },
    })),
};

/** Where tests run: the policy's non-production environments; every environment when none is marked so. */
export function testEnvironments(environments: Readonly<Record<string, { readonly production: boolean }>>): string[] {
  const names = Object.keys(environments).sort();
  const nonProduction = names.filter((n) => !environments[n]!.production);
  if (nonProduction.length > 0) return nonProduction;
  return names.length > 0 ? names : ['staging'];
}

/** Stand-ins for the files while nothing is downloaded yet: enough for the transition to judge the form. */
const placeholders = (files: readonly IncomingFile[]): EvidenceFile[] =>
  files.map((f) => ({ sha256: '', size: f.size, name: f.name, mimeType: f.mimeType, slackFileId: f.id }));

export function createRecordTest({ applyStep, checkStep, authorize, intake, newId = randomUUID }: RecordTestDeps): RecordTestUseCase {
  const dryRun = async (id: string, form: TestForm, actor: Actor): Promise<AppError | null> => {
    const result = await checkStep(id, recordTest, { ...form, id: 'check', files: placeholders(form.files) }, actor);
    return result.ok ? null : result.error;
  };

  return {
    check: async (id, form, actor) => (await dryRun(id, form, actor)) ?? checkFiles(form.files),

    async run(id, form, actor, followUp) {
      const refused = await dryRun(id, form, actor);
      if (refused) {
        // Refused before any download; a refusal of authority is audited like every other.
        if (refused.code === 'auth.forbidden') {
          const denied = await authorize(actor, 'test', id);
          return denied.ok ? err(refused) : denied;
        }
        return err(refused);
      }
      const files = await intake(form.files);
      if (!files.ok) return files;
      const kept = files.value;
      const applied = await applyStep(id, STEP, { ...form, id: newId(), files: kept }, actor, followUp && ((w) => followUp({ applied: w, files: kept })));
      return applied.ok ? ok({ applied: applied.value, files: kept }) : applied;
    },
  };
}
