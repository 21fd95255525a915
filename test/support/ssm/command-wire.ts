/**
 * Run Command results on the wire: the Command object (SendCommand, ListCommands), CommandInvocation
 * (ListCommandInvocations, with CommandPlugins when Details is true) and GetCommandInvocation's answer. Also what an
 * AWS-RunPatchBaseline run prints, and how much of it the API returns: StandardOutputContent stops at 24,000
 * characters and CommandPlugins[].Output at 2,500 (the model's limits; the rest would be in S3).
 */
import type { SsmInstance } from '../population/types.js';
import type { CommandRecord, Invocation } from './commands.js';
import { epoch } from './protocol.js';

export type RunStatus = { Status: string; StatusDetails: string; ResponseCode: number };

export const STANDARD_OUTPUT_LIMIT = 24_000;
export const PLUGIN_OUTPUT_LIMIT = 2_500;

const iso = (d: Date | null): string => (d ? d.toISOString() : '');
export const pluginName = (i: SsmInstance): string => (i.platformType === 'Windows' ? 'PatchWindows' : 'PatchLinux');
const NO_NOTIFICATIONS = { NotificationArn: '', NotificationEvents: [], NotificationType: '' };
const NO_CLOUDWATCH = { CloudWatchLogGroupName: '', CloudWatchOutputEnabled: false };

/** stdout and stderr of an invocation in `status`; `override` replaces the summary stdout (knobs.setCommandOutput). */
export function runOutput(c: CommandRecord, inv: Invocation, status: string, override?: string): { stdout: string; stderr: string } {
  if (status === 'Pending' || status === 'TimedOut') return { stdout: '', stderr: '' };
  const i = inv.instance;
  const n = (state: string): number => i.patches.filter((p) => p.state === state).length;
  const summary = [
    `Patch Summary for ${i.instanceId}`, `PatchGroup          : ${i.patchGroup}`, `BaselineId          : ${i.baselineId}`,
    `OperationType       : ${c.parameters.Operation?.[0] ?? ''}`, `OperationStartTime  : ${iso(inv.startedAt)}`, `OperationEndTime    : ${iso(inv.endedAt)}`,
    `InstalledCount      : ${n('INSTALLED')}`, `InstalledPendingRebootCount : ${n('INSTALLED_PENDING_REBOOT')}`, `MissingCount        : ${n('MISSING')}`, `FailedCount         : ${n('FAILED')}`,
  ].join('\n');
  const stdout = override ?? summary;
  if (status === 'Failed') return { stdout, stderr: `Failed to install package: exit status 1 on ${i.instanceId}` };
  return { stdout: status === 'InProgress' ? '' : stdout, stderr: '' };
}

type Output = { stdout: string; stderr: string };

export function getInvocationWire(c: CommandRecord, inv: Invocation, s: RunStatus, out: Output): Record<string, unknown> {
  const elapsed = inv.endedAt && inv.startedAt ? `PT${((inv.endedAt.getTime() - inv.startedAt.getTime()) / 1000).toFixed(3)}S` : '';
  return {
    CommandId: c.id, InstanceId: inv.instance.instanceId, Comment: c.comment, DocumentName: c.documentName, DocumentVersion: '$DEFAULT', PluginName: pluginName(inv.instance),
    ResponseCode: s.ResponseCode, ExecutionStartDateTime: iso(inv.startedAt), ExecutionElapsedTime: elapsed, ExecutionEndDateTime: iso(inv.endedAt),
    Status: s.Status, StatusDetails: s.StatusDetails, StandardOutputContent: out.stdout.slice(0, STANDARD_OUTPUT_LIMIT), StandardOutputUrl: '',
    StandardErrorContent: out.stderr.slice(0, 8000), StandardErrorUrl: '', CloudWatchOutputConfig: NO_CLOUDWATCH,
  };
}

export function invocationWire(c: CommandRecord, inv: Invocation, s: RunStatus, out: Output, details: boolean): Record<string, unknown> {
  return {
    CommandId: c.id, InstanceId: inv.instance.instanceId, InstanceName: inv.instance.computerName, Comment: c.comment, DocumentName: c.documentName,
    DocumentVersion: '$DEFAULT', RequestedDateTime: epoch(c.requestedAt), Status: s.Status, StatusDetails: s.StatusDetails, TraceOutput: '',
    StandardOutputUrl: '', StandardErrorUrl: '', ServiceRole: '', NotificationConfig: NO_NOTIFICATIONS, CloudWatchOutputConfig: NO_CLOUDWATCH,
    CommandPlugins: details ? [{
      Name: pluginName(inv.instance), Status: s.Status, StatusDetails: s.StatusDetails, ResponseCode: s.ResponseCode,
      ...(inv.startedAt ? { ResponseStartDateTime: epoch(inv.startedAt) } : {}), ...(inv.endedAt ? { ResponseFinishDateTime: epoch(inv.endedAt) } : {}),
      Output: `${out.stdout}${out.stderr ? `\n----------ERROR-------\n${out.stderr}` : ''}`.slice(0, PLUGIN_OUTPUT_LIMIT),
      StandardOutputUrl: '', StandardErrorUrl: '', OutputS3Region: 'us-east-1', OutputS3BucketName: '', OutputS3KeyPrefix: '',
    }] : [],
  };
}

export function commandWire(c: CommandRecord, runs: RunStatus[], status: string): Record<string, unknown> {
  const count = (f: (s: RunStatus) => boolean): number => runs.filter(f).length;
  return {
    CommandId: c.id, DocumentName: c.documentName, DocumentVersion: '$DEFAULT', Comment: c.comment, ExpiresAfter: epoch(c.requestedAt) + c.timeoutSeconds,
    Parameters: c.parameters, InstanceIds: c.instanceIds, Targets: c.targets, RequestedDateTime: epoch(c.requestedAt), Status: status, StatusDetails: status,
    OutputS3Region: 'us-east-1', OutputS3BucketName: '', OutputS3KeyPrefix: '', MaxConcurrency: c.maxConcurrency, MaxErrors: c.maxErrors,
    TargetCount: runs.length, CompletedCount: count((s) => ['Success', 'Failed', 'TimedOut'].includes(s.Status)),
    ErrorCount: count((s) => s.Status === 'Failed' || s.Status === 'TimedOut'), DeliveryTimedOutCount: count((s) => s.StatusDetails === 'Delivery Timed Out'),
    ServiceRole: '', NotificationConfig: NO_NOTIFICATIONS, CloudWatchOutputConfig: NO_CLOUDWATCH, TimeoutSeconds: c.timeoutSeconds,
  };
}
