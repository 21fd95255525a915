/**
 * Run Command for AWS-RunPatchBaseline: SendCommand validated as the model says (InstanceIds <= 50 or
 * Targets <= 5 with <= 50 values, MaxConcurrency / MaxErrors patterns, TimeoutSeconds 30..2592000),
 * invocations that move Pending -> InProgress -> Success / Failed / TimedOut as they are polled (a ListCommands
 * answer polls every invocation of the commands it lists), and the effect of a finished run on the instance:
 * Scan refreshes the scan time, Install installs the missing and failed patches (INSTALLED_PENDING_REBOOT with
 * RebootOption NoReboot). ListCommands, ListCommandInvocations and GetCommandInvocation read the runs.
 */
import { createHash } from 'node:crypto';
import type { SsmInstance } from '../population/types.js';
import { matchesFilters, readFilters } from './command-filters.js';
import { commandWire, getInvocationWire, invocationWire, pluginName, runOutput, type RunStatus } from './command-wire.js';
import { AwsError, int, paginate, str, type Input, type Paged } from './protocol.js';
import { validateSendCommand, type SendCommandRequest } from './send-command.js';

export interface Progress {
  /** Polls (GetCommandInvocation or ListCommandInvocations) answered Pending; default 1. */
  pendingPolls?: number;
  /** Then polls answered InProgress; default 1. */
  inProgressPolls?: number;
  /** GetCommandInvocation calls answered InvocationDoesNotExist before the invocation shows; default 0. */
  invisibleGets?: number;
}

export interface Invocation {
  instance: SsmInstance;
  observed: number;
  gets: number;
  startedAt: Date | null;
  endedAt: Date | null;
  /** The end state, fixed once reached. */
  final: { Status: string; StatusDetails: string; ResponseCode: number } | null;
}

export interface CommandRecord extends Omit<SendCommandRequest, 'operation' | 'chosen'> {
  id: string;
  requestedAt: Date;
  invocations: Invocation[];
}

const FINAL = ['Success', 'Failed', 'TimedOut'];
const INSTANCE_ID = /^(i|mi)-[0-9a-f]{8,17}$/;

export class CommandBook {
  readonly commands: CommandRecord[] = [];
  /** Instances whose runs end Failed, or TimedOut ("Execution Timed Out"). */
  readonly failing = new Set<string>();
  readonly timingOut = new Set<string>();
  /** stdout of an instance's runs instead of the patch summary (to see the output limits). */
  readonly outputs = new Map<string, string>();
  /** Accepted SendCommand calls by `DocumentName:Operation`, e.g. `AWS-RunPatchBaseline:Install`. */
  readonly sent: Record<string, number> = {};
  private seq = 0;

  constructor(
    private readonly instances: SsmInstance[],
    private readonly byId: Map<string, SsmInstance>,
    private readonly progress: Required<Progress>,
    private readonly clock: () => Date,
  ) {}

  send(input: Input): Record<string, unknown> {
    const { chosen, operation, ...request } = validateSendCommand(input, this.instances, this.byId);
    this.seq += 1;
    const id = createHash('sha1').update(`command-${this.seq}`).digest('hex');
    const record: CommandRecord = {
      ...request, id: `${id.slice(0, 8)}-${id.slice(8, 12)}-4${id.slice(13, 16)}-8${id.slice(17, 20)}-${id.slice(20, 32)}`, requestedAt: this.clock(),
      invocations: chosen.map((instance) => ({ instance, observed: 0, gets: 0, startedAt: null, endedAt: null, final: null })),
    };
    this.commands.push(record);
    const key = `${request.documentName}:${operation}`;
    this.sent[key] = (this.sent[key] ?? 0) + 1;
    return { Command: this.commandJson(record) };
  }

  private status(inv: Invocation): RunStatus {
    if (inv.final) return inv.final;
    const { pendingPolls, inProgressPolls } = this.progress;
    if (inv.observed < pendingPolls) return { Status: 'Pending', StatusDetails: 'Pending', ResponseCode: -1 };
    if (inv.observed < pendingPolls + inProgressPolls) return { Status: 'InProgress', StatusDetails: 'InProgress', ResponseCode: -1 };
    if (inv.instance.pingStatus !== 'Online') return { Status: 'TimedOut', StatusDetails: 'Delivery Timed Out', ResponseCode: -1 };
    if (this.failing.has(inv.instance.instanceId)) return { Status: 'Failed', StatusDetails: 'Failed', ResponseCode: 1 };
    if (this.timingOut.has(inv.instance.instanceId)) return { Status: 'TimedOut', StatusDetails: 'Execution Timed Out', ResponseCode: -1 };
    return { Status: 'Success', StatusDetails: 'Success', ResponseCode: 0 };
  }

