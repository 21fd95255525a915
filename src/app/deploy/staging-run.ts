/**
 * Run in staging (engineers, leads; OS patches that are assessed or in testing): `Operation=Install` on the staging
 * environment's targets, followed to the end and recorded as a test run (pass only when every instance succeeded)
 * with each instance's status and output: test evidence nobody had to upload.
 *
 * The run is written down (KeyValue `staging-runs`, by remediation) before anything is sent, so the runner (under
 * the remediation's lease) resumes it after a restart; its commands carry the run id and are never sent twice.
 */
import { randomUUID } from 'node:crypto';
import { beginStagingRun, recordRunTest, type RunTestInput } from '../../domain/deploy-transitions.js';
import { err, ok, type Result } from '../../domain/result.js';
import { actorId, SYSTEM, type Actor } from '../../domain/roles.js';
import type { SsmRun } from '../../domain/run-records.js';
import { runPassed } from '../../domain/ssm-run.js';
import { instant, type Instant } from '../../domain/time.js';
import { ExternalServiceError, type AppError } from '../errors.js';
import type { Applied, Step } from '../workflow/apply-step.js';
import type { DeployDeps, Pace } from './deploy-deps.js';
import type { EffectInput } from '../outbox/effects.js';
import { commandSentEvent, runSummary } from './run-notes.js';
import { createSayStep } from './say-step.js';
import { sendOnce, trackRun, type SentBatch } from './ssm-commands.js';
import { plannedRun, plannedTargets, resolveTargets, type Targets } from './targets.js';

export const STAGING_RUNS = 'staging-runs';

export interface StagingRunRecord {
  readonly runId: string;
  readonly remediationId: string;
  readonly by: string;
  readonly startedAt: Instant;
  readonly run: SsmRun;
}

export interface StagingStart {
  readonly applied: Applied;
  readonly record: StagingRunRecord;
}

export interface StagingRuns {
  /** The blast radius a person confirms (as the store last saw the instances). */
  plan(id: string): Promise<Result<Targets, AppError>>;
  /**
   * Checks, resolves the instances with SSM and writes the run down, with the Slack effects `followUp` gives; the
   * runner then sends and follows it.
   */
  request(id: string, actor: Actor, followUp?: (started: StagingStart) => readonly EffectInput[]): Promise<Result<StagingStart, AppError>>;
  /** Sends (once) and follows the remediation's run to its end, then records it as a test. */
  run(id: string, pace: Pace): Promise<void>;
  inFlight(): Promise<string[]>;
}

const BEGIN: Step<{ runId: string; environment: string; run: SsmRun }> = {
  transition: (r, { runId, environment }, ctx) => beginStagingRun(r, { runId, environment }, ctx),
  action: 'remediation.staging_run_started',
  data: ({ runId, environment, run }) => ({ runId, environment, document: run.document, operation: run.operation, rebootOption: run.rebootOption, instances: run.instances.map((i) => i.instanceId) }),
};
const RECORD: Step<RunTestInput> = {
  transition: recordRunTest,
  action: 'remediation.test_recorded',
  data: (input) => ({ testId: input.id, environment: input.environment, result: input.result, notes: input.notes, by: input.by, run: input.run }),
};

export function createStagingRuns(deps: DeployDeps): StagingRuns {
  const { store, policy, connectors, applyStep, announcer, now, timing } = deps;
  const say = createSayStep(deps);
  const newId = deps.newId ?? randomUUID;
  const kv = store.kv;

  async function finish(record: StagingRunRecord, run: SsmRun, failure: string | null): Promise<void> {
    const id = record.remediationId;
    const passed = failure === null && runPassed(run);
    const notes = failure ? `SSM refused the run: ${failure}` : runSummary(run);
    const input: RunTestInput = { id: record.runId, by: record.by, environment: run.environment, result: passed ? 'pass' : 'fail', notes, run };
    const recorded = await say(id, RECORD, input, SYSTEM.deploy, (r) => ({ kind: 'staging_finished', r, by: record.by, run, recorded: true }));
    if (!recorded.ok) {
      deps.logger.warn({ remediationId: id, code: recorded.error.code }, 'a staging run ended but could not be recorded as a test');
      const r = await store.remediations.get(id);
      if (r) await store.commit({ events: [], effects: announcer.effects({ kind: 'staging_finished', r, by: record.by, run, recorded: false }) });
      await announcer.flush(id);
    }
    await kv.delete(STAGING_RUNS, id);
  }

  return {
    plan: async (id) => {
      const r = await store.remediations.get(id);
      if (!r) return err({ code: 'remediation.not_found', id });
      if (!connectors.ssm) return err({ code: 'deploy.not_configured', service: 'AWS Systems Manager' });
      return plannedTargets({ store, environments: policy.environments }, r, 'staging');
    },

    async request(id, actor, followUp) {
      const r = await store.remediations.get(id);
      if (!r) return err({ code: 'remediation.not_found', id });
      const dry = beginStagingRun(r, { runId: 'check', environment: 'staging' }, { actor, now: now(), sla: policy.sla });
      if (!dry.ok) return dry.error.code === 'auth.forbidden' ? ((await deps.authorize(actor, 'test', id)) as Result<never, AppError>) : dry;
      if (await kv.get(STAGING_RUNS, id)) return err({ code: 'deploy.run_in_progress' });
      const targets = await resolveTargets({ store, connectors, environments: policy.environments }, r, 'staging');
      if (!targets.ok) return targets;
      const claim = `staging-run:${id}:${r.version}`;
      if (!(await store.idempotency.claim(claim, now()))) return err({ code: 'deploy.run_in_progress' });
      const record: StagingRunRecord = { runId: `s-${newId()}`, remediationId: id, by: actorId(actor), startedAt: instant(now()), run: plannedRun(policy.deploy, 'Install', targets.value) };
      await kv.put(STAGING_RUNS, id, record);
      const applied = await applyStep(id, BEGIN, { runId: record.runId, environment: targets.value.environment, run: record.run }, actor, followUp && ((w) => followUp({ applied: w, record })));
      if (!applied.ok) {
        await kv.delete(STAGING_RUNS, id);
        await store.idempotency.release(claim);
        return applied;
      }
      return ok({ applied: applied.value, record });
    },

    async run(id, pace) {
      let record = await kv.get<StagingRunRecord>(STAGING_RUNS, id);
      const ssm = connectors.ssm;
      if (!record || !ssm) return;
      const save = async (run: SsmRun, sent?: SentBatch) => {
        if (sent) await store.audit.append([commandSentEvent(id, record!.runId, 'staging', run, sent, now())]);
        record = { ...record!, run };
        await kv.put(STAGING_RUNS, id, record);
      };
      let run: SsmRun;
      try {
        run = await sendOnce(ssm, record.run, record.runId, new Date(record.startedAt), save, pace);
      } catch (e) {
        if (!(e instanceof ExternalServiceError) || e.retryable) throw e;
        return finish(record, record.run, e.message);
      }
      const tracked = await trackRun(ssm, run, new Date(record.startedAt), pace, timing, save);
      if (tracked.finished) await finish(record, tracked.run, null);
    },

    inFlight: async () => [...(await kv.list(STAGING_RUNS)).keys()],
  };
}
