/** Counts of a population's raw records: what a complete, exact sync must end up with. */
import type { GhAlertState, Population, Severity } from './types.js';

export interface PopulationCounts {
  github: {
    repos: number;
    reposWithAlertsDisabled: number;
    alerts: number;
    alertsByState: Record<GhAlertState, number>;
    openAlertsBySeverity: Record<Severity, number>;
    pulls: number;
    openPulls: number;
    mergedPulls: number;
  };
  snyk: { projects: number; githubProjects: number; inactiveProjects: number; projectsNotTestedIn30Days: number; issues: number; openIssues: number; resolvedIssues: number; ignoredIssues: number };
  ssm: {
    instances: number;
    windows: number;
    hybrid: number;
    connectionLost: number;
    withoutOwner: number;
    withoutEnvironment: number;
    notScannedIn30Days: number;
    missingPatches: number;
    failedPatches: number;
    installedPatches: number;
    maintenanceWindows: number;
  };
  /** (repository, CVE) pairs open in both Dependabot and Snyk. */
  dependabotSnykSameCve: number;
  kev: { entries: number; openAlertCvesListed: number; missingPatchCvesListed: number };
  epssScores: number;
}

const tally = <K extends string>(keys: readonly K[], values: Iterable<K>): Record<K, number> => {
  const out = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  for (const v of values) out[v] += 1;
  return out;
};

export function countsOf(p: Population): PopulationCounts {
  const now = Date.parse(p.now);
  const older = (iso: string): boolean => now - Date.parse(iso) > 30 * 86_400_000;
  const { repos, alerts, pulls } = p.github;
  const open = alerts.filter((a) => a.state === 'open');
  const kev = new Set(p.kev.entries.map((k) => k.cveID));
  const openAlertPairs = new Set(open.filter((a) => a.advisory.cveId).map((a) => `${a.repo.fullName}|${a.advisory.cveId}`));
  const snykPairs = new Set(p.snyk.issues.filter((i) => i.status === 'open' && i.project.repo && i.advisory.cveId).map((i) => `${i.project.repo?.fullName}|${i.advisory.cveId}`));
  const patches = p.ssm.instances.flatMap((i) => i.patches);
  const count = <T>(xs: readonly T[], f: (x: T) => boolean): number => xs.filter(f).length;
  return {
    github: {
      repos: repos.length,
      reposWithAlertsDisabled: count(repos, (r) => !r.dependabotAlerts),
      alerts: alerts.length,
      alertsByState: tally(['open', 'fixed', 'dismissed', 'auto_dismissed'] as const, alerts.map((a) => a.state)),
      openAlertsBySeverity: tally(['critical', 'high', 'medium', 'low'] as const, open.map((a) => a.advisory.severity)),
      pulls: pulls.length,
      openPulls: count(pulls, (x) => x.state === 'open'),
      mergedPulls: count(pulls, (x) => x.merged),
    },
    snyk: {
      projects: p.snyk.projects.length,
      githubProjects: count(p.snyk.projects, (x) => x.origin === 'github'),
      inactiveProjects: count(p.snyk.projects, (x) => x.status === 'inactive'),
      projectsNotTestedIn30Days: count(p.snyk.projects, (x) => older(x.lastTestedAt)),
      issues: p.snyk.issues.length,
      openIssues: count(p.snyk.issues, (x) => x.status === 'open'),
      resolvedIssues: count(p.snyk.issues, (x) => x.status === 'resolved'),
      ignoredIssues: count(p.snyk.issues, (x) => x.ignored),
    },
    ssm: {
      instances: p.ssm.instances.length,
      windows: count(p.ssm.instances, (x) => x.platformType === 'Windows'),
      hybrid: count(p.ssm.instances, (x) => x.resourceType === 'ManagedInstance'),
      connectionLost: count(p.ssm.instances, (x) => x.pingStatus === 'ConnectionLost'),
      withoutOwner: count(p.ssm.instances, (x) => !x.tags.Owner),
      withoutEnvironment: count(p.ssm.instances, (x) => !x.tags.Environment),
      notScannedIn30Days: count(p.ssm.instances, (x) => older(x.lastScanEndAt)),
      missingPatches: count(patches, (x) => x.state === 'MISSING'),
      failedPatches: count(patches, (x) => x.state === 'FAILED'),
      installedPatches: count(patches, (x) => x.state === 'INSTALLED'),
      maintenanceWindows: p.ssm.maintenanceWindows.length,
    },
    dependabotSnykSameCve: [...snykPairs].filter((k) => openAlertPairs.has(k)).length,
    kev: {
      entries: p.kev.entries.length,
      openAlertCvesListed: new Set(open.map((a) => a.advisory.cveId).filter((c): c is string => c !== null && kev.has(c))).size,
      missingPatchCvesListed: new Set(patches.filter((x) => x.state === 'MISSING').flatMap((x) => x.patch.cveIds).filter((c) => kev.has(c))).size,
    },
    epssScores: p.epss.scores.length,
  };
}
