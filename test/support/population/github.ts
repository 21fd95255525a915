/** Repositories, Dependabot alerts and Dependabot pull requests of one GitHub organisation. */
import { ECOSYSTEM_FACTS } from './catalogue.js';
import { days, isoSeconds, type Rng } from './prng.js';
import type { Advisory, Ecosystem, GhAlert, GhAlertState, GhPull, GhRepo } from './types.js';

const FIRST_NAMES = ['api', 'web', 'billing', 'payments', 'auth', 'search', 'notifications', 'reports', 'gateway', 'mobile-backend', 'admin', 'infra-tools'];
/** The primary ecosystem of repository i is ECOSYSTEM_MIX[i % 20]: npm-heavy, like most organisations. */
const ECOSYSTEM_MIX: readonly Ecosystem[] = ['npm', 'pip', 'npm', 'maven', 'npm', 'go', 'pip', 'npm', 'rubygems', 'npm', 'maven', 'pip', 'npm', 'nuget', 'go', 'npm', 'composer', 'pip', 'maven', 'rust'];
/** Alert state by creation order (seq % 10): 6 open, 2 fixed, 1 dismissed, 1 auto-dismissed. */
const STATE_CYCLE: readonly GhAlertState[] = ['open', 'open', 'open', 'open', 'open', 'open', 'fixed', 'fixed', 'dismissed', 'auto_dismissed'];
const DISMISSALS = [
  ['tolerable_risk', 'Not reachable from the public endpoints; accepted by the lead.'],
  ['not_used', 'Only used by a build script.'],
  ['inaccurate', 'Vendored copy is already patched.'],
  ['no_bandwidth', null],
  ['fix_started', 'Upgrade in progress.'],
] as const;
const BRANCH_PREFIX: Record<Ecosystem, string> = { npm: 'npm_and_yarn', pip: 'pip', maven: 'maven', go: 'go_modules', rubygems: 'bundler', nuget: 'nuget', composer: 'composer', rust: 'cargo' };

export interface GithubPlan {
  org: string;
  repos: number;
  disabledRepos: number;
  /** Number of alerts for the i-th repository that has Dependabot alerts enabled. */
  alertsFor: (enabledIndex: number) => number;
  /** Advisories of one ecosystem; the repo's alerts take a contiguous block of them starting at blockStart. */
  advisoriesOf: (ecosystem: Ecosystem) => Advisory[];
  blockStart: (repoIndex: number, catalogueSize: number) => number;
}

export const repoEcosystem = (i: number): Ecosystem => ECOSYSTEM_MIX[i % ECOSYSTEM_MIX.length] as Ecosystem;

export function buildRepos(rng: Rng, plan: GithubPlan, nowMs: number): GhRepo[] {
  return Array.from({ length: plan.repos }, (_, i) => {
    const name = i < FIRST_NAMES.length ? (FIRST_NAMES[i] as string) : `service-${String(i + 1).padStart(4, '0')}`;
    const created = nowMs - days(1500) + i * Math.floor(days(1000) / Math.max(plan.repos, 1));
    return {
      id: 700_000 + i,
      name,
      fullName: `${plan.org}/${name}`,
      ecosystem: repoEcosystem(i),
      private: i % 5 !== 4,
      archived: false,
      dependabotAlerts: i < plan.repos - plan.disabledRepos,
      defaultBranch: 'main',
      createdAt: isoSeconds(created),
      updatedAt: isoSeconds(nowMs - days(rng.between(1, 60))),
      pushedAt: isoSeconds(nowMs - days(rng.between(0, 30))),
    };
  });
}

