/**
 * GitHub's JSON shapes (api.github.com, version 2022-11-28) built from population records. Field lists
 * follow @octokit/openapi-types (`dependabot-alert-with-repository`, `simple-repository`,
 * `minimal-repository`, `pull-request`); API URLs point at the fake, html_url at github.com.
 */
import type { Advisory, Ecosystem, GhAlert, GhRepo } from '../population/types.js';

export interface Epss { percentage: number; percentile: number }

const URL_TEMPLATES: Record<string, string> = {
  archive_url: '/{archive_format}{/ref}', assignees_url: '/assignees{/user}', blobs_url: '/git/blobs{/sha}', branches_url: '/branches{/branch}',
  collaborators_url: '/collaborators{/collaborator}', comments_url: '/comments{/number}', commits_url: '/commits{/sha}', compare_url: '/compare/{base}...{head}',
  contents_url: '/contents/{+path}', contributors_url: '/contributors', deployments_url: '/deployments', downloads_url: '/downloads', events_url: '/events',
  forks_url: '/forks', git_commits_url: '/git/commits{/sha}', git_refs_url: '/git/refs{/sha}', git_tags_url: '/git/tags{/sha}', issue_comment_url: '/issues/comments{/number}',
  issue_events_url: '/issues/events{/number}', issues_url: '/issues{/number}', keys_url: '/keys{/key_id}', labels_url: '/labels{/name}', languages_url: '/languages',
  merges_url: '/merges', milestones_url: '/milestones{/number}', notifications_url: '/notifications{?since,all,participating}', pulls_url: '/pulls{/number}',
  releases_url: '/releases{/id}', stargazers_url: '/stargazers', statuses_url: '/statuses/{sha}', subscribers_url: '/subscribers', subscription_url: '/subscription',
  tags_url: '/tags', teams_url: '/teams', trees_url: '/git/trees{/sha}', hooks_url: '/hooks',
};
const LANGUAGE: Record<Ecosystem, string> = { npm: 'TypeScript', pip: 'Python', maven: 'Java', go: 'Go', rubygems: 'Ruby', nuget: 'C#', composer: 'PHP', rust: 'Rust' };

const nodeId = (prefix: string, id: number): string => `${prefix}_kgDO${Buffer.from(String(id)).toString('base64').replace(/=+$/, '')}`;

export function account(api: string, login: string, id: number, type: 'Organization' | 'User' | 'Bot'): Record<string, unknown> {
  const url = `${api}/users/${encodeURIComponent(login)}`;
  return {
    login, id, node_id: nodeId(type === 'Organization' ? 'O' : type === 'Bot' ? 'BOT' : 'U', id), avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`, gravatar_id: '',
    url, html_url: `https://github.com/${login}`, followers_url: `${url}/followers`, following_url: `${url}/following{/other_user}`, gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`, subscriptions_url: `${url}/subscriptions`, organizations_url: `${url}/orgs`, repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`, received_events_url: `${url}/received_events`, type, user_view_type: 'public', site_admin: false,
  };
}

export const DEPENDABOT = { login: 'dependabot[bot]', id: 49699333 };
export const LEAD = { login: 'octo-lead', id: 5_100_007 };

export function simpleRepo(api: string, repo: GhRepo, orgId: number): Record<string, unknown> {
  const url = `${api}/repos/${repo.fullName}`;
  const out: Record<string, unknown> = {
    id: repo.id, node_id: nodeId('R', repo.id), name: repo.name, full_name: repo.fullName,
    owner: account(api, repo.fullName.split('/')[0] as string, orgId, 'Organization'), private: repo.private,
    html_url: `https://github.com/${repo.fullName}`, description: `The ${repo.name} service`, fork: false, url,
  };
  for (const [k, suffix] of Object.entries(URL_TEMPLATES)) out[k] = `${url}${suffix}`;
  return out;
}

/** The `minimal-repository` shape that GET /orgs/{org}/repos returns, with security_and_analysis as an admin sees it. */
export function fullRepo(api: string, repo: GhRepo, orgId: number): Record<string, unknown> {
  const updates = repo.dependabotAlerts ? 'enabled' : 'disabled';
  return {
    ...simpleRepo(api, repo, orgId),
    git_url: `git://github.com/${repo.fullName}.git`, ssh_url: `git@github.com:${repo.fullName}.git`, clone_url: `https://github.com/${repo.fullName}.git`,
    svn_url: `https://github.com/${repo.fullName}`, mirror_url: null, homepage: null, language: LANGUAGE[repo.ecosystem], forks_count: 0, stargazers_count: 3,
    watchers_count: 3, size: 2048, default_branch: repo.defaultBranch, open_issues_count: 0, is_template: false, topics: [], has_issues: true, has_projects: false,
    has_wiki: false, has_pages: false, has_downloads: true, has_discussions: false, archived: repo.archived, disabled: false,
    visibility: repo.private ? 'private' : 'public', pushed_at: repo.pushedAt, created_at: repo.createdAt, updated_at: repo.updatedAt,
    permissions: { admin: true, maintain: true, push: true, triage: true, pull: true }, allow_forking: false, web_commit_signoff_required: false,
    security_and_analysis: { dependabot_security_updates: { status: updates }, secret_scanning: { status: 'enabled' }, secret_scanning_push_protection: { status: 'enabled' } },
    forks: 0, open_issues: 0, watchers: 3, license: null,
  };
}

