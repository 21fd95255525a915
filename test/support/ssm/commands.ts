/**
 * Run Command for AWS-RunPatchBaseline: SendCommand validated as the model says (InstanceIds <= 50 or
 * Targets <= 5 with <= 50 values, MaxConcurrency / MaxErrors patterns, TimeoutSeconds 30..2592000),
 * invocations that move Pending -> InProgress -> Success / Failed / TimedOut as they are polled, and the
 * effect of a finished run on the instance: Scan refreshes the scan time, Install installs the missing
 * and failed patches (INSTALLED_PENDING_REBOOT with RebootOption NoReboot).
 */
import { createHash } from 'node:crypto';
import type { SsmInstance } from '../population/types.js';
import { AwsError, epoch, int, list, paginate, pattern, str, type Input, type Paged } from './protocol.js';

export interface Progress {
  /** Polls (GetCommandInvocation or ListCommandInvocations) answered Pending; default 1. */
  pendingPolls?: number;
  /** Then polls answered InProgress; default 1. */
  inProgressPolls?: number;
  /** GetCommandInvocation calls answered InvocationDoesNotExist before the invocation shows; default 0. */
  invisibleGets?: number;
}

interface Invocation {
  instance: SsmInstance;
  observed: number;
  gets: number;
  startedAt: Date | null;
  endedAt: Date | null;
  /** The end state, fixed once reached. */
  final: { Status: string; StatusDetails: string; ResponseCode: number } | null;
}

export interface CommandRecord {
  id: string;
  documentName: string;
  parameters: Record<string, string[]>;
  instanceIds: string[];
  targets: { Key: string; Values: string[] }[];
  comment: string;
  requestedAt: Date;
  timeoutSeconds: number;
  maxConcurrency: string;
  maxErrors: string;
  invocations: Invocation[];
}

const PATCH_PARAMETERS = ['Operation', 'RebootOption', 'SnapshotId', 'InstallOverrideList', 'BaselineOverride', 'AssociationId'];
const iso = (d: Date | null): string => (d ? d.toISOString() : '');
const plugin = (i: SsmInstance): string => (i.platformType === 'Windows' ? 'PatchWindows' : 'PatchLinux');

export class CommandBook {
  readonly commands: CommandRecord[] = [];
  readonly failing = new Set<string>();
  private seq = 0;

  constructor(
    private readonly instances: SsmInstance[],
    private readonly byId: Map<string, SsmInstance>,
    private readonly progress: Required<Progress>,
    private readonly clock: () => Date,
  ) {}

  send(input: Input): Record<string, unknown> {
    const documentName = str(input, 'DocumentName', true) as string;
    const ids = list<string>(input, 'InstanceIds', 50);
    const targets = list<{ Key: string; Values: string[] }>(input, 'Targets', 5);
    const timeoutSeconds = int(input, 'TimeoutSeconds', 30, 2_592_000, 3600);
    const comment = str(input, 'Comment', false) ?? '';
    if (comment.length > 100) throw new AwsError('ValidationException', `1 validation error detected: Value '${comment}' at 'comment' failed to satisfy constraint: Member must have length less than or equal to 100`);
    const maxConcurrency = pattern(input, 'MaxConcurrency', /^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$/, 7) ?? '50';
    const maxErrors = pattern(input, 'MaxErrors', /^([1-9][0-9]*|[0]|[1-9][0-9]%|[0-9]%|100%)$/, 7) ?? '0';
    for (const t of targets ?? []) if ((t.Values ?? []).length > 50) throw new AwsError('ValidationException', "1 validation error detected: Value at 'targets.member.values' failed to satisfy constraint: Member must have length less than or equal to 50");
    if (documentName !== 'AWS-RunPatchBaseline') throw new AwsError('InvalidDocument', `Document with name ${documentName} does not exist.`);
    const parameters = (input.Parameters ?? {}) as Record<string, string[]>;
    const unknown = Object.keys(parameters).find((k) => !PATCH_PARAMETERS.includes(k));
    if (unknown) throw new AwsError('InvalidParameters', `Parameter "${unknown}" is not recognized by document AWS-RunPatchBaseline.`);
    const operation = parameters.Operation?.[0];
    if (operation !== 'Scan' && operation !== 'Install') throw new AwsError('InvalidParameters', 'Parameter "Operation" must be "Scan" or "Install".');
    if (!['RebootIfNeeded', 'NoReboot', undefined].includes(parameters.RebootOption?.[0])) throw new AwsError('InvalidParameters', 'Parameter "RebootOption" must be "RebootIfNeeded" or "NoReboot".');
    if ((ids === undefined) === (targets === undefined)) throw new AwsError('ValidationException', 'Specify either InstanceIds or Targets, not both and not neither.');
    let chosen: SsmInstance[];
    if (ids) {
      const missing = ids.filter((id) => !this.byId.has(id));
      if (missing.length > 0) throw new AwsError('InvalidInstanceId', `Instances [[${missing.join(', ')}]] not in a valid state for account 123456789012`);
      chosen = ids.map((id) => this.byId.get(id) as SsmInstance);
    } else {
      chosen = this.instances.filter((i) => (targets ?? []).every((t) => matchesTarget(i, t)));
    }
    this.seq += 1;
    const now = this.clock();
    const id = createHash('sha1').update(`command-${this.seq}`).digest('hex');
    const record: CommandRecord = {
      id: `${id.slice(0, 8)}-${id.slice(8, 12)}-4${id.slice(13, 16)}-8${id.slice(17, 20)}-${id.slice(20, 32)}`,
      documentName, parameters, instanceIds: ids ?? [], targets: targets ?? [], comment, requestedAt: now, timeoutSeconds, maxConcurrency, maxErrors,
      invocations: chosen.map((instance) => ({ instance, observed: 0, gets: 0, startedAt: null, endedAt: null, final: null })),
    };
    this.commands.push(record);
    return { Command: this.commandJson(record) };
  }

