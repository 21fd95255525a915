/**
 * SSM's read operations over the managed instances: DescribeInstanceInformation, ListTagsForResource,
 * DescribeInstancePatchStates, DescribeInstancePatches, ListResourceComplianceSummaries,
 * DescribeMaintenanceWindows. Limits from the botocore/Smithy model (see API-NOTES section 4).
 *
 * Tags: DescribeInstanceInformation returns no tags (the model has none). They are reachable as the real
 * API allows: as filters (`tag:<key>`, `tag-key`) on DescribeInstanceInformation, and through
 * ListTagsForResource(ResourceType ManagedInstance), which works for hybrid `mi-` nodes only; an EC2
 * `i-` id answers InvalidResourceId there (its tags live in EC2).
 */
import type { InstancePatch, MaintenanceWindow, PatchState, SsmInstance } from '../population/types.js';
import { AwsError, epoch, int, list, paginate, str, type Input, type Paged } from './protocol.js';

type Filter = { Key?: string; key?: string; Values?: string[]; valueSet?: string[] };

const SIMPLE_KEYS = ['InstanceIds', 'AgentVersion', 'PingStatus', 'PlatformTypes', 'ActivationIds', 'IamRole', 'ResourceType', 'AssociationStatus'];
const ALLOWED_VALUES: Record<string, string[]> = { PingStatus: ['Online', 'ConnectionLost', 'Inactive'], PlatformTypes: ['Windows', 'Linux', 'MacOS'], ResourceType: ['ManagedInstance', 'EC2Instance'] };

function instanceMatches(i: SsmInstance, key: string, values: string[]): boolean {
  if (key.startsWith('tag:')) return values.includes(i.tags[key.slice(4)] ?? '\u0000');
  switch (key) {
    case 'tag-key': return values.some((k) => k in i.tags);
    case 'InstanceIds': return values.includes(i.instanceId);
    case 'PingStatus': return values.includes(i.pingStatus);
    case 'PlatformTypes': return values.includes(i.platformType);
    case 'ResourceType': return values.includes(i.resourceType);
    case 'AgentVersion': return values.includes(i.agentVersion);
    case 'AssociationStatus': return values.includes('Success');
    default: return false;
  }
}

export function describeInstanceInformation(input: Input, instances: SsmInstance[]): Paged<SsmInstance> {
  const size = int(input, 'MaxResults', 5, 50, 10);
  const filters = [
    ...(list<Filter>(input, 'InstanceInformationFilterList', 100) ?? []).map((f) => ({ key: f.key ?? '', values: f.valueSet ?? [], strict: true })),
    ...(list<Filter>(input, 'Filters', 100) ?? []).map((f) => ({ key: f.Key ?? '', values: f.Values ?? [], strict: false })),
  ];
  for (const f of filters) {
    const tagKey = !f.strict && (f.key.startsWith('tag:') || f.key === 'tag-key');
    if (!tagKey && !SIMPLE_KEYS.includes(f.key)) throw new AwsError('InvalidFilterKey', `The filter key ${f.key} is not valid.`);
    if (f.values.length < 1 || f.values.length > 100) throw new AwsError('ValidationException', `1 validation error detected: Value at '${f.strict ? 'instanceInformationFilterList' : 'filters'}.member.values' failed to satisfy constraint: Member must have length between 1 and 100`);
    const allowed = ALLOWED_VALUES[f.key];
    const bad = allowed && f.values.find((v) => !allowed.includes(v));
    if (bad) throw new AwsError('InvalidInstanceInformationFilterValue', `The filter value ${bad} is not valid for ${f.key}.`);
  }
  const matching = instances.filter((i) => filters.every((f) => instanceMatches(i, f.key, f.values)));
  return paginate('DescribeInstanceInformation', input, matching, size);
}

