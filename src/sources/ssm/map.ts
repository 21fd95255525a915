/** SSM managed instances and their missing patches in the domain's words. */
import type { Asset } from '../../domain/asset.js';
import type { Finding } from '../../domain/finding.js';
import { normaliseSeverity } from '../../domain/severity.js';
import type { Instant } from '../../domain/time.js';
import type { InstanceInformation, Patch, PatchState } from './schemas.js';

export const instanceAssetId = (instanceId: string): string => `ssm:${instanceId}`;

export interface Placement {
  readonly environment: string | null;
  /** The owner tag's value, where SSM can read tags (the sync keeps it only when it is a Slack id). */
  readonly owner: string | null;
  /** Every tag read (hybrid `mi-` nodes only: EC2 tags live in EC2's API). */
  readonly tags: Readonly<Record<string, string>>;
}

/** Tags become `tag:<Key>` attributes, for owner rules and for people; a few at most, values cut to 256 characters. */
const MAX_TAGS = 20;
const tagAttributes = (tags: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(tags).sort(([a], [b]) => a.localeCompare(b)).slice(0, MAX_TAGS).map(([k, v]) => [`tag:${k}`, v.slice(0, 256)]));

export function instanceAsset(i: InstanceInformation, state: PatchState | undefined, placement: Placement, now: Instant): Asset {
  const counts: Record<string, string | number | null> = state
    ? {
        missingCount: state.MissingCount ?? 0,
        failedCount: state.FailedCount ?? 0,
        installedCount: state.InstalledCount ?? 0,
        installedPendingRebootCount: state.InstalledPendingRebootCount ?? 0,
        criticalNonCompliantCount: state.CriticalNonCompliantCount ?? 0,
        securityNonCompliantCount: state.SecurityNonCompliantCount ?? 0,
        patchGroup: state.PatchGroup ?? null,
        baselineId: state.BaselineId ?? null,
        lastOperation: state.Operation ?? null,
      }
    : {};
  return {
    id: instanceAssetId(i.InstanceId),
    kind: 'instance',
    // People know an instance by its Name tag where SSM can read it, else by its computer name; the id goes beside it.
    name: placement.tags.Name || i.ComputerName || i.InstanceId,
    source: 'ssm',
    environment: placement.environment,
    owner: placement.owner,
    inScope: true,
    lastSeenAt: now,
    lastScannedAt: state ? state.OperationEndTime.toISOString() : null,
    attributes: {
      pingStatus: i.PingStatus ?? null,
      platform: i.PlatformType ?? null,
      platformName: i.PlatformName ?? null,
      agentVersion: i.AgentVersion ?? null,
      lastPing: i.LastPingDateTime ? i.LastPingDateTime.toISOString() : null,
      resourceType: i.ResourceType ?? null,
      computerName: i.ComputerName ?? null,
      ...counts,
      ...tagAttributes(placement.tags),
    },
  };
}

const CVE = /^CVE-\d{4}-\d+$/;

/** A missing (or failed) patch: one finding per instance and KB, detected when the scan that reports it ended. */
export function patchFinding(instanceId: string, p: Patch, scannedAt: Instant): Finding {
  const cves = [...new Set((p.CVEIds ?? '').split(',').map((c) => c.trim().toUpperCase()).filter((c) => CVE.test(c)))];
  return {
    id: `ssm:${instanceId}:${p.KBId}`,
    source: 'ssm',
    assetId: instanceAssetId(instanceId),
    title: p.Title,
    package: p.KBId,
    ecosystem: null,
    fixedIn: p.KBId,
    reference: p.KBId,
    cves,
    ghsas: [],
    severity: normaliseSeverity(p.Severity),
    cvss: null,
    epss: null,
    kevDueAt: null,
    url: null,
    state: 'open',
    detectedAt: scannedAt,
    fixedAt: null,
    dismissedAt: null,
    remediationId: null,
  };
}

/** What identifies a patch scan: a new scan (or install) gives a new snapshot id and end time. */
export const snapshotKey = (s: PatchState): string => `${s.SnapshotId ?? ''}|${s.OperationEndTime.toISOString()}`;
