/**
 * Dependabot's pull requests for deployments (the PullRequests port of src/app/deploy): open pull requests by
 * dependabot[bot], one pull request, its head commit's check runs and legacy statuses, and the merge with the head
 * sha (GitHub's 405 / 409 / 422 come back as values; anything else is an ExternalServiceError).
 */
import type { z } from 'zod';
import type { DependabotPull, MergeOutcome, PullRequests, PullState } from '../../app/deploy/deploy-ports.js';
import type { CheckResult } from '../../domain/run-records.js';
import { parseResponse } from '../shared/parse.js';
import type { GithubApi } from './client.js';
import { checkRunsSchema, combinedStatusSchema, mergeSchema, pullListSchema, pullSchema } from './pull-schemas.js';

const DEPENDABOT = 'dependabot[bot]';

const split = (repository: string): { owner: string; repo: string } => {
  const [owner = '', repo = ''] = repository.split('/');
  return { owner, repo };
};

/** Legacy status states as check conclusions: pending has none yet. */
const STATUS_CONCLUSION: Record<string, string | null> = { success: 'success', failure: 'failure', error: 'error', pending: null };

export function createPullRequests(api: GithubApi): PullRequests {
  /** Every page of a list, each parsed whole. */
  async function all<S extends z.ZodType>(route: string, params: Record<string, string | number>, schema: S, what: string): Promise<z.output<S>[]> {
    const pages: z.output<S>[] = [];
    let next: string | null = route;
    let first = true;
    while (next) {
      const res = await api.get(next, first ? params : {});
      first = false;
      if (res.notModified) break;
      pages.push(parseResponse(schema, res.data, 'github', what));
      next = res.next;
    }
    return pages;
  }

  async function pull(repository: string, number: number): Promise<PullState> {
    const what = `GET /repos/${repository}/pulls/${number}`;
    const res = await api.get('/repos/{owner}/{repo}/pulls/{pull_number}', { ...split(repository), pull_number: number });
    const p = parseResponse(pullSchema, res.notModified ? null : res.data, 'github', what);
    return { merged: p.merged, state: p.state, headSha: p.head.sha, url: p.html_url, mergeCommitSha: p.merged ? p.merge_commit_sha : null, mergedAt: p.merged_at, mergedBy: p.merged_by };
  }

  return {
    pull,

    async dependabotPulls(repository) {
      const pages = await all('/repos/{owner}/{repo}/pulls', { ...split(repository), state: 'open', per_page: 100 }, pullListSchema, `GET /repos/${repository}/pulls`);
      return pages.flat().filter((p) => p.user?.login === DEPENDABOT).map((p): DependabotPull => ({
        repository, number: p.number, title: p.title, headRef: p.head.ref, headSha: p.head.sha, url: p.html_url,
      }));
    },

    async checks(repository, sha) {
      const params = { ...split(repository), ref: sha, per_page: 100 };
      const [runs, statuses] = await Promise.all([
        all('/repos/{owner}/{repo}/commits/{ref}/check-runs', params, checkRunsSchema, `GET /repos/${repository}/commits/${sha}/check-runs`),
        all('/repos/{owner}/{repo}/commits/{ref}/status', params, combinedStatusSchema, `GET /repos/${repository}/commits/${sha}/status`),
      ]);
      const fromRuns = runs.flatMap((p) => p.check_runs).map((c): CheckResult => ({
        name: c.name, conclusion: c.conclusion, status: c.status, url: c.html_url ?? c.details_url ?? null, completedAt: c.completed_at,
      }));
      // No legacy statuses (a repository on GitHub Actions only) means `pending` with total_count 0: nothing to add.
      const fromStatuses = statuses.flatMap((p) => p.statuses).map((s): CheckResult => ({
        name: s.context, conclusion: STATUS_CONCLUSION[s.state] ?? null, status: s.state === 'pending' ? 'pending' : 'completed', url: s.target_url ?? null,
        completedAt: s.state === 'pending' ? null : s.updated_at,
      }));
      return [...fromRuns, ...fromStatuses];
    },

    async merge(repository, number, sha): Promise<MergeOutcome> {
      const res = await api.write('PUT', '/repos/{owner}/{repo}/pulls/{pull_number}/merge', { ...split(repository), pull_number: number, sha });
      if (!res.ok) return { merged: false, status: res.status, message: res.message };
      const body = parseResponse(mergeSchema, res.data, 'github', `PUT /repos/${repository}/pulls/${number}/merge`);
      return body.merged ? { merged: true, sha: body.sha } : { merged: false, status: res.status, message: 'GitHub did not merge it' };
    },
  };
}
