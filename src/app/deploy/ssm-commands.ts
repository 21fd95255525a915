/**
 * An SSM run's commands, sent exactly once and followed to the end. Each batch of at most 50 instances is one
 * command whose Comment carries the run's id (`patchwarden <run id> 2/3`); before sending, the commands already
 * carrying it are looked up (ListCommands), so a send whose answer was lost in a crash is found, never repeated.
 * `save` is called with each command id before the next batch goes out, and with each change of the instances'
 * statuses while the run is followed: one ListCommands per round (with a growing wait) says how far each command
 * is; only a command whose count moved has its invocations read (ListCommandInvocations). The output (the first
 * 2,500 characters, as SSM returns it) and times are read once, when every invocation of a command has finished.
 */
import { batches, COMMAND_BATCH, runCounts, runFinished } from '../../domain/ssm-run.js';
import type { InstanceRun, SsmRun } from '../../domain/run-records.js';
import type { DeployTiming, Pace } from './deploy-deps.js';
import type { InvocationReport, SsmRuns } from './deploy-ports.js';

export const commentPrefix = (runId: string): string => `patchwarden ${runId} `;
const commentFor = (runId: string, k: number, n: number): string => `${commentPrefix(runId)}${k + 1}/${n}`;

/** A command of the run as it became known: sent now, or found by its comment (sent before a crash). */
export interface SentBatch {
  readonly commandId: string;
  readonly comment: string;
  readonly instanceIds: readonly string[];
  readonly found: boolean;
}

export type SaveRun = (run: SsmRun, sent?: SentBatch) => Promise<void>;

/** Commands are looked up from a little before the run started (clocks differ). */
const LOOKBACK_MS = 10 * 60_000;
const from = (since: Date): Date => new Date(since.getTime() - LOOKBACK_MS);

/** Sends what is not sent yet; stops before a send once `pace` says so (the lease is lost: another process goes on). */
export async function sendOnce(ssm: SsmRuns, run: SsmRun, runId: string, since: Date, save: SaveRun, pace: Pick<Pace, 'stopped'>): Promise<SsmRun> {
  const groups = batches(run.instances.map((i) => i.instanceId));
  if (run.commandIds.length >= groups.length) return run;
  const ours = async () => new Map((await ssm.listCommands(run.document, from(since))).filter((c) => c.comment.startsWith(commentPrefix(runId))).map((c) => [c.comment, c.commandId]));
  const earlier = await ours();
  let current = run;
  for (let k = current.commandIds.length; k < groups.length; k += 1) {
    const comment = commentFor(runId, k, groups.length);
    const instanceIds = groups[k]!;
    let commandId = earlier.get(comment);
    const found = commandId !== undefined;
    if (!commandId) {
      if (pace.stopped()) return current;
      const request = { document: run.document, operation: run.operation, rebootOption: run.rebootOption, maxConcurrency: run.maxConcurrency, maxErrors: run.maxErrors, instanceIds, comment };
      try {
        commandId = (await ssm.send(request)).commandId;
      } catch (e) {
        // The answer may be what was lost, not the command: a command found by its comment was sent.
        commandId = (await ours().catch(() => new Map<string, string>())).get(comment);
        if (!commandId) throw e;
      }
    }
    current = { ...current, commandIds: [...current.commandIds, commandId] };
    await save(current, { commandId, comment, instanceIds, found });
  }
  return current;
}

function merged(run: SsmRun, reports: readonly InvocationReport[], details: boolean): SsmRun {
  const byId = new Map(reports.map((r) => [r.instanceId, r]));
  const instances = run.instances.map((i): InstanceRun => {
    const r = byId.get(i.instanceId);
    if (!r) return i;
    const seen = { ...i, name: r.name ?? i.name, status: r.status, statusDetails: r.statusDetails };
    return details ? { ...seen, responseCode: r.responseCode, output: r.output, startedAt: r.startedAt, finishedAt: r.finishedAt } : seen;
  });
  return { ...run, instances };
}

const statusKey = (run: SsmRun): string => run.instances.map((i) => `${i.status}|${i.name ?? ''}`).join(',');
const batchOf = (run: SsmRun, k: number): Pick<SsmRun, 'instances'> => ({ instances: run.instances.slice(k * COMMAND_BATCH, (k + 1) * COMMAND_BATCH) });

export interface Tracked {
  readonly run: SsmRun;
  /** False when the work had to stop first (the bot is stopping, the lease was lost): whoever resumes finishes it. */
  readonly finished: boolean;
}

/** Follows the run's commands until every invocation has finished, reading each command's output once it has. */
export async function trackRun(ssm: SsmRuns, run: SsmRun, since: Date, pace: Pace, timing: Pick<DeployTiming, 'pollFirstMs' | 'pollMaxMs'>, save: SaveRun): Promise<Tracked> {
  let current = run;
  let wait = timing.pollFirstMs;
  const detailed = new Set<string>();
  for (;;) {
    if (pace.stopped()) return { run: current, finished: false };
    const before = statusKey(current);
    const summaries = new Map((await ssm.listCommands(current.document, from(since))).map((c) => [c.commandId, c]));
    for (const [k, commandId] of current.commandIds.entries()) {
      if (detailed.has(commandId)) continue;
      const batch = batchOf(current, k);
      const s = summaries.get(commandId);
      // Only a command that moved (or that ListCommands does not show yet) has its invocations read.
      if (s && s.completed === runCounts(batch).done && !runFinished(batch)) continue;
      current = merged(current, await ssm.invocations(commandId, false), false);
      if (runFinished(batchOf(current, k))) {
        current = merged(current, await ssm.invocations(commandId, true), true);
        detailed.add(commandId);
      }
    }
    if (statusKey(current) !== before || detailed.size === current.commandIds.length) await save(current);
    if (detailed.size === current.commandIds.length && runFinished(current)) return { run: current, finished: true };
    await pace.sleep(wait);
    wait = Math.min(Math.round(wait * 1.5), timing.pollMaxMs);
  }
}
