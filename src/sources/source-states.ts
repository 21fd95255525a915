/**
 * A finding's state at its source, read one at a time for verification (the SourceStates port of src/app/deploy):
 * a Dependabot alert (`GET /repos/{o}/{r}/dependabot/alerts/{n}`) or a Snyk issue (`GET /rest/orgs/{org}/issues/{id}`).
 * Null when the finding's source is not configured.
 */
import { z } from 'zod';
import type { SourceState, SourceStates } from '../app/deploy/deploy-ports.js';
import type { GithubApi } from './github/client.js';
import { singleAlertSchema } from './github/pull-schemas.js';
import { parseResponse } from './shared/parse.js';
import { isoInstant } from './shared/time.js';
import type { SnykApi } from './snyk/client.js';

const ALERT = /^github:([^/:\s]+)\/([^/:\s]+):alert:(\d+)$/;
const ISSUE = /^snyk:([^\s/]+)$/;

const snykIssueSchema = z.object({
  data: z.object({
    attributes: z.object({
      status: z.enum(['open', 'resolved']),
      ignored: z.boolean().nullish(),
      resolution: z.object({ resolved_at: isoInstant.nullish() }).nullish(),
      updated_at: isoInstant.nullish(),
    }),
  }),
});

export interface SourceStateDeps {
  readonly github: GithubApi | null;
  readonly snyk: { readonly api: SnykApi; readonly orgId: string } | null;
}

export function createSourceStates({ github, snyk }: SourceStateDeps): SourceStates {
  async function alert(owner: string, repo: string, number: number): Promise<SourceState | null> {
    if (!github) return null;
    const res = await github.get('/repos/{owner}/{repo}/dependabot/alerts/{alert_number}', { owner, repo, alert_number: number });
    const a = parseResponse(singleAlertSchema, res.notModified ? null : res.data, 'github', `GET /repos/${owner}/${repo}/dependabot/alerts/${number}`);
    if (a.state === 'fixed') return { state: 'fixed', at: a.fixed_at };
    if (a.state === 'open') return { state: 'open', at: null };
    return { state: 'dismissed', at: a.dismissed_at ?? a.auto_dismissed_at };
  }

  async function issue(id: string): Promise<SourceState | null> {
    if (!snyk) return null;
    const what = `GET /rest/orgs/${snyk.orgId}/issues/${id}`;
    const i = parseResponse(snykIssueSchema, await snyk.api.get(`/orgs/${snyk.orgId}/issues/${id}`, what), 'snyk', what).data.attributes;
    if (i.status === 'resolved') return { state: 'fixed', at: i.resolution?.resolved_at ?? i.updated_at ?? null };
    return i.ignored ? { state: 'dismissed', at: i.updated_at ?? null } : { state: 'open', at: null };
  }

  return {
    async stateOf(findingId) {
      const a = ALERT.exec(findingId);
      if (a) return alert(a[1]!, a[2]!, Number(a[3]));
      const i = ISSUE.exec(findingId);
      return i ? issue(i[1]!) : null;
    },
  };
}
