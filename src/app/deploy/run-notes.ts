/** What a run leaves in the audit log and in a test record's notes, as plain facts. */
import { SYSTEM_ID } from '../../domain/roles.js';
import type { SsmRun } from '../../domain/run-records.js';
import { failedInstances, runCounts } from '../../domain/ssm-run.js';
import { instant } from '../../domain/time.js';
import type { AuditEventInput } from '../audit.js';
import type { SentBatch } from './ssm-commands.js';

/** `ssm.command_sent`: one SendCommand (or one found again by its comment after a crash), with what it asked for. */
export function commandSentEvent(subject: string, runId: string, purpose: 'staging' | 'production' | 'scan', run: SsmRun, sent: SentBatch, at: Date): AuditEventInput {
  return {
    at: instant(at),
    actor: SYSTEM_ID.deploy,
    action: 'ssm.command_sent',
    subject,
    data: {
      runId, purpose, commandId: sent.commandId, comment: sent.comment, foundAfterRestart: sent.found, document: run.document, operation: run.operation,
      rebootOption: run.rebootOption, maxConcurrency: run.maxConcurrency, maxErrors: run.maxErrors, environment: run.environment, instanceIds: [...sent.instanceIds],
    },
  };
}

const nameOf = (i: { instanceId: string; name: string | null }): string => (i.name ? `${i.name} (${i.instanceId})` : i.instanceId);

/** `AWS-RunPatchBaseline Install on 3 instances in staging: 2 succeeded, 1 failed (web-1 (i-0abc): Failed).` */
export function runSummary(run: SsmRun): string {
  const c = runCounts(run);
  const failed = failedInstances(run).slice(0, 10).map((i) => `${nameOf(i)}: ${i.status}`);
  const more = c.failed > failed.length ? ` and ${c.failed - failed.length} more` : '';
  const tail = c.failed > 0 ? `, ${c.failed} failed (${failed.join('; ')}${more})` : '';
  return `${run.document} ${run.operation} on ${c.total} instance${c.total === 1 ? '' : 's'} in ${run.environment}: ${c.succeeded} succeeded${tail}.`;
}
