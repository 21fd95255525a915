/**
 * What deployment needs from GitHub: Dependabot pull requests (list, get, merge) and the CI state of a
 * commit (combined status, check runs: ci-status.ts). Merge answers 200 {sha, merged, message}; 422 for a body the
 * schema refuses (merge_method not merge|squash|rebase, a non-string sha / commit_title / commit_message); 405 when
 * not mergeable (conflicts, already merged or closed, or a failing required check while `requireGreenChecks`);
 * 409 when `sha` is not the head.
 */
import { createHash } from 'node:crypto';
import { json, type Reply } from '../population/fake-http.js';
import type { GhPull, GhRepo } from '../population/types.js';
import { checkRuns, combinedStatus, noCommit, type LegacyStatus } from './ci-status.js';
import { pageLinks, pageNumber, perPage } from './paging.js';
import { account, DEPENDABOT, simpleRepo } from './wire.js';

const MERGE_DOCS = 'https://docs.github.com/rest/pulls/pulls#merge-a-pull-request';
const NOT_MERGEABLE = { message: 'Pull Request is not mergeable', documentation_url: MERGE_DOCS, status: '405' };

export interface PullKnobs {
  setMergeable(repo: string, number: number, mergeable: boolean): void;
  /** The check run `build` of the head: green, red, or still running. */
  setChecks(repo: string, number: number, checks: GhPull['checks']): void;
  /** The legacy `ci/build` commit status of the head (`none`: the repository publishes none); null: back to the default. */
  setLegacyStatus(repo: string, number: number, status: LegacyStatus | null): void;
  /** Move the head (a new commit pushed): a merge with the old sha then gets 409. `checks` sets the new head's check run. */
  pushCommit(repo: string, number: number, opts?: { checks?: GhPull['checks'] }): string;
}

/** GitHub's schema refusal of a merge body, worded like its other 422s ("For 'properties/sha', 1 is not a string."). */
function invalidMerge(body: Record<string, unknown>): string | null {
  for (const k of ['commit_title', 'commit_message', 'sha']) if (k in body && typeof body[k] !== 'string') return `For 'properties/${k}', ${JSON.stringify(body[k])} is not a string.`;
  const method = body.merge_method;
  if (method !== undefined && !['merge', 'squash', 'rebase'].includes(method as string)) return `For 'properties/merge_method', ${JSON.stringify(method)} is not one of ["merge", "squash", "rebase"].`;
  return null;
}

export class PullStore {
  private readonly legacy = new Map<GhPull, LegacyStatus>();

  constructor(
    private readonly pulls: GhPull[],
    private readonly orgId: number,
    private readonly api: () => string,
    private readonly requireGreenChecks: boolean,
    private readonly onMerged: (pull: GhPull, at: string) => void,
    /** `mirror-checks`: each head has a ci/build status in the state of its check run; `none`: check runs only. */
    private readonly legacyStatuses: 'mirror-checks' | 'none' = 'mirror-checks',
  ) {}

  private legacyOf(p: GhPull): LegacyStatus {
    return this.legacy.get(p) ?? (this.legacyStatuses === 'none' ? 'none' : p.checks);
  }

  find(repo: GhRepo, number: number): GhPull | undefined {
    return this.pulls.find((p) => p.repo === repo && p.number === number);
  }

  private byRef(repo: GhRepo, ref: string): GhPull | undefined {
    return this.pulls.find((p) => p.repo === repo && (p.headSha === ref || p.headRef === ref || p.mergeCommitSha === ref));
  }

  toJson(p: GhPull, full: boolean): Record<string, unknown> {
    const api = this.api();
    const url = `${api}/repos/${p.repo.fullName}/pulls/${p.number}`;
    const repo = simpleRepo(api, p.repo, this.orgId);
    const owner = account(api, p.repo.fullName.split('/')[0] as string, this.orgId, 'Organization');
    const branch = (ref: string, sha: string) => ({ label: `${owner.login as string}:${ref}`, ref, sha, user: owner, repo });
    const out: Record<string, unknown> = {
      url, id: 2_000_000 + p.repo.id * 1000 + p.number, node_id: `PR_kwDO${p.repo.id}${p.number}`, html_url: `https://github.com/${p.repo.fullName}/pull/${p.number}`,
      diff_url: `https://github.com/${p.repo.fullName}/pull/${p.number}.diff`, patch_url: `https://github.com/${p.repo.fullName}/pull/${p.number}.patch`,
      issue_url: `${api}/repos/${p.repo.fullName}/issues/${p.number}`, number: p.number, state: p.state, locked: false, title: p.title,
      user: account(api, DEPENDABOT.login, DEPENDABOT.id, 'Bot'), body: `Bumps ${p.title.replace(/^Bump /, '')}.`,
      labels: [{ id: 1, node_id: 'LA_dependencies', url: `${api}/repos/${p.repo.fullName}/labels/dependencies`, name: 'dependencies', color: '0366d6', default: false, description: 'Pull requests that update a dependency file' }],
      milestone: null, active_lock_reason: null, created_at: p.createdAt, updated_at: p.updatedAt, closed_at: p.closedAt, merged_at: p.mergedAt,
      merge_commit_sha: p.mergeCommitSha, assignee: null, assignees: [], requested_reviewers: [], requested_teams: [],
      head: branch(p.headRef, p.headSha), base: branch(p.baseRef, p.baseSha), author_association: 'CONTRIBUTOR', auto_merge: null, draft: false,
      _links: { self: { href: url }, html: { href: `https://github.com/${p.repo.fullName}/pull/${p.number}` }, statuses: { href: `${api}/repos/${p.repo.fullName}/statuses/${p.headSha}` } },
    };
    if (!full) return out;
    const state = p.merged ? 'unknown' : !p.mergeable ? 'dirty' : p.checks === 'success' ? 'clean' : p.checks === 'pending' ? 'blocked' : 'unstable';
    return {
      ...out, merged: p.merged, mergeable: p.state === 'open' ? p.mergeable : null, rebaseable: p.mergeable, mergeable_state: state,
      merged_by: p.merged ? account(api, 'octo-lead', 5_100_007, 'User') : null, comments: 0, review_comments: 0, maintainer_can_modify: false,
      commits: 1, additions: 3, deletions: 3, changed_files: 1,
    };
  }