  private status(inv: Invocation): { Status: string; StatusDetails: string; ResponseCode: number } {
    if (inv.final) return inv.final;
    const { pendingPolls, inProgressPolls } = this.progress;
    if (inv.observed < pendingPolls) return { Status: 'Pending', StatusDetails: 'Pending', ResponseCode: -1 };
    if (inv.observed < pendingPolls + inProgressPolls) return { Status: 'InProgress', StatusDetails: 'InProgress', ResponseCode: -1 };
    if (inv.instance.pingStatus !== 'Online') return { Status: 'TimedOut', StatusDetails: 'Delivery Timed Out', ResponseCode: -1 };
    if (this.failing.has(inv.instance.instanceId)) return { Status: 'Failed', StatusDetails: 'Failed', ResponseCode: 1 };
    return { Status: 'Success', StatusDetails: 'Success', ResponseCode: 0 };
  }

  /** One poll of an invocation: answers its current state, then moves it on; applies the run's effect once. */
  private observe(c: CommandRecord, inv: Invocation): { Status: string; StatusDetails: string; ResponseCode: number } {
    const s = this.status(inv);
    inv.observed += 1;
    if (s.Status === 'InProgress' && !inv.startedAt) inv.startedAt = this.clock();
    if (['Success', 'Failed', 'TimedOut'].includes(s.Status) && !inv.final) {
      inv.final = s;
      inv.startedAt ??= this.clock();
      inv.endedAt = this.clock();
      if (s.Status === 'Success') this.apply(c, inv);
    }
    return s;
  }

  private apply(c: CommandRecord, inv: Invocation): void {
    const i = inv.instance;
    const at = (inv.endedAt ?? this.clock()).toISOString();
    i.lastScanStartAt = (inv.startedAt ?? this.clock()).toISOString();
    i.lastScanEndAt = at;
    i.lastOperation = c.parameters.Operation?.[0] === 'Install' ? 'Install' : 'Scan';
    if (i.lastOperation !== 'Install') return;
    const state = c.parameters.RebootOption?.[0] === 'NoReboot' ? 'INSTALLED_PENDING_REBOOT' : 'INSTALLED';
    for (const p of i.patches) if (p.state === 'MISSING' || p.state === 'FAILED') Object.assign(p, { state, installedAt: at });
  }

  /** Finish every invocation now, as if each had been polled to the end. */
  completeAll(): void {
    const total = this.progress.pendingPolls + this.progress.inProgressPolls;
    for (const c of this.commands) for (const inv of c.invocations) while (!inv.final && inv.observed <= total) this.observe(c, inv);
  }

