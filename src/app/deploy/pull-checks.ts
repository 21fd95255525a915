/**
 * The Dependabot pull request that fixes a remediation, and its CI as a test run: found among the repository's open
 * Dependabot pull requests (title or head branch naming the package and a version at least the fixing one), its
 * head commit's check runs and legacy statuses read and judged (src/domain/ci-checks.ts).
 */
import type { DeployPath } from '../../domain/deploy-path.js';
import { checksVerdict } from '../../domain/ci-checks.js';
import { fixingPull } from '../../domain/dependabot-pull.js';
import type { TestRecord } from '../../domain/remediation.js';
import { err, ok, type Result } from '../../domain/result.js';
import type { CheckResult, PullRequestChecks } from '../../domain/run-records.js';
import type { Instant } from '../../domain/time.js';
import type { AppError } from '../errors.js';
import type { DependabotPull, PullRequests } from './deploy-ports.js';

export interface PullWithChecks {
  readonly pull: DependabotPull;
  readonly checks: readonly CheckResult[];
  readonly green: boolean;
}

type DependabotPath = Extract<DeployPath, { kind: 'dependabot' }>;

export async function pullWithChecks(github: PullRequests | null, path: DependabotPath): Promise<Result<PullWithChecks, AppError>> {
  if (!github) return err({ code: 'deploy.not_configured', service: 'GitHub' });
  const pull = fixingPull(await github.dependabotPulls(path.repository), path.package, path.version);
  if (!pull) return err({ code: 'deploy.no_pull_request', repository: path.repository, package: path.package, version: path.version });
  const checks = await github.checks(path.repository, pull.headSha);
  return ok({ pull, checks, green: checksVerdict(checks).green });
}

/** Green, or the refusal naming what is red and what still runs. */
export function requireGreen(p: PullWithChecks): AppError | null {
  const v = checksVerdict(p.checks);
  return v.green ? null : { code: 'deploy.checks_not_green', repository: p.pull.repository, pullNumber: p.pull.number, failing: v.failing, pending: v.pending };
}

export const checksRecord = (p: PullWithChecks): PullRequestChecks => ({
  kind: 'ci_checks', repository: p.pull.repository, pullNumber: p.pull.number, url: p.pull.url, headSha: p.pull.headSha, checks: p.checks,
});

/** `7 checks on acme/api#12 at 1a2b3c4: all green.` */
export function checksNote(p: PullWithChecks): string {
  const v = checksVerdict(p.checks);
  const head = `${p.checks.length} check${p.checks.length === 1 ? '' : 's'} on ${p.pull.repository}#${p.pull.number} at ${p.pull.headSha.slice(0, 7)}`;
  if (v.green) return `${head}: all green.`;
  return `${head}: ${[v.failing.length ? `failing ${v.failing.join(', ')}` : '', v.pending.length ? `still running ${v.pending.join(', ')}` : ''].filter(Boolean).join('; ')}.`;
}

/** The checks as a test run recorded with the deployment (right before the merge). */
export const checksTest = (id: string, by: string, at: Instant, p: PullWithChecks): TestRecord => ({
  id, by, at, environment: 'ci', result: p.green ? 'pass' : 'fail', notes: checksNote(p), files: [], run: checksRecord(p),
});
