/**
 * Builds the vulnerability sources whose settings are present (GitHub, Snyk, SSM) and the enrichment feeds,
 * each with its own client pointed at the configured base URL. Nothing here talks to the outside yet.
 */
import type { AdvisoryFeed, EnrichmentFeeds, KeyValue, VulnerabilitySource } from '../app/ports.js';
import type { BaseConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { createAdvisoryFeeds } from './advisories/create-advisory-feeds.js';
import { createFeeds } from './feeds/create-feeds.js';
import { createGithubClient } from './github/client.js';
import { createGithubSource } from './github/github-source.js';
import { DEFAULT_RETRY, realSleep, type RetryPolicy, type Sleep } from './shared/retry.js';
import { createSnykClient } from './snyk/client.js';
import { createSnykSource } from './snyk/snyk-source.js';
import { createSsmApi } from './ssm/client.js';
import { createSsmSource } from './ssm/ssm-source.js';

export interface ClientOverrides {
  /** Attempts, backoff and the longest server-given wait, for every client. */
  readonly retry?: Partial<RetryPolicy>;
  /** A fetch for octokit (proxies, tests). */
  readonly githubFetch?: typeof globalThis.fetch;
  /** Static AWS credentials instead of the SDK's chain (tests against the fake). */
  readonly awsCredentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
  /** Per-instance SSM calls in flight at once; default 8. */
  readonly ssmConcurrency?: number;
  /** axios timeout for Snyk and the feeds; default 60 s (advisory feeds 30 s). */
  readonly httpTimeoutMs?: number;
}

export interface CreateSourcesDeps {
  readonly kv: KeyValue;
  readonly logger: Logger;
  readonly now?: () => Date;
  readonly sleep?: Sleep;
  readonly clientOverrides?: ClientOverrides;
}

export interface Sources {
  readonly sources: VulnerabilitySource[];
  readonly feeds: EnrichmentFeeds;
  /** The policy's advisory feeds (`advisories.feeds`), read by the sync beside the sources. */
  readonly advisoryFeeds: AdvisoryFeed[];
}

export function createSources(config: BaseConfig, deps: CreateSourcesDeps): Sources {
  const now = deps.now ?? (() => new Date());
  const sleep = deps.sleep ?? realSleep;
  const o = deps.clientOverrides ?? {};
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...o.retry };
  const log = deps.logger.child({ component: 'sources' });
  const sources: VulnerabilitySource[] = [];

  if (config.github) {
    const { token, org, apiUrl } = config.github;
    const api = createGithubClient({ token, apiUrl, logger: log.child({ source: 'github' }), policy, sleep, now, ...(o.githubFetch ? { fetch: o.githubFetch } : {}) });
    sources.push(createGithubSource({ org, api, logger: log }));
  }
  if (config.snyk) {
    const { token, orgId, apiUrl } = config.snyk;
    const api = createSnykClient({ token, apiUrl, logger: log.child({ source: 'snyk' }), policy, sleep, now, ...(o.httpTimeoutMs ? { timeoutMs: o.httpTimeoutMs } : {}) });
    sources.push(createSnykSource({ orgId, api, logger: log }));
  }
  if (config.ssm) {
    const { region, endpoint } = config.ssm;
    const api = createSsmApi({ region, endpoint, logger: log.child({ source: 'ssm' }), policy, sleep, ...(o.awsCredentials ? { credentials: o.awsCredentials } : {}) });
    sources.push(createSsmSource({ region, api, policy: config.policy, logger: log, ...(o.ssmConcurrency ? { concurrency: o.ssmConcurrency } : {}) }));
  }
  const feeds = createFeeds({ ...config.feeds, kv: deps.kv, logger: log, now, sleep, policy, ...(o.httpTimeoutMs ? { timeoutMs: o.httpTimeoutMs } : {}) });
  const advisoryFeeds = createAdvisoryFeeds({ feeds: config.policy.advisories.feeds, logger: log, now, sleep, policy, ...(o.httpTimeoutMs ? { timeoutMs: o.httpTimeoutMs } : {}) });
  return { sources, feeds, advisoryFeeds };
}