  private find(commandId: string): CommandRecord | undefined {
    if (!/^[0-9a-f-]{36}$/.test(commandId)) throw new AwsError('InvalidCommandId', `The command ID ${commandId} is not valid.`);
    return this.commands.find((c) => c.id === commandId);
  }

  get(input: Input): Record<string, unknown> {
    const commandId = str(input, 'CommandId', true) as string;
    const instanceId = str(input, 'InstanceId', true) as string;
    const pluginName = str(input, 'PluginName', false);
    if (!/^(i|mi)-[0-9a-f]{8,17}$/.test(instanceId)) throw new AwsError('InvalidInstanceId', `Instance Id ${instanceId} is not valid.`);
    const c = this.find(commandId);
    const inv = c?.invocations.find((x) => x.instance.instanceId === instanceId);
    if (!c || !inv) throw new AwsError('InvocationDoesNotExist', 'An invocation with the given command ID and instance ID does not exist.');
    inv.gets += 1;
    if (inv.gets <= this.progress.invisibleGets) throw new AwsError('InvocationDoesNotExist', 'An invocation with the given command ID and instance ID does not exist.');
    if (pluginName !== undefined && pluginName !== plugin(inv.instance)) throw new AwsError('InvalidPluginName', `The plugin name ${pluginName} is not valid.`);
    const s = this.observe(c, inv);
    const out = this.output(c, inv, s.Status);
    return {
      CommandId: c.id, InstanceId: instanceId, Comment: c.comment, DocumentName: c.documentName, DocumentVersion: '$DEFAULT', PluginName: plugin(inv.instance),
      ResponseCode: s.ResponseCode, ExecutionStartDateTime: iso(inv.startedAt), ExecutionElapsedTime: inv.endedAt && inv.startedAt ? `PT${((inv.endedAt.getTime() - inv.startedAt.getTime()) / 1000).toFixed(3)}S` : '',
      ExecutionEndDateTime: iso(inv.endedAt), Status: s.Status, StatusDetails: s.StatusDetails,
      StandardOutputContent: out.stdout, StandardOutputUrl: '', StandardErrorContent: out.stderr, StandardErrorUrl: '',
      CloudWatchOutputConfig: { CloudWatchLogGroupName: '', CloudWatchOutputEnabled: false },
    };
  }

  list(input: Input): Paged<{ c: CommandRecord; inv: Invocation }> & { details: boolean } {
    const commandId = str(input, 'CommandId', false);
    const instanceId = str(input, 'InstanceId', false);
    const size = int(input, 'MaxResults', 1, 50, 10);
    const filters = list<{ key?: string; value?: string }>(input, 'Filters', 5) ?? [];
    for (const f of filters) if (!['InvokedAfter', 'InvokedBefore', 'Status', 'ExecutionStage', 'DocumentName'].includes(f.key ?? '')) throw new AwsError('InvalidFilterKey', `The filter key ${f.key ?? ''} is not valid.`);
    const commands = commandId !== undefined ? [this.find(commandId)] : [...this.commands].reverse();
    if (commands[0] === undefined && commandId !== undefined) throw new AwsError('InvalidCommandId', `The command ID ${commandId} is not valid.`);
    const rows = commands.flatMap((c) => (c as CommandRecord).invocations
      .filter((inv) => instanceId === undefined || inv.instance.instanceId === instanceId)
      .filter((inv) => filters.every((f) => (f.key === 'DocumentName' ? (c as CommandRecord).documentName === f.value : f.key === 'Status' ? this.status(inv).Status === f.value : true)))
      .map((inv) => ({ c: c as CommandRecord, inv })));
    return { ...paginate('ListCommandInvocations', input, rows, size), details: input.Details === true };
  }