export function instanceInformationJson(i: SsmInstance): Record<string, unknown> {
  const hybrid = i.resourceType === 'ManagedInstance';
  return {
    InstanceId: i.instanceId, PingStatus: i.pingStatus, LastPingDateTime: epoch(i.lastPingAt), AgentVersion: i.agentVersion, IsLatestVersion: true,
    PlatformType: i.platformType, PlatformName: i.platformName, PlatformVersion: i.platformVersion, ResourceType: i.resourceType,
    IPAddress: i.ipAddress, ComputerName: i.computerName, AssociationStatus: 'Success',
    LastAssociationExecutionDate: epoch(i.lastScanEndAt), LastSuccessfulAssociationExecutionDate: epoch(i.lastScanEndAt),
    AssociationOverview: { DetailedStatus: 'Success', InstanceAssociationStatusAggregatedCount: { Success: 1 } },
    SourceId: i.instanceId, SourceType: hybrid ? 'AWS::SSM::ManagedInstance' : 'AWS::EC2::Instance',
    ...(hybrid ? { ActivationId: '7c1d6f2e-1b3a-4f6e-9d0c-5a8b2e4f6a1d', IamRole: 'SSMServiceRole', RegistrationDate: epoch(i.registeredAt), Name: i.tags.Name ?? i.computerName } : {}),
  };
}

const RESOURCE_TYPES = ['Document', 'ManagedInstance', 'MaintenanceWindow', 'Parameter', 'PatchBaseline', 'OpsItem', 'OpsMetadata', 'Automation', 'Association'];

export function listTagsForResource(input: Input, byId: Map<string, SsmInstance>, windows: MaintenanceWindow[]): Record<string, unknown> {
  const type = str(input, 'ResourceType', true) as string;
  const id = str(input, 'ResourceId', true) as string;
  if (!RESOURCE_TYPES.includes(type)) throw new AwsError('InvalidResourceType', `The resource type ${type} is not valid.`);
  const invalid = new AwsError('InvalidResourceId', `The resource ID "${id}" is not valid. Verify the ID and try again.`);
  if (type === 'MaintenanceWindow') {
    if (!windows.some((w) => w.windowId === id)) throw invalid;
    return { TagList: [] };
  }
  const instance = byId.get(id);
  if (type !== 'ManagedInstance' || !instance || instance.resourceType !== 'ManagedInstance') throw invalid;
  return { TagList: Object.entries(instance.tags).map(([Key, Value]) => ({ Key, Value })) };
}

const nonCompliant = (p: InstancePatch): boolean => p.state === 'MISSING' || p.state === 'FAILED';
const count = (i: SsmInstance, f: (p: InstancePatch) => boolean): number => i.patches.filter(f).length;

export function describeInstancePatchStates(input: Input, byId: Map<string, SsmInstance>): Paged<SsmInstance> {
  const ids = list<string>(input, 'InstanceIds', 50, true) as string[];
  const size = int(input, 'MaxResults', 10, 100, 10);
  // Unknown ids are left out: the operation's model has no InvalidInstanceId error.
  const found = ids.map((id) => byId.get(id)).filter((i): i is SsmInstance => i !== undefined);
  return paginate('DescribeInstancePatchStates', input, found, size);
}

