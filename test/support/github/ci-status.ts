/**
 * The CI state of a pull request's head commit, in GitHub's two APIs. Check runs (`GET …/commits/{ref}/check-runs`):
 * one run `build` from GitHub Actions, completed with a conclusion, or in_progress. The legacy combined status
 * (`GET …/commits/{ref}/status`): one `ci/build` status, or none at all for a repository whose CI only publishes
 * check runs; then GitHub answers `state: "pending"` with `total_count: 0` and `statuses: []`. The combined state is
 * failure if any status is failure or error, pending if any is pending (or there are none), else success.
 */
import { json, type Reply } from '../population/fake-http.js';
import type { GhPull, GhRepo } from '../population/types.js';
import { simpleRepo } from './wire.js';

/** A commit status state, or `none`: the repository publishes no legacy statuses. */
export type LegacyStatus = 'success' | 'failure' | 'error' | 'pending' | 'none';

const DOCS = 'https://docs.github.com/rest';
export const noCommit = (ref: string, doc: string): Reply => json(404, { message: `No commit found for SHA: ${ref}`, documentation_url: `${DOCS}/${doc}`, status: '404' });

export function combinedStatus(api: string, orgId: number, repo: GhRepo, p: GhPull, legacy: LegacyStatus): Reply {
  const sha = p.headSha;
  const statuses = legacy === 'none' ? [] : [{
    url: `${api}/repos/${repo.fullName}/statuses/${sha}`, avatar_url: 'https://avatars.githubusercontent.com/u/9919?v=4', id: 40_000_000 + p.number,
    node_id: `SC_${sha.slice(0, 8)}`, state: legacy, description: `Build ${legacy}`, target_url: `https://ci.example.com/${repo.fullName}/${sha}`,
    context: 'ci/build', created_at: p.updatedAt, updated_at: p.updatedAt,
  }];
  const state = legacy === 'none' || legacy === 'pending' ? 'pending' : legacy === 'success' ? 'success' : 'failure';
  return json(200, {
    state, statuses, sha, total_count: statuses.length, repository: simpleRepo(api, repo, orgId),
    commit_url: `${api}/repos/${repo.fullName}/commits/${sha}`, url: `${api}/repos/${repo.fullName}/commits/${sha}/status`,
  });
}

export function checkRuns(api: string, repo: GhRepo, p: GhPull): Reply {
  const done = p.checks !== 'pending';
  const id = 50_000_000 + p.number;
  const html = `https://github.com/${repo.fullName}/runs/${id}`;
  return json(200, {
    total_count: 1,
    check_runs: [{
      id, head_sha: p.headSha, node_id: `CR_${p.headSha.slice(0, 8)}`, external_id: '', url: `${api}/repos/${repo.fullName}/check-runs/${id}`,
      html_url: html, details_url: html, status: done ? 'completed' : 'in_progress', conclusion: done ? p.checks : null,
      started_at: p.updatedAt, completed_at: done ? p.updatedAt : null,
      output: { title: `build ${p.checks}`, summary: '', text: null, annotations_count: 0, annotations_url: `${api}/repos/${repo.fullName}/check-runs/${id}/annotations` },
      name: 'build', check_suite: { id: 60_000_000 + p.number }, app: { id: 15368, slug: 'github-actions', name: 'GitHub Actions' }, pull_requests: [],
    }],
  });
}