  invocationJson(c: CommandRecord, inv: Invocation, details: boolean): Record<string, unknown> {
    const s = this.observe(c, inv);
    const out = this.output(c, inv, s.Status);
    return {
      CommandId: c.id, InstanceId: inv.instance.instanceId, InstanceName: inv.instance.computerName, Comment: c.comment, DocumentName: c.documentName,
      DocumentVersion: '$DEFAULT', RequestedDateTime: epoch(c.requestedAt), Status: s.Status, StatusDetails: s.StatusDetails, TraceOutput: '',
      StandardOutputUrl: '', StandardErrorUrl: '', ServiceRole: '',
      NotificationConfig: { NotificationArn: '', NotificationEvents: [], NotificationType: '' },
      CloudWatchOutputConfig: { CloudWatchLogGroupName: '', CloudWatchOutputEnabled: false },
      CommandPlugins: details ? [{
        Name: plugin(inv.instance), Status: s.Status, StatusDetails: s.StatusDetails, ResponseCode: s.ResponseCode,
        ...(inv.startedAt ? { ResponseStartDateTime: epoch(inv.startedAt) } : {}), ...(inv.endedAt ? { ResponseFinishDateTime: epoch(inv.endedAt) } : {}),
        Output: `${out.stdout}${out.stderr ? `\n----------ERROR-------\n${out.stderr}` : ''}`.slice(0, 2500), StandardOutputUrl: '', StandardErrorUrl: '', OutputS3Region: 'us-east-1', OutputS3BucketName: '', OutputS3KeyPrefix: '',
      }] : [],
    };
  }

  commandJson(c: CommandRecord): Record<string, unknown> {
    const states = c.invocations.map((inv) => this.status(inv).Status);
    const done = states.filter((s) => ['Success', 'Failed', 'TimedOut'].includes(s)).length;
    const errors = states.filter((s) => s === 'Failed' || s === 'TimedOut').length;
    const status = done === states.length ? (errors > 0 ? 'Failed' : 'Success') : states.some((s) => s !== 'Pending') ? 'InProgress' : 'Pending';
    return {
      CommandId: c.id, DocumentName: c.documentName, DocumentVersion: '$DEFAULT', Comment: c.comment, ExpiresAfter: epoch(c.requestedAt) + c.timeoutSeconds,
      Parameters: c.parameters, InstanceIds: c.instanceIds, Targets: c.targets, RequestedDateTime: epoch(c.requestedAt), Status: status, StatusDetails: status,
      OutputS3Region: 'us-east-1', OutputS3BucketName: '', OutputS3KeyPrefix: '', MaxConcurrency: c.maxConcurrency, MaxErrors: c.maxErrors,
      TargetCount: c.invocations.length, CompletedCount: done, ErrorCount: errors, DeliveryTimedOutCount: states.filter((s) => s === 'TimedOut').length,
      ServiceRole: '', NotificationConfig: { NotificationArn: '', NotificationEvents: [], NotificationType: '' },
      CloudWatchOutputConfig: { CloudWatchLogGroupName: '', CloudWatchOutputEnabled: false }, TimeoutSeconds: c.timeoutSeconds,
    };
  }

  private output(c: CommandRecord, inv: Invocation, status: string): { stdout: string; stderr: string } {
    if (status === 'Pending' || status === 'TimedOut') return { stdout: '', stderr: '' };
    const i = inv.instance;
    const n = (state: string): number => i.patches.filter((p) => p.state === state).length;
    const lines = [
      `Patch Summary for ${i.instanceId}`, `PatchGroup          : ${i.patchGroup}`, `BaselineId          : ${i.baselineId}`,
      `OperationType       : ${c.parameters.Operation?.[0] ?? ''}`, `OperationStartTime  : ${iso(inv.startedAt)}`, `OperationEndTime    : ${iso(inv.endedAt)}`,
      `InstalledCount      : ${n('INSTALLED')}`, `InstalledPendingRebootCount : ${n('INSTALLED_PENDING_REBOOT')}`, `MissingCount        : ${n('MISSING')}`, `FailedCount         : ${n('FAILED')}`,
    ];
    return status === 'Failed' ? { stdout: lines.join('\n'), stderr: `Failed to install package: exit status 1 on ${i.instanceId}` } : { stdout: status === 'Success' ? lines.join('\n') : '', stderr: '' };
  }
}

function matchesTarget(i: SsmInstance, t: { Key: string; Values: string[] }): boolean {
  if (t.Key === 'InstanceIds') return t.Values.includes(i.instanceId);
  if (t.Key === 'tag-key') return t.Values.some((k) => k in i.tags);
  if (t.Key.startsWith('tag:')) return t.Values.includes(i.tags[t.Key.slice(4)] ?? '\u0000');
  return false;
}