export function patchStateJson(i: SsmInstance): Record<string, unknown> {
  const installedPendingReboot = count(i, (p) => p.state === 'INSTALLED_PENDING_REBOOT');
  return {
    InstanceId: i.instanceId, PatchGroup: i.patchGroup, BaselineId: i.baselineId, SnapshotId: `${i.instanceId.slice(-8)}-5c1e-4b7a-9f0d-${epoch(i.lastScanEndAt).toString(16).padStart(12, '0').slice(-12)}`,
    InstalledCount: count(i, (p) => p.state === 'INSTALLED'), InstalledOtherCount: count(i, (p) => p.state === 'INSTALLED_OTHER'),
    InstalledPendingRebootCount: installedPendingReboot, InstalledRejectedCount: count(i, (p) => p.state === 'INSTALLED_REJECTED'),
    MissingCount: count(i, (p) => p.state === 'MISSING'), FailedCount: count(i, (p) => p.state === 'FAILED'),
    UnreportedNotApplicableCount: 0, NotApplicableCount: count(i, (p) => p.state === 'NOT_APPLICABLE'), AvailableSecurityUpdateCount: 0,
    OperationStartTime: epoch(i.lastScanStartAt), OperationEndTime: epoch(i.lastScanEndAt), Operation: i.lastOperation, RebootOption: installedPendingReboot > 0 ? 'NoReboot' : 'RebootIfNeeded',
    CriticalNonCompliantCount: count(i, (p) => nonCompliant(p) && p.patch.severity === 'Critical'),
    SecurityNonCompliantCount: count(i, (p) => nonCompliant(p) && p.patch.cveIds.length > 0),
    OtherNonCompliantCount: count(i, (p) => nonCompliant(p) && p.patch.cveIds.length === 0),
  };
}

const STATE_FILTER: Record<string, PatchState> = {
  installed: 'INSTALLED', installedother: 'INSTALLED_OTHER', installedpendingreboot: 'INSTALLED_PENDING_REBOOT', installedrejected: 'INSTALLED_REJECTED',
  missing: 'MISSING', notapplicable: 'NOT_APPLICABLE', failed: 'FAILED', availablesecurityupdate: 'AVAILABLE_SECURITY_UPDATE',
};

export function describeInstancePatches(input: Input, byId: Map<string, SsmInstance>): Paged<InstancePatch> {
  const id = str(input, 'InstanceId', true) as string;
  const filters = list<Filter>(input, 'Filters', 5) ?? [];
  const size = int(input, 'MaxResults', 10, 100, 10);
  const instance = byId.get(id);
  if (!instance) throw new AwsError('InvalidInstanceId', `Instance Id ${id} is not valid or is not a managed node.`);
  const tests = filters.map((f) => {
    const key = f.Key ?? '';
    const values = f.Values ?? [];
    if (key === 'State') {
      const states = values.map((v) => STATE_FILTER[v.toLowerCase().replace(/_/g, '')]);
      if (states.some((s) => s === undefined)) throw new AwsError('InvalidFilter', `The filter value for State is not valid: ${values.join(', ')}`);
      return (p: InstancePatch) => states.includes(p.state);
    }
    if (key === 'Classification') return (p: InstancePatch) => values.includes(p.patch.classification);
    if (key === 'Severity') return (p: InstancePatch) => values.includes(p.patch.severity);
    if (key === 'KBId') return (p: InstancePatch) => values.includes(p.patch.kbId);
    throw new AwsError('InvalidFilter', `The filter key ${key} is not valid; use Classification, KBId, Severity or State.`);
  });
  return paginate('DescribeInstancePatches', input, instance.patches.filter((p) => tests.every((t) => t(p))), size);
}

export const patchJson = (p: InstancePatch): Record<string, unknown> => ({
  Title: p.patch.title, KBId: p.patch.kbId, Classification: p.patch.classification, Severity: p.patch.severity, State: p.state,
  InstalledTime: p.installedAt ? epoch(p.installedAt) : 0,
  ...(p.patch.cveIds.length > 0 ? { CVEIds: p.patch.cveIds.join(',') } : {}),
});

const COMPLIANCE_SEVERITY: Record<string, string> = { Critical: 'CRITICAL', Important: 'HIGH', Moderate: 'MEDIUM', Medium: 'MEDIUM', Low: 'LOW' };
const SEVERITY_ORDER = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNSPECIFIED'];
const KEY_OF: Record<string, string> = { CRITICAL: 'CriticalCount', HIGH: 'HighCount', MEDIUM: 'MediumCount', LOW: 'LowCount', INFORMATIONAL: 'InformationalCount', UNSPECIFIED: 'UnspecifiedCount' };