/**
 * Dependabot alerts as JSON text. The advisory, vulnerability and repository parts are shared by many
 * alerts, so their text is cached and spliced in: a 100-alert page (~600 kB, like GitHub's) costs well
 * under a millisecond to build, whatever the population size.
 */
export class AlertRenderer {
  private readonly advisories = new Map<Advisory, { advisory: string; vulnerability: string }>();
  private readonly repos = new Map<GhRepo, string>();

  constructor(
    private readonly api: () => string,
    private readonly orgId: number,
    private readonly epssOf: (a: Advisory) => Epss | null,
  ) {}

  private parts(a: Advisory): { advisory: string; vulnerability: string } {
    const hit = this.advisories.get(a);
    if (hit) return hit;
    const pkg = { ecosystem: a.ecosystem, name: a.packageName };
    const vulnerability = { package: pkg, severity: a.severity, vulnerable_version_range: a.vulnerableRange, first_patched_version: a.firstPatched ? { identifier: a.firstPatched } : null };
    const advisory = {
      ghsa_id: a.ghsaId, cve_id: a.cveId, summary: a.summary, description: a.description, vulnerabilities: [vulnerability], severity: a.severity,
      identifiers: [{ value: a.ghsaId, type: 'GHSA' }, ...(a.cveId ? [{ value: a.cveId, type: 'CVE' }] : [])],
      references: [...(a.cveId ? [{ url: `https://nvd.nist.gov/vuln/detail/${a.cveId}` }] : []), { url: `https://github.com/advisories/${a.ghsaId}` }],
      published_at: a.publishedAt, updated_at: a.updatedAt, withdrawn_at: null, classification: 'general',
      cvss: { vector_string: a.cvssVector, score: a.cvssScore },
      cvss_severities: { cvss_v3: { vector_string: a.cvssVector, score: a.cvssScore }, cvss_v4: { vector_string: null, score: 0 } },
      epss: this.epssOf(a), cwes: a.cwes.map((c) => ({ cwe_id: c.cweId, name: c.name })),
    };
    const out = { advisory: JSON.stringify(advisory), vulnerability: JSON.stringify(vulnerability) };
    this.advisories.set(a, out);
    return out;
  }

  private repo(r: GhRepo): string {
    let text = this.repos.get(r);
    if (text === undefined) {
      text = JSON.stringify(simpleRepo(this.api(), r, this.orgId));
      this.repos.set(r, text);
    }
    return text;
  }

  /** One alert; `repository` is included on the organisation-level list only, as GitHub does. */
  render(alert: GhAlert, withRepository: boolean): string {
    const a = alert.advisory;
    const { advisory, vulnerability } = this.parts(a);
    const own = JSON.stringify({
      number: alert.number,
      state: alert.state,
      dependency: { package: { ecosystem: a.ecosystem, name: a.packageName }, manifest_path: alert.manifestPath, scope: alert.scope, relationship: alert.relationship },
      url: `${this.api()}/repos/${alert.repo.fullName}/dependabot/alerts/${alert.number}`,
      html_url: `https://github.com/${alert.repo.fullName}/security/dependabot/${alert.number}`,
      created_at: alert.createdAt,
      updated_at: alert.updatedAt,
      dismissed_at: alert.dismissedAt,
      dismissed_by: alert.dismissedAt ? account(this.api(), LEAD.login, LEAD.id, 'User') : null,
      dismissed_reason: alert.dismissedReason,
      dismissed_comment: alert.dismissedComment,
      fixed_at: alert.fixedAt,
      auto_dismissed_at: alert.autoDismissedAt,
      assignees: [],
    });
    const repository = withRepository ? `,"repository":${this.repo(alert.repo)}` : '';
    return `${own.slice(0, -1)},"security_advisory":${advisory},"security_vulnerability":${vulnerability}${repository}}`;
  }

  page(alerts: readonly GhAlert[], withRepository: boolean): string {
    return `[${alerts.map((a) => this.render(a, withRepository)).join(',')}]`;
  }
}
