/**
 * Dependabot as a VulnerabilitySource: the organisation's repositories as assets, its Dependabot alerts (every
 * state) as findings, read newest-updated first and incrementally (see cursor.ts), then the coverage probes.
 * Budget: ceil(repos/100) + ceil(alerts/100) requests for a full run (+ probes); an unchanged re-run costs the
 * repository listing and one conditional request answered 304.
 */
import type { SourcePage, SourceRun, SyncCursor, VulnerabilitySource } from '../../app/ports.js';
import type { Asset } from '../../domain/asset.js';
import type { Logger } from '../../logger.js';
import { parseResponse } from '../shared/parse.js';
import { prefetchNextPage, type Produced } from '../shared/prefetch-next-page.js';
import type { GithubApi } from './client.js';
import { dueForProbe, probeRepos } from './coverage.js';
import { FULL_SYNC_EVERY_MS, readGithubCursor, type GithubCursor } from './cursor.js';
import { alertFinding, repoAsset } from './map.js';
import { alertListSchema, repoListSchema, type GhAlertJson, type GhRepoJson } from './schemas.js';

export interface GithubSourceOptions {
  readonly org: string;
  readonly api: GithubApi;
  readonly logger: Logger;
}

const ALL_STATES = 'auto_dismissed,dismissed,fixed,open';
const keyOf = (a: GhAlertJson): string => `${a.repository.full_name}#${a.number}`;
const progress = (done: number): SourcePage['progress'] => ({ done, total: null, unit: 'alerts' });

export function createGithubSource({ org, api, logger }: GithubSourceOptions): VulnerabilitySource {
  const log = logger.child({ source: 'github', org });

  function run(raw: SyncCursor | null, now: Date): SourceRun {
    const { cursor: prev, problem } = readGithubCursor(raw, org);
    if (problem) log.warn(problem);
    let next: GithubCursor = prev;
    const at = now.toISOString();
    const counts = { repoPages: 0, alertPages: 0, probes: 0, alerts: 0 };
    const before = { ...api.stats };

    async function* produce(): AsyncGenerator<Produced, void, undefined> {
      const repos = new Map<string, GhRepoJson>();
      const yieldedDisabled = new Map<string, boolean>();
      const disabledBefore = (name: string): boolean => prev.probes[name]?.disabled === true;
      const asset = (r: GhRepoJson, disabled: boolean): Asset => {
        yieldedDisabled.set(r.full_name, disabled);
        return repoAsset(r, disabled, at);
      };

      let url: string | null = '/orgs/{org}/repos';
      let params: Record<string, string | number> = { org, per_page: 100 };
      while (url) {
        const res = await api.get(url, params);
        counts.repoPages += 1;
        if (res.notModified) break;
        const page = parseResponse(repoListSchema, res.data, 'github', `GET /orgs/${org}/repos`);
        for (const r of page) repos.set(r.full_name, r);
        yield { page: { assets: page.map((r) => asset(r, disabledBefore(r.full_name))), progress: progress(0) } };
        [url, params] = [res.next, {}];
      }

      const full = prev.fullAt === null || now.getTime() - Date.parse(prev.fullAt) >= FULL_SYNC_EVERY_MS;
      const seen = new Set<string>();
      let highWater = full ? null : prev.highWater;
      let atHighWater = new Set(full ? [] : prev.atHighWater);
      const seenAtMark = new Set(prev.atHighWater);
      let etag: string | null = null;
      url = '/orgs/{org}/dependabot/alerts';
      params = { org, state: ALL_STATES, sort: 'updated', direction: 'desc', per_page: 100 };
      let first = true;
      let unchanged = false;
      while (url) {
        const res = await api.get(url, params, first && !full ? prev.etag : null);
        counts.alertPages += 1;
        if (res.notModified) {
          unchanged = true;
          break;
        }
        if (first) etag = res.etag;
        first = false;
        const alerts = parseResponse(alertListSchema, res.data, 'github', `GET /orgs/${org}/dependabot/alerts`);
        const mark = full ? null : prev.highWater;
        const older = mark === null ? [] : alerts.filter((a) => a.updated_at < mark);
        const fresh = mark === null ? alerts : alerts.filter((a) => a.updated_at > mark || (a.updated_at === mark && !seenAtMark.has(keyOf(a))));
        const extraAssets: Asset[] = [];
        for (const a of fresh) {
          const name = a.repository.full_name;
          seen.add(name);
          if (highWater === null || a.updated_at > highWater) [highWater, atHighWater] = [a.updated_at, new Set([keyOf(a)])];
          else if (a.updated_at === highWater) atHighWater.add(keyOf(a));
          if (!repos.has(name)) {
            const r: GhRepoJson = { full_name: name, archived: false, default_branch: null };
            repos.set(name, r);
            extraAssets.push(asset(r, false));
          }
        }
        counts.alerts += fresh.length;
        url = older.length > 0 ? null : res.next;
        params = {};
        const done = url === null;
        yield {
          page: { ...(extraAssets.length > 0 ? { assets: extraAssets } : {}), findings: fresh.map(alertFinding), progress: progress(counts.alerts) },
          commit: done ? () => (next = { ...next, highWater, atHighWater: [...atHighWater].sort(), etag, fullAt: full ? at : prev.fullAt, withAlerts: [...(full ? seen : new Set([...prev.withAlerts, ...seen]))].sort() }) : undefined,
        };
      }
      if (unchanged) log.debug('alerts unchanged since the last run (304)');

      const withAlerts = new Set([...(full && !unchanged ? [] : prev.withAlerts), ...seen]);
      const candidates = [...repos.values()].filter((r) => !r.archived && !withAlerts.has(r.full_name)).map((r) => r.full_name);
      const due = candidates.filter((name) => dueForProbe(name, prev.probes[name], now));
      const probed = await probeRepos(api, due, prev.probes, now, log);
      counts.probes = probed.requests;
      for (const name of probed.withAlerts) withAlerts.add(name);
      const probes = Object.fromEntries(candidates.filter((n) => !withAlerts.has(n)).flatMap((n) => {
        const p = probed.probes[n] ?? prev.probes[n];
        return p ? [[n, p] as const] : [];
      }));
      const changed = [...repos.values()].filter((r) => yieldedDisabled.get(r.full_name) !== (probes[r.full_name]?.disabled === true));
      yield {
        page: { ...(changed.length > 0 ? { assets: changed.map((r) => asset(r, probes[r.full_name]?.disabled === true)) } : {}), progress: progress(counts.alerts) },
        commit: () => (next = { ...next, probes, withAlerts: [...withAlerts].sort() }),
      };
      const { requests, notModified, retries } = api.stats;
      log.info({ ...counts, requests: requests - before.requests, notModified: notModified - before.notModified, retries: retries - before.retries, full }, 'GitHub read');
    }

    return { pages: prefetchNextPage(produce()), cursor: () => next };
  }

  return { name: 'github', run };
}