/** Alerts in creation order, interleaved across repositories so every repository gets a mix of states. */
export function buildAlerts(rng: Rng, plan: GithubPlan, repos: GhRepo[], nowMs: number): GhAlert[] {
  const enabled = repos.filter((r) => r.dependabotAlerts);
  const counts = enabled.map((_, e) => plan.alertsFor(e));
  const total = counts.reduce((a, b) => a + b, 0);
  const maxCount = Math.max(0, ...counts);
  const start = nowMs - days(365);
  const step = Math.floor(days(365) / (total + 1));
  const alerts: GhAlert[] = [];
  for (let k = 0; k < maxCount; k += 1) {
    enabled.forEach((repo, e) => {
      if (k >= (counts[e] ?? 0)) return;
      const seq = alerts.length;
      const catalogue = plan.advisoriesOf(repo.ecosystem);
      const advisory = catalogue[(plan.blockStart(repo.id - 700_000, catalogue.length) + k) % catalogue.length] as Advisory;
      const state = STATE_CYCLE[seq % STATE_CYCLE.length] as GhAlertState;
      const created = start + (seq + 1) * step;
      const closed = Math.min(created + days(rng.between(1, 30)), nowMs - 3_600_000);
      const [reason, comment] = DISMISSALS[seq % DISMISSALS.length] as (typeof DISMISSALS)[number];
      alerts.push({
        seq,
        repo,
        number: k + 1,
        advisory,
        state,
        manifestPath: ECOSYSTEM_FACTS[repo.ecosystem].lockfile,
        scope: k % 4 === 3 ? 'development' : 'runtime',
        relationship: k % 3 === 2 ? 'transitive' : 'direct',
        createdAt: isoSeconds(created),
        updatedAt: isoSeconds(state === 'open' ? created : closed),
        dismissedAt: state === 'dismissed' ? isoSeconds(closed) : null,
        dismissedReason: state === 'dismissed' ? reason : null,
        dismissedComment: state === 'dismissed' ? comment : null,
        fixedAt: state === 'fixed' ? isoSeconds(closed) : null,
        autoDismissedAt: state === 'auto_dismissed' ? isoSeconds(closed) : null,
      });
    });
  }
  return alerts;
}

/** A merged Dependabot PR for every fixed alert with a patch, an open one for every fifth open alert with a patch. */
export function buildPulls(rng: Rng, alerts: GhAlert[]): GhPull[] {
  const next = new Map<number, number>();
  const pulls: GhPull[] = [];
  let openSeen = 0;
  for (const alert of alerts) {
    const fixedIn = alert.advisory.firstPatched;
    if (!fixedIn) continue;
    const merged = alert.state === 'fixed';
    if (!merged && !(alert.state === 'open' && alert.seq % 5 === 0)) continue;
    const number = (next.get(alert.repo.id) ?? 0) + 1;
    next.set(alert.repo.id, number);
    const created = Date.parse(alert.createdAt) + 3_600_000;
    const mergedAt = merged ? isoSeconds(Math.max(created + 60_000, Date.parse(alert.fixedAt as string) - 600_000)) : null;
    const checks = merged ? 'success' : (['success', 'success', 'failure', 'success', 'pending'] as const)[openSeen % 5] ?? 'success';
    if (!merged) openSeen += 1;
    const pkg = alert.advisory.packageName;
    pulls.push({
      repo: alert.repo,
      number,
      alertNumber: alert.number,
      title: `Bump ${pkg} from ${alert.advisory.installedVersion} to ${fixedIn}`,
      headRef: `dependabot/${BRANCH_PREFIX[alert.advisory.ecosystem]}/${pkg.replace(/:/g, '-')}-${fixedIn}`,
      headSha: rng.hex(40),
      baseRef: alert.repo.defaultBranch,
      baseSha: rng.hex(40),
      state: merged ? 'closed' : 'open',
      merged,
      mergeable: merged || openSeen % 6 !== 0,
      mergedAt,
      mergeCommitSha: merged ? rng.hex(40) : null,
      createdAt: isoSeconds(created),
      updatedAt: mergedAt ?? isoSeconds(created),
      closedAt: mergedAt,
      checks,
    });
  }
  return pulls;
}
