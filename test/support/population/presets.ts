/** The two populations tests and the benchmark use, and the counts a test can assert against. */
import { buildPopulation } from './build-population.js';
import type { PopulationCounts } from './counts.js';
import type { Population } from './types.js';

/** small()'s options, for a test that needs one size changed (SSM is generated last: the rest stays as it is). */
export const SMALL_OPTIONS = {
  seed: 7,
  repos: 4,
  alertsPerRepo: 4,
  dependabotDisabledRepos: 1,
  snykProjects: 4,
  snykIssues: 6,
  cveOverlap: 2,
  instances: 4,
  missingPerInstance: 3,
  installedPerInstance: 2,
  connectionLostInstances: 1,
  instancesWithoutOwner: 1,
  instancesWithoutEnvironment: 1,
  staleScanInstances: 1,
  instancesWithFailedPatch: 1,
  maintenanceWindows: 2,
  kevFromAlerts: 2,
  kevFromPatches: 1,
  kevExtra: 1,
} as const;

/** A handful of records, every trait present at least once; counts in SMALL_EXPECTED. */
export const small = (): Population => buildPopulation(SMALL_OPTIONS);

/** The benchmark's sizes: 50,000 alerts over 1,000 repositories, 20,000 Snyk issues, 2,000 instances x 15 missing. */
export const benchmark = (): Population => buildPopulation({
  seed: 42,
  repos: 1000,
  alerts: 50_000,
  snykProjects: 1100,
  snykIssues: 20_000,
  cveOverlap: 2000,
  instances: 2000,
  missingPerInstance: 15,
  kevExtra: 1100,
});

/**
 * The size `npm run bench` measures at, a company's whole estate: 50,000 Dependabot alerts over 1,000 repositories,
 * 25,000 Snyk issues in 1,100 projects, 2,500 instances x 15 missing patches (112,500 findings). `divide` shrinks
 * every count by that factor (`npm run bench -- --quick` divides by 10).
 */
export const loadScale = (divide = 1): Population => {
  const n = (x: number): number => Math.max(1, Math.round(x / divide));
  return buildPopulation({
    seed: 42,
    repos: n(1000),
    alerts: n(50_000),
    snykProjects: n(1100),
    snykIssues: n(25_000),
    cveOverlap: n(2000),
    instances: n(2500),
    missingPerInstance: 15,
    kevExtra: n(1100),
  });
};

/** What small() holds, worked out by hand from the generators' rules (and pinned by the fakes' tests). */
export const SMALL_EXPECTED = {
  github: {
    repos: 4,
    reposWithAlertsDisabled: 1,
    alerts: 12,
    alertsByState: { open: 8, fixed: 2, dismissed: 1, auto_dismissed: 1 },
    openAlertsBySeverity: { critical: 1, high: 4, medium: 3, low: 0 },
    pulls: 5,
    openPulls: 3,
    mergedPulls: 2,
  },
  snyk: { projects: 4, githubProjects: 4, inactiveProjects: 0, projectsNotTestedIn30Days: 1, issues: 6, openIssues: 5, resolvedIssues: 1, ignoredIssues: 0 },
  ssm: {
    instances: 4,
    windows: 1,
    hybrid: 1,
    connectionLost: 1,
    withoutOwner: 1,
    withoutEnvironment: 1,
    notScannedIn30Days: 1,
    missingPatches: 12,
    failedPatches: 1,
    installedPatches: 8,
    maintenanceWindows: 2,
  },
  dependabotSnykSameCve: 2,
  kev: { entries: 4, openAlertCvesListed: 2, missingPatchCvesListed: 1 },
  epssScores: 246,
} as const satisfies PopulationCounts;

/** Named facts of small() a test can look for. */
export const SMALL_FACTS = {
  org: 'acme',
  disabledRepo: 'acme/payments',
  /** Open in Dependabot and in Snyk on the same repository; the first is also KEV-listed and critical. */
  overlaps: [
    { repo: 'acme/api', alertNumber: 1, cve: 'CVE-2019-20000', package: 'lodash', snykProject: 'acme/api:package.json' },
    { repo: 'acme/web', alertNumber: 1, cve: 'CVE-2026-20031', package: 'pillow', snykProject: 'acme/web:requirements.txt' },
  ],
  kevListedMissingPatch: { kbId: 'KB5030000', cve: 'CVE-2022-60001' },
  staleSnykProject: 'acme/payments:pom.xml',
} as const;