function summary(patches: InstancePatch[]): Record<string, number> {
  const out: Record<string, number> = { CriticalCount: 0, HighCount: 0, MediumCount: 0, LowCount: 0, InformationalCount: 0, UnspecifiedCount: 0 };
  for (const p of patches) {
    const key = KEY_OF[COMPLIANCE_SEVERITY[p.patch.severity] ?? 'UNSPECIFIED'] as string;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

/** Patch compliance only (ComplianceType "Patch"); the patch's severity stands for the baseline's compliance level. */
export function complianceItem(i: SsmInstance): Record<string, unknown> {
  const bad = i.patches.filter(nonCompliant);
  const good = i.patches.filter((p) => !nonCompliant(p));
  const worst = SEVERITY_ORDER.find((s) => bad.some((p) => (COMPLIANCE_SEVERITY[p.patch.severity] ?? 'UNSPECIFIED') === s)) ?? 'UNSPECIFIED';
  return {
    ComplianceType: 'Patch', ResourceType: 'ManagedInstance', ResourceId: i.instanceId, Status: bad.length > 0 ? 'NON_COMPLIANT' : 'COMPLIANT', OverallSeverity: worst,
    ExecutionSummary: { ExecutionTime: epoch(i.lastScanEndAt), ExecutionId: `${i.instanceId}-${epoch(i.lastScanEndAt)}`, ExecutionType: 'Command' },
    CompliantSummary: { CompliantCount: good.length, SeveritySummary: summary(good) },
    NonCompliantSummary: { NonCompliantCount: bad.length, SeveritySummary: summary(bad) },
  };
}

export function listResourceComplianceSummaries(input: Input, instances: SsmInstance[]): Paged<Record<string, unknown>> {
  const size = int(input, 'MaxResults', 1, 50, 10);
  const filters = list<{ Key?: string; Values?: string[]; Type?: string }>(input, 'Filters', 100) ?? [];
  const items = instances.map(complianceItem);
  const matching = items.filter((item) => filters.every((f) => {
    const value = String(item[f.Key ?? ''] ?? '');
    const values = f.Values ?? [];
    if (!['ComplianceType', 'ResourceId', 'ResourceType', 'Status', 'OverallSeverity'].includes(f.Key ?? '')) throw new AwsError('InvalidFilter', `The filter key ${f.Key ?? ''} is not valid.`);
    switch (f.Type ?? 'EQUAL') {
      case 'EQUAL': return values.includes(value);
      case 'NOT_EQUAL': return !values.includes(value);
      case 'BEGIN_WITH': return values.some((v) => value.startsWith(v));
      default: throw new AwsError('InvalidFilter', `The filter type ${f.Type ?? ''} is not supported for ${f.Key ?? ''}.`);
    }
  }));
  return paginate('ListResourceComplianceSummaries', input, matching, size);
}

export function describeMaintenanceWindows(input: Input, windows: MaintenanceWindow[]): Record<string, unknown> {
  const size = int(input, 'MaxResults', 10, 100, 10);
  const filters = list<{ Key?: string; Values?: string[] }>(input, 'Filters', 5) ?? [];
  const matching = windows.filter((w) => filters.every((f) => {
    if (f.Key === 'Name') return (f.Values ?? []).includes(w.name);
    if (f.Key === 'Enabled') return (f.Values ?? []).includes(String(w.enabled));
    throw new AwsError('ValidationException', `1 validation error detected: Value '${f.Key ?? ''}' at 'filters.member.key' failed to satisfy constraint: Member must be one of Name, Enabled`);
  }));
  const page = paginate('DescribeMaintenanceWindows', input, matching, size);
  return {
    WindowIdentities: page.items.map((w) => ({
      WindowId: w.windowId, Name: w.name, Description: w.description, Enabled: w.enabled, Duration: w.duration, Cutoff: w.cutoff,
      Schedule: w.schedule, ScheduleTimezone: w.scheduleTimezone, ...(w.nextExecutionTime ? { NextExecutionTime: w.nextExecutionTime } : {}),
    })),
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
}
