/**
 * Snyk as a VulnerabilitySource: the organisation's projects as assets (last test time from
 * meta.latest_issue_counts), its package-vulnerability issues as findings, incrementally by `updated_after`.
 * Budget: ceil(projects/100) + ceil(issues/100) requests for a full run; an unchanged re-run costs the project
 * listing and one empty issue page. A project an issue names but the listing missed is fetched by id.
 */
import type { SourcePage, SourceRun, SyncCursor, VulnerabilitySource } from '../../app/ports.js';
import type { Asset } from '../../domain/asset.js';
import type { Finding } from '../../domain/finding.js';
import type { Logger } from '../../logger.js';
import { parseResponse } from '../shared/parse.js';
import { prefetchNextPage, type Produced } from '../shared/prefetch-next-page.js';
import type { SnykApi } from './client.js';
import { readSnykCursor, updatedAfter, type SnykCursor } from './cursor.js';
import { issueFinding, projectAsset, type ProjectFacts } from './map.js';
import { issueListSchema, projectListSchema, type IssueListJson, type ProjectListJson } from './schemas.js';

export interface SnykSourceOptions {
  readonly orgId: string;
  readonly api: SnykApi;
  readonly logger: Logger;
}

const PAGE = 100;
const progress = (done: number): SourcePage['progress'] => ({ done, total: null, unit: 'issues' });

export function createSnykSource({ orgId, api, logger }: SnykSourceOptions): VulnerabilitySource {
  const log = logger.child({ source: 'snyk', orgId });
  const projectsPath = `/orgs/${orgId}/projects`;
  const issuesPath = `/orgs/${orgId}/issues`;

  function run(raw: SyncCursor | null, now: Date): SourceRun {
    const { cursor: prev, problem } = readSnykCursor(raw, orgId);
    if (problem) log.warn(problem);
    let next: SnykCursor = prev;
    const at = now.toISOString();
    const projectTypes = new Map<string, ProjectFacts>();
    const counts = { projectPages: 0, issuePages: 0, lookups: 0, issues: 0, skipped: 0 };
    const before = { ...api.stats };

    async function* listProjects(params: Record<string, string | number>): AsyncGenerator<Asset[], void, undefined> {
      let link: string | null = projectsPath;
      let query: Record<string, string | number> = { limit: PAGE, 'meta.latest_issue_counts': 'true', ...params };
      while (link) {
        const doc: ProjectListJson = parseResponse(projectListSchema, await api.get(link, `GET ${projectsPath}`, query), 'snyk', `GET ${projectsPath}`);
        for (const p of doc.data) projectTypes.set(p.id, { type: p.attributes.type, targetFile: p.attributes.target_file ?? null });
        yield doc.data.map((p) => projectAsset(p, at));
        [link, query] = [doc.links?.next ?? null, {}];
      }
    }

    async function* produce(): AsyncGenerator<Produced, void, undefined> {
      for await (const assets of listProjects({})) {
        counts.projectPages += 1;
        yield { page: { assets, progress: progress(0) } };
      }
      const after = updatedAfter(prev);
      const skip = new Set(prev.atHighWater);
      let highWater = prev.highWater;
      let atHighWater = new Set(prev.atHighWater);
      let link: string | null = issuesPath;
      let query: Record<string, string | number> = { limit: PAGE, type: 'package_vulnerability', ...(after ? { updated_after: after } : {}) };
      while (link) {
        const doc: IssueListJson = parseResponse(issueListSchema, await api.get(link, `GET ${issuesPath}`, query), 'snyk', `GET ${issuesPath}`);
        counts.issuePages += 1;
        const issues = doc.data.filter((i) => i.relationships.scan_item.data.type === 'project' && !(skip.has(i.id) && i.attributes.updated_at === prev.highWater));
        const unknown = [...new Set(issues.map((i) => i.relationships.scan_item.data.id).filter((id) => !projectTypes.has(id)))];
        const assets: Asset[] = [];
        if (unknown.length > 0) {
          counts.lookups += 1;
          for await (const found of listProjects({ ids: unknown.join(',') })) assets.push(...found);
        }
        const findings: Finding[] = [];
        for (const i of issues) {
          const projectId = i.relationships.scan_item.data.id;
          const project = projectTypes.get(projectId);
          const f = project ? issueFinding(i, project) : null;
          if (f) findings.push(f);
          else counts.skipped += 1;
          const updated = i.attributes.updated_at;
          if (highWater === null || updated > highWater) [highWater, atHighWater] = [updated, new Set([i.id])];
          else if (updated === highWater) atHighWater.add(i.id);
        }
        counts.issues += findings.length;
        link = doc.links?.next ?? null;
        query = {};
        const last = link === null;
        yield {
          page: { ...(assets.length > 0 ? { assets } : {}), findings, progress: progress(counts.issues) },
          commit: last ? () => (next = { v: 1, orgId, highWater, atHighWater: [...atHighWater].sort() }) : undefined,
        };
      }
      if (counts.skipped > 0) log.warn({ skipped: counts.skipped }, 'issues without a package or without a known project were left out');
      log.info({ ...counts, requests: api.stats.requests - before.requests, retries: api.stats.retries - before.retries, full: after === null }, 'Snyk read');
    }

    return { pages: prefetchNextPage(produce()), cursor: () => next };
  }

  return { name: 'snyk', run };
}