  list(repo: GhRepo, q: URLSearchParams): Reply & { page: number } {
    const state = q.get('state') ?? 'open';
    const direction = q.get('direction') ?? 'desc';
    const sortField = q.get('sort') === 'updated' ? 'updatedAt' : 'createdAt';
    const head = q.get('head');
    const matching = this.pulls
      .filter((p) => p.repo === repo && (state === 'all' || p.state === state) && (!head || `${repo.fullName.split('/')[0]}:${p.headRef}` === head))
      .sort((a, b) => (a[sortField].localeCompare(b[sortField]) || a.number - b.number) * (direction === 'asc' ? 1 : -1));
    const size = perPage(q);
    const page = pageNumber(q);
    const lastPage = Math.max(1, Math.ceil(matching.length / size));
    const link = pageLinks(`${this.api()}/repositories/${repo.id}/pulls`, q, page, lastPage, size);
    const body = matching.slice((page - 1) * size, page * size).map((p) => this.toJson(p, false));
    return { ...json(200, body, link ? { link } : {}), page };
  }

  merge(repo: GhRepo, number: number, body: Record<string, unknown>): Reply {
    const p = this.find(repo, number);
    if (!p) return json(404, { message: 'Not Found', documentation_url: MERGE_DOCS, status: '404' });
    const invalid = invalidMerge(body);
    if (invalid) return json(422, { message: `Invalid request.\n\n${invalid}`, documentation_url: MERGE_DOCS, status: '422' });
    if (p.state !== 'open' || !p.mergeable) return json(405, NOT_MERGEABLE);
    if (this.requireGreenChecks && p.checks !== 'success') {
      return json(405, { ...NOT_MERGEABLE, message: `Required status check "build" is ${p.checks === 'pending' ? 'expected' : 'failing'}.` });
    }
    if (body.sha !== undefined && body.sha !== p.headSha) return json(409, { message: 'Head branch was modified. Review and try the merge again.', documentation_url: MERGE_DOCS, status: '409' });
    const at = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    Object.assign(p, { state: 'closed', merged: true, mergedAt: at, closedAt: at, updatedAt: at, mergeCommitSha: createHash('sha1').update(`${p.repo.fullName}#${p.number}`).digest('hex') });
    this.onMerged(p, at);
    return json(200, { sha: p.mergeCommitSha, merged: true, message: 'Pull Request successfully merged' });
  }

  status(repo: GhRepo, ref: string): Reply {
    const p = this.byRef(repo, ref);
    return p ? combinedStatus(this.api(), this.orgId, repo, p, this.legacyOf(p)) : noCommit(ref, 'commits/statuses#get-the-combined-status-for-a-specific-reference');
  }

  checkRuns(repo: GhRepo, ref: string): Reply {
    const p = this.byRef(repo, ref);
    return p ? checkRuns(this.api(), repo, p) : noCommit(ref, 'checks/runs#list-check-runs-for-a-git-reference');
  }

  knobs(repoOf: (name: string) => GhRepo): PullKnobs {
    const get = (repo: string, n: number): GhPull => {
      const p = this.find(repoOf(repo), n);
      if (!p) throw new Error(`no pull request ${repo}#${n}`);
      return p;
    };
    return {
      setMergeable: (repo, n, mergeable) => void (get(repo, n).mergeable = mergeable),
      setChecks: (repo, n, checks) => void (get(repo, n).checks = checks),
      setLegacyStatus: (repo, n, status) => {
        const p = get(repo, n);
        if (status === null) this.legacy.delete(p);
        else this.legacy.set(p, status);
      },
      pushCommit: (repo, n, opts = {}) => {
        const p = get(repo, n);
        p.headSha = createHash('sha1').update(`${p.headSha}+`).digest('hex');
        if (opts.checks) p.checks = opts.checks;
        return p.headSha;
      },
    };
  }
}
