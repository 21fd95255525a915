/** SSM managed instances with tags, patch states and missing patches; maintenance windows. */
import { days, isoSeconds, spread, type Rng } from './prng.js';
import type { InstancePatch, MaintenanceWindow, PatchDefinition, SsmInstance } from './types.js';

export interface SsmPlan {
  instances: number;
  missingPerInstance: number;
  installedPerInstance: number;
  connectionLost: number;
  withoutOwner: number;
  withoutEnvironment: number;
  staleScan: number;
  withFailedPatch: number;
}

export const OWNERS = ['team-payments', 'team-platform', 'team-identity', 'team-data'] as const;
const ROLES = ['web', 'worker', 'db', 'batch'] as const;
const LINUX = [['Amazon Linux', '2023'], ['Ubuntu', '22.04'], ['Red Hat Enterprise Linux', '9.4']] as const;

/**
 * Instance i: Windows when i % 4 == 0; a hybrid `mi-` node when i % 8 == 3 (the only kind whose tags
 * ListTagsForResource returns); staging when i % 3 == 2, else production; owner OWNERS[i % 4].
 * Traits land on spread() sets with different phases so that, in small populations, different instances get them.
 */
export function buildInstances(rng: Rng, plan: SsmPlan, catalogue: PatchDefinition[], nowMs: number): SsmInstance[] {
  const n = plan.instances;
  const lost = spread(plan.connectionLost, n, 0);
  const noOwner = spread(plan.withoutOwner, n, 1);
  const noEnv = spread(plan.withoutEnvironment, n, 2);
  const stale = spread(plan.staleScan, n, 3);
  const failed = spread(plan.withFailedPatch, n, 1);
  const byPlatform = { Windows: catalogue.filter((p) => p.platform === 'Windows'), Linux: catalogue.filter((p) => p.platform === 'Linux') };
  const baseline = { Windows: `pb-0${rng.hex(16)}`, Linux: `pb-0${rng.hex(16)}` };
  return Array.from({ length: n }, (_, i) => {
    const windows = i % 4 === 0;
    const platformType = windows ? 'Windows' : 'Linux';
    const hybrid = i % 8 === 3;
    const env = i % 3 === 2 ? 'staging' : 'production';
    const tags: Record<string, string> = { Name: `${env}-${ROLES[i % 4]}-${i + 1}` };
    if (!noEnv.has(i)) tags.Environment = env;
    if (!noOwner.has(i)) tags.Owner = OWNERS[i % 4] as string;
    tags['Patch Group'] = env;
    const scanEnd = stale.has(i) ? nowMs - days(45) : nowMs - ((i % 24) + 1) * 3_600_000;
    const pool = byPlatform[platformType];
    const base = (i * 5) % Math.max(pool.length, 1);
    const at = (k: number): PatchDefinition => pool[(base + k) % pool.length] as PatchDefinition;
    const patches: InstancePatch[] = [];
    for (let k = 0; k < plan.missingPerInstance; k += 1) patches.push({ patch: at(k), state: 'MISSING', installedAt: null });
    for (let k = 0; k < plan.installedPerInstance; k += 1) {
      patches.push({ patch: at(plan.missingPerInstance + k), state: 'INSTALLED', installedAt: isoSeconds(nowMs - days(20 + k)) });
    }
    if (failed.has(i)) patches.push({ patch: at(plan.missingPerInstance + plan.installedPerInstance), state: 'FAILED', installedAt: null });
    const [platformName, platformVersion] = windows ? ['Microsoft Windows Server 2022 Datacenter', '10.0.20348'] : (LINUX[i % 3] as readonly [string, string]);
    return {
      instanceId: hybrid ? `mi-${rng.hex(17)}` : `i-0${rng.hex(16)}`,
      resourceType: hybrid ? 'ManagedInstance' : 'EC2Instance',
      platformType,
      platformName,
      platformVersion,
      agentVersion: '3.3.1142.0',
      pingStatus: lost.has(i) ? 'ConnectionLost' : 'Online',
      lastPingAt: isoSeconds(lost.has(i) ? nowMs - days(12) : nowMs - (i % 5) * 60_000),
      computerName: windows ? `EC2AMAZ-${rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 7)}` : `ip-10-0-${(i >> 8) & 255}-${i & 255}.ec2.internal`,
      ipAddress: `10.0.${(i >> 8) & 255}.${i & 255}`,
      registeredAt: isoSeconds(nowMs - days(300)),
      tags,
      patchGroup: env,
      baselineId: baseline[platformType],
      lastOperation: 'Scan',
      lastScanStartAt: isoSeconds(scanEnd - 240_000),
      lastScanEndAt: isoSeconds(scanEnd),
      patches,
    };
  });
}

const WINDOW_TEMPLATES = [
  { name: 'production-monthly-patching', description: 'Second Sunday of the month, 02:00-06:00', schedule: 'cron(0 2 ? * SUN#2 *)', duration: 4, cutoff: 1, enabled: true },
  { name: 'staging-weekly-patching', description: 'Every Wednesday, 22:00-00:00', schedule: 'cron(0 22 ? * WED *)', duration: 2, cutoff: 0, enabled: true },
  { name: 'emergency-patching', description: 'Kept for out-of-band fixes; enabled by hand', schedule: 'rate(7 days)', duration: 3, cutoff: 1, enabled: false },
] as const;

export function buildMaintenanceWindows(rng: Rng, count: number, nowMs: number): MaintenanceWindow[] {
  return Array.from({ length: count }, (_, w) => {
    const t = WINDOW_TEMPLATES[w % WINDOW_TEMPLATES.length] as (typeof WINDOW_TEMPLATES)[number];
    const suffix = w < WINDOW_TEMPLATES.length ? '' : `-${w + 1}`;
    return {
      windowId: `mw-${rng.hex(17)}`,
      name: `${t.name}${suffix}`,
      description: t.description,
      enabled: t.enabled,
      duration: t.duration,
      cutoff: t.cutoff,
      schedule: t.schedule,
      scheduleTimezone: 'Europe/London',
      nextExecutionTime: t.enabled ? `${isoSeconds(nowMs + days(3 + w)).slice(0, 11)}02:00Z` : '',
    };
  });
}
