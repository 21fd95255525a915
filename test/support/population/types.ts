/**
 * Raw records of a generated population, one kind per outside system. They are source-shaped facts, not
 * patchwarden's domain: each fake turns them into its API's wire format, and tests compare what an adapter
 * stored against them. Records point at shared catalogue entries (Advisory, PatchDefinition) by reference,
 * so 50,000 alerts stay small in memory.
 */
export type Severity = 'low' | 'medium' | 'high' | 'critical';
export type Ecosystem = 'npm' | 'pip' | 'maven' | 'go' | 'rubygems' | 'nuget' | 'composer' | 'rust';

/** One vulnerability in one package: a GHSA with its CVE (or none) and its Snyk id. */
export interface Advisory {
  index: number;
  ghsaId: string;
  cveId: string | null;
  snykId: string;
  ecosystem: Ecosystem;
  packageName: string;
  summary: string;
  description: string;
  severity: Severity;
  cvssScore: number;
  cvssVector: string;
  cwes: { cweId: string; name: string }[];
  vulnerableRange: string;
  /** The version the vulnerable projects have installed. */
  installedVersion: string;
  firstPatched: string | null;
  publishedAt: string;
  updatedAt: string;
}

export interface GhRepo {
  id: number;
  name: string;
  fullName: string;
  ecosystem: Ecosystem;
  private: boolean;
  archived: boolean;
  /** false: the alerts API answers 403 "Dependabot alerts are disabled for this repository." */
  dependabotAlerts: boolean;
  defaultBranch: string;
  createdAt: string;
  updatedAt: string;
  pushedAt: string;
}

export type GhAlertState = 'open' | 'dismissed' | 'fixed' | 'auto_dismissed';

export interface GhAlert {
  /** Position in population.github.alerts; the fakes' stable tie-breaker. */
  seq: number;
  repo: GhRepo;
  number: number;
  advisory: Advisory;
  state: GhAlertState;
  manifestPath: string;
  scope: 'runtime' | 'development';
  relationship: 'direct' | 'transitive' | 'unknown';
  createdAt: string;
  updatedAt: string;
  dismissedAt: string | null;
  dismissedReason: 'fix_started' | 'inaccurate' | 'no_bandwidth' | 'not_used' | 'tolerable_risk' | null;
  dismissedComment: string | null;
  fixedAt: string | null;
  autoDismissedAt: string | null;
}

/** A Dependabot pull request (open for some open alerts, merged for every fixed one). */
export interface GhPull {
  repo: GhRepo;
  number: number;
  alertNumber: number | null;
  title: string;
  headRef: string;
  headSha: string;
  baseRef: string;
  baseSha: string;
  state: 'open' | 'closed';
  merged: boolean;
  mergeable: boolean;
  mergedAt: string | null;
  mergeCommitSha: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  /** Combined CI state of the head commit. */
  checks: 'success' | 'failure' | 'pending';
}

export interface SnykProject {
  id: string;
  name: string;
  /** Snyk's package-manager type: npm, pip, maven, gomodules, rubygems, nuget, composer, cargo. */
  type: string;
  targetFile: string;
  targetReference: string;
  origin: 'github' | 'cli';
  targetId: string;
  /** The GitHub repository the project scans, when origin is github and the repo is in the org. */
  repo: GhRepo | null;
  created: string;
  status: 'active' | 'inactive';
  /** Last test time; served as meta.latest_issue_counts.updated_at. */
  lastTestedAt: string;
}

export interface SnykIssue {
  seq: number;
  id: string;
  key: string;
  project: SnykProject;
  advisory: Advisory;
  status: 'open' | 'resolved';
  ignored: boolean;
  createdAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  /** True for the deliberate cross-source pairs: a Dependabot alert with the same CVE on the same repo. */
  overlapsDependabot: boolean;
}

export type PatchState =
  | 'INSTALLED' | 'INSTALLED_OTHER' | 'INSTALLED_PENDING_REBOOT' | 'INSTALLED_REJECTED'
  | 'MISSING' | 'NOT_APPLICABLE' | 'FAILED' | 'AVAILABLE_SECURITY_UPDATE';

export interface PatchDefinition {
  platform: 'Windows' | 'Linux';
  kbId: string;
  title: string;
  classification: string;
  /** SSM's vocabulary: Critical, Important, Moderate/Medium, Low, Unspecified. */
  severity: string;
  cveIds: string[];
}

export interface InstancePatch {
  patch: PatchDefinition;
  state: PatchState;
  installedAt: string | null;
}

export interface SsmInstance {
  instanceId: string;
  resourceType: 'EC2Instance' | 'ManagedInstance';
  platformType: 'Windows' | 'Linux';
  platformName: string;
  platformVersion: string;
  agentVersion: string;
  pingStatus: 'Online' | 'ConnectionLost' | 'Inactive';
  lastPingAt: string;
  computerName: string;
  ipAddress: string;
  registeredAt: string;
  tags: Record<string, string>;
  patchGroup: string;
  baselineId: string;
  lastOperation: 'Scan' | 'Install';
  lastScanStartAt: string;
  lastScanEndAt: string;
  patches: InstancePatch[];
}

export interface MaintenanceWindow {
  windowId: string;
  name: string;
  description: string;
  enabled: boolean;
  duration: number;
  cutoff: number;
  schedule: string;
  scheduleTimezone: string;
  nextExecutionTime: string;
}

/** Exactly CISA's field names. */
export interface KevEntry {
  cveID: string;
  vendorProject: string;
  product: string;
  vulnerabilityName: string;
  dateAdded: string;
  shortDescription: string;
  requiredAction: string;
  dueDate: string;
  knownRansomwareCampaignUse: 'Known' | 'Unknown';
  notes: string;
  cwes: string[];
}

export interface EpssScore {
  cve: string;
  epss: number;
  percentile: number;
}

export interface Population {
  seed: number;
  now: string;
  advisories: Advisory[];
  github: { org: string; orgId: number; repos: GhRepo[]; alerts: GhAlert[]; pulls: GhPull[] };
  snyk: { orgId: string; projects: SnykProject[]; issues: SnykIssue[] };
  ssm: { instances: SsmInstance[]; patchCatalogue: PatchDefinition[]; maintenanceWindows: MaintenanceWindow[] };
  kev: { catalogVersion: string; dateReleased: string; entries: KevEntry[] };
  epss: { date: string; scores: EpssScore[] };
}