  /** One poll of an invocation: answers its current state, then moves it on; applies the run's effect once. */
  private observe(c: CommandRecord, inv: Invocation): RunStatus {
    const s = this.status(inv);
    inv.observed += 1;
    if (s.Status === 'InProgress' && !inv.startedAt) inv.startedAt = this.clock();
    if (FINAL.includes(s.Status) && !inv.final) {
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
    const plugin = str(input, 'PluginName', false);
    if (!INSTANCE_ID.test(instanceId)) throw new AwsError('InvalidInstanceId', `Instance Id ${instanceId} is not valid.`);
    const c = this.find(commandId);
    const inv = c?.invocations.find((x) => x.instance.instanceId === instanceId);
    if (!c || !inv) throw new AwsError('InvocationDoesNotExist', 'An invocation with the given command ID and instance ID does not exist.');
    inv.gets += 1;
    if (inv.gets <= this.progress.invisibleGets) throw new AwsError('InvocationDoesNotExist', 'An invocation with the given command ID and instance ID does not exist.');
    if (plugin !== undefined && plugin !== pluginName(inv.instance)) throw new AwsError('InvalidPluginName', `The plugin name ${plugin} is not valid.`);
    const s = this.observe(c, inv);
    return getInvocationWire(c, inv, s, runOutput(c, inv, s.Status, this.outputs.get(instanceId)));
  }

  list(input: Input): Paged<{ c: CommandRecord; inv: Invocation }> & { details: boolean } {
    const commandId = str(input, 'CommandId', false);
    const instanceId = str(input, 'InstanceId', false);
    const size = int(input, 'MaxResults', 1, 50, 10);
    const filters = readFilters(input, 'ListCommandInvocations');
    const rows = this.selected(commandId, instanceId).flatMap((c) => c.invocations
      .filter((inv) => instanceId === undefined || inv.instance.instanceId === instanceId)
      .filter((inv) => matchesFilters(filters, { ...c, status: this.status(inv), complete: inv.final !== null }))
      .map((inv) => ({ c, inv })));
    return { ...paginate('ListCommandInvocations', input, rows, size), details: input.Details === true };
  }

  /** ListCommands: newest first; each answer polls every invocation of the commands it considers (as Get does). */
  listCommands(input: Input): Paged<{ c: CommandRecord; runs: RunStatus[] }> {
    const commandId = str(input, 'CommandId', false);
    const instanceId = str(input, 'InstanceId', false);
    if (instanceId !== undefined && !INSTANCE_ID.test(instanceId)) throw new AwsError('InvalidInstanceId', `Instance Id ${instanceId} is not valid.`);
    const size = int(input, 'MaxResults', 1, 50, 10);
    const filters = readFilters(input, 'ListCommands');
    const rows = this.selected(commandId, instanceId)
      .map((c) => ({ c, runs: c.invocations.map((inv) => this.observe(c, inv)) }))
      .filter(({ c, runs }) => matchesFilters(filters, { ...c, status: commandStatus(runs), complete: runs.every((r) => FINAL.includes(r.Status)) }));
    return paginate('ListCommands', input, rows, size);
  }

  private selected(commandId: string | undefined, instanceId: string | undefined): CommandRecord[] {
    if (commandId === undefined) return [...this.commands].reverse().filter((c) => instanceId === undefined || c.invocations.some((i) => i.instance.instanceId === instanceId));
    const c = this.find(commandId);
    if (!c) throw new AwsError('InvalidCommandId', `The command ID ${commandId} is not valid.`);
    return [c];
  }

  invocationJson(c: CommandRecord, inv: Invocation, details: boolean): Record<string, unknown> {
    const s = this.observe(c, inv);
    return invocationWire(c, inv, s, runOutput(c, inv, s.Status, this.outputs.get(inv.instance.instanceId)), details);
  }

  /** The Command object; `runs` as a ListCommands poll saw them, else their current state. */
  commandJson(c: CommandRecord, runs = c.invocations.map((inv) => this.status(inv))): Record<string, unknown> {
    return commandWire(c, runs, commandStatus(runs).Status);
  }
}

/** Pending until a run starts, InProgress until all end, then Failed if any failed or timed out, else Success. */
function commandStatus(runs: RunStatus[]): { Status: string; StatusDetails: string } {
  const done = runs.filter((r) => FINAL.includes(r.Status)).length;
  const status = done === runs.length ? (runs.some((r) => r.Status !== 'Success') ? 'Failed' : 'Success') : runs.some((r) => r.Status !== 'Pending') ? 'InProgress' : 'Pending';
  return { Status: status, StatusDetails: status };
}
