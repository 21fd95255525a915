/** buildPopulation: one deterministic, cross-linked population for every fake, from a handful of records to benchmark size. */
import { buildAdvisories, buildPatchCatalogue, ECOSYSTEMS } from './catalogue.js';
import { buildEpss, buildKev } from './feeds.js';
import { buildAlerts, buildPulls, buildRepos } from './github.js';
import { createRng, isoDate } from './prng.js';
import { buildIssues, buildProjects } from './snyk.js';
import { buildInstances, buildMaintenanceWindows } from './ssm.js';
import type { Advisory, Ecosystem, Population } from './types.js';

export interface PopulationOptions {
  seed?: number;
  /** The population's clock; default 2026-11-01T09:00:00.000Z (test/support/builders.ts T0). */
  now?: string;
  org?: string;
  snykOrgId?: string;
  repos: number;
  /** Alerts on each repository that has Dependabot alerts enabled; or give `alerts` in total. */
  alertsPerRepo?: number;
  alerts?: number;
  /** The last N repositories have Dependabot alerts disabled. Default 2% (at least 1 when repos >= 2). */
  dependabotDisabledRepos?: number;
  snykProjects: number;
  snykIssues: number;
  instances: number;
  missingPerInstance: number;
  installedPerInstance?: number;
  /** Open Dependabot alerts repeated by a Snyk issue on the project that scans the same repository. */
  cveOverlap: number;
  connectionLostInstances?: number;
  instancesWithoutOwner?: number;
  instancesWithoutEnvironment?: number;
  staleScanInstances?: number;
  instancesWithFailedPatch?: number;
  maintenanceWindows?: number;
  kevFromAlerts?: number;
  kevFromPatches?: number;
  kevExtra?: number;
}

const share = (n: number, fraction: number, min: number): number => (n <= 0 ? 0 : Math.max(min, Math.round(n * fraction)));
const ceilDiv = (a: number, b: number): number => (b <= 0 ? 0 : Math.ceil(a / b));

export function buildPopulation(o: PopulationOptions): Population {
  const seed = o.seed ?? 1;
  const rng = createRng(seed);
  const now = o.now ?? '2026-11-01T09:00:00.000Z';
  const nowMs = Date.parse(now);
  const org = o.org ?? 'acme';
  const disabled = Math.min(o.repos, o.dependabotDisabledRepos ?? (o.repos >= 2 ? share(o.repos, 0.02, 1) : 0));
  const enabled = o.repos - disabled;
  const total = o.alerts ?? (o.alertsPerRepo ?? 0) * enabled;
  const alertsFor = (e: number): number => (e >= enabled ? 0 : o.alerts === undefined ? (o.alertsPerRepo ?? 0) : Math.floor(total / enabled) + (e < total % enabled ? 1 : 0));
  const issuesPerProject = ceilDiv(o.snykIssues, o.snykProjects);
  const perEcosystem = Math.max(24, Math.ceil(alertsFor(0) + issuesPerProject + 4));
  const advisories = buildAdvisories(rng, perEcosystem, nowMs);
  const byEcosystem = new Map<Ecosystem, Advisory[]>(ECOSYSTEMS.map((e) => [e, advisories.filter((a) => a.ecosystem === e)]));
  const advisoriesOf = (e: Ecosystem): Advisory[] => byEcosystem.get(e) ?? [];
  const blockStart = (repoIndex: number, size: number): number => (repoIndex * 7) % size;

  const gh = { org, repos: o.repos, disabledRepos: disabled, alertsFor, advisoriesOf, blockStart };
  const repos = buildRepos(rng, gh, nowMs);
  const alerts = buildAlerts(rng, gh, repos, nowMs);
  const pulls = buildPulls(rng, alerts);

  const sn = { org, projects: o.snykProjects, issues: o.snykIssues, cveOverlap: o.cveOverlap, advisoriesOf, blockStart, alertsOnRepo: alertsFor };
  const projects = buildProjects(rng, sn, repos, nowMs);
  const issues = buildIssues(rng, sn, projects, alerts, nowMs);

  const n = o.instances;
  const patchCatalogue = buildPatchCatalogue(rng, Math.max(24, 2 * (o.missingPerInstance + (o.installedPerInstance ?? 3) + 1)));
  const instances = buildInstances(rng, {
    instances: n,
    missingPerInstance: o.missingPerInstance,
    installedPerInstance: o.installedPerInstance ?? 3,
    connectionLost: o.connectionLostInstances ?? share(n, 0.04, 1),
    withoutOwner: o.instancesWithoutOwner ?? share(n, 0.05, 1),
    withoutEnvironment: o.instancesWithoutEnvironment ?? share(n, 0.03, 1),
    staleScan: o.staleScanInstances ?? share(n, 0.03, 1),
    withFailedPatch: o.instancesWithFailedPatch ?? share(n, 0.05, 1),
  }, patchCatalogue, nowMs);
  const maintenanceWindows = buildMaintenanceWindows(rng, o.maintenanceWindows ?? 3, nowMs);

  const alertCves = new Set(alerts.map((a) => a.advisory.cveId).filter((c): c is string => c !== null));
  const kevEntries = buildKev(rng, {
    kevFromAlerts: o.kevFromAlerts ?? share(alertCves.size, 0.05, 1),
    kevFromPatches: o.kevFromPatches ?? share(n, 0.01, 1),
    kevExtra: o.kevExtra ?? 0,
  }, alerts, issues, instances, nowMs);
  const kevSet = new Set(kevEntries.map((k) => k.cveID));
  const cves = [...advisories.map((a) => a.cveId).filter((c): c is string => c !== null), ...patchCatalogue.flatMap((p) => p.cveIds), ...kevSet];
  const scores = buildEpss(rng, cves, kevSet);

  return {
    seed,
    now,
    advisories,
    github: { org, orgId: 9_100_001, repos, alerts, pulls },
    snyk: { orgId: o.snykOrgId ?? '3f1a6c2e-5b7d-4c1e-9a0b-2d4e6f8a1c3e', projects, issues },
    ssm: { instances, patchCatalogue, maintenanceWindows },
    kev: { catalogVersion: isoDate(nowMs).replace(/-/g, '.'), dateReleased: now, entries: kevEntries },
    epss: { date: isoDate(nowMs), scores },
  };
}
