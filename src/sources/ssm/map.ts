/** SSM managed instances and their missing patches in the domain's words. */
import type { Asset } from '../../domain/asset.js';
import type { Finding } from '../../domain/finding.js';
import { normaliseSeverity } from '../../domain/severity.js';
import type { Instant } from '../../domain/time.js';
import type { InstanceInformation, Patch, PatchState } from './schemas.js';

export const instanceAssetId = (instanceId: string): string => `ssm:${instanceId}`;

export interface Placement {
  readonly environment: string | null;
  readonly owner: string | null;
}

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
    name: i.ComputerName || i.InstanceId,
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
      ...counts,
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
