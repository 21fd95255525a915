/** Reading an SSM run: which invocations are over, how they ended, how far the run is (pure). */
import type { InstanceRun, InvocationStatus, SsmRun } from './run-records.js';

/** SendCommand takes at most 50 instance ids: one command per 50 targets. */
export const COMMAND_BATCH = 50;

/** Statuses an invocation never leaves. */
export const FINISHED_STATUSES: readonly InvocationStatus[] = ['Success', 'Failed', 'TimedOut', 'Cancelled', 'DeliveryTimedOut', 'ExecutionTimedOut', 'Undeliverable', 'Terminated'];

export const isFinished = (s: InvocationStatus): boolean => FINISHED_STATUSES.includes(s);

/** SSM reports both timeouts as `TimedOut`; StatusDetails tells them apart (and names Undeliverable, Terminated). */
export function invocationStatus(status: string, details: string): InvocationStatus {
  const d = details.replace(/\s+/g, '').toLowerCase();
  if (status === 'TimedOut' && d === 'deliverytimedout') return 'DeliveryTimedOut';
  if (status === 'TimedOut' && d === 'executiontimedout') return 'ExecutionTimedOut';
  if (status === 'Failed' && d === 'undeliverable') return 'Undeliverable';
  if (status === 'Failed' && d === 'terminated') return 'Terminated';
  const known: readonly string[] = ['Pending', 'InProgress', 'Delayed', 'Success', 'Failed', 'TimedOut', 'Cancelled', 'Cancelling'];
  return (known.includes(status) ? status : 'Pending') as InvocationStatus;
}

export interface RunCounts {
  readonly total: number;
  readonly done: number;
  readonly succeeded: number;
  readonly failed: number;
}

export function runCounts(run: Pick<SsmRun, 'instances'>): RunCounts {
  let done = 0;
  let succeeded = 0;
  for (const i of run.instances) {
    if (!isFinished(i.status)) continue;
    done += 1;
    if (i.status === 'Success') succeeded += 1;
  }
  return { total: run.instances.length, done, succeeded, failed: done - succeeded };
}

export const runFinished = (run: Pick<SsmRun, 'instances'>): boolean => run.instances.every((i) => isFinished(i.status));

/** A run passes only when it reached every target and each one succeeded. */
export const runPassed = (run: Pick<SsmRun, 'instances'>): boolean => run.instances.length > 0 && run.instances.every((i) => i.status === 'Success');

export const failedInstances = (run: Pick<SsmRun, 'instances'>): InstanceRun[] => run.instances.filter((i) => isFinished(i.status) && i.status !== 'Success');

/** Splits targets into SendCommand-sized batches, in order. */
export function batches<T>(items: readonly T[], size = COMMAND_BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
