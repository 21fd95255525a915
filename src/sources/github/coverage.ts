/**
 * Repositories whose Dependabot alerts are disabled: the organisation listing leaves them out, and the
 * repository endpoint answers 403 "Dependabot alerts are disabled". Only repositories without any alert are
 * probed (one `per_page=1` request, conditional on the last probe's ETag), at most once per PROBE_EVERY_MS.
 */
import { ExternalServiceError } from '../../app/errors.js';
import type { Logger } from '../../logger.js';
import type { GithubApi } from './client.js';
import { PROBE_EVERY_MS, type Probe } from './cursor.js';

export interface ProbeOutcome {
  readonly probes: Record<string, Probe>;
  /** Repositories the probe found alerts on. */
  readonly withAlerts: string[];
  readonly requests: number;
}

const DISABLED = /dependabot alerts are disabled/i;

export function dueForProbe(repo: string, previous: Probe | undefined, now: Date): boolean {
  return previous === undefined || now.getTime() - Date.parse(previous.at) >= PROBE_EVERY_MS;
}

export async function probeRepos(api: GithubApi, repos: readonly string[], previous: Readonly<Record<string, Probe>>, now: Date, logger: Logger): Promise<ProbeOutcome> {
  const probes: Record<string, Probe> = {};
  const withAlerts: string[] = [];
  for (const repo of repos) {
    const [owner, name] = repo.split('/') as [string, string];
    const before = previous[repo];
    const at = now.toISOString();
    try {
      const res = await api.get('/repos/{owner}/{repo}/dependabot/alerts', { owner, repo: name, per_page: 1 }, before?.disabled === false ? before.etag : null);
      if (res.notModified) probes[repo] = { at, disabled: false, etag: before?.etag ?? null };
      else {
        probes[repo] = { at, disabled: false, etag: res.etag };
        if (Array.isArray(res.data) && res.data.length > 0) withAlerts.push(repo);
      }
    } catch (e) {
      if (e instanceof ExternalServiceError && e.status === 403 && DISABLED.test(e.message)) probes[repo] = { at, disabled: true, etag: null };
      else if (e instanceof ExternalServiceError && e.status === 404) logger.warn({ repo }, 'coverage probe: repository not found or not visible to the token');
      else throw e;
    }
  }
  return { probes, withAlerts, requests: repos.length };
}
