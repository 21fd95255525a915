/**
 * Builds the vulnerability sources whose settings are present (GitHub, Snyk, SSM) and the enrichment feeds,
 * each with its own client pointed at the configured base URL. Nothing here talks to the outside yet.
 */
import type { DeployConnectors } from '../app/deploy/deploy-ports.js';
import type { AdvisoryFeed, EnrichmentFeeds, KeyValue, VulnerabilitySource } from '../app/ports.js';
import type { BaseConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { createAdvisoryFeeds } from './advisories/create-advisory-feeds.js';
import { createFeeds } from './feeds/create-feeds.js';
import { createGithubClient } from './github/client.js';
import { createGithubSource } from './github/github-source.js';
import { createPullRequests } from './github/pull-requests.js';
import { DEFAULT_RETRY, realSleep, type RetryPolicy, type Sleep } from './shared/retry.js';
import { createSnykClient } from './snyk/client.js';
import { createSnykSource } from './snyk/snyk-source.js';
import { createSsmApi } from './ssm/client.js';
import { createSsmRuns } from './ssm/patch-runs.js';
import { createSsmSource } from './ssm/ssm-source.js';
import { createSourceStates } from './source-states.js';

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
  /** The same clients, for deploying (SSM runs, Dependabot merges) and verifying (alert and issue states). */
  readonly deploy: DeployConnectors;
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

  const github = config.github && createGithubClient({ token: config.github.token, apiUrl: config.github.apiUrl, logger: log.child({ source: 'github' }), policy, sleep, now, ...(o.githubFetch ? { fetch: o.githubFetch } : {}) });
  if (config.github && github) sources.push(createGithubSource({ org: config.github.org, api: github, logger: log }));
  const snyk = config.snyk && createSnykClient({ token: config.snyk.token, apiUrl: config.snyk.apiUrl, logger: log.child({ source: 'snyk' }), policy, sleep, now, ...(o.httpTimeoutMs ? { timeoutMs: o.httpTimeoutMs } : {}) });
  if (config.snyk && snyk) sources.push(createSnykSource({ orgId: config.snyk.orgId, api: snyk, logger: log }));
  const ssm = config.ssm && createSsmApi({ region: config.ssm.region, endpoint: config.ssm.endpoint, logger: log.child({ source: 'ssm' }), policy, sleep, ...(o.awsCredentials ? { credentials: o.awsCredentials } : {}) });
  if (config.ssm && ssm) sources.push(createSsmSource({ region: config.ssm.region, api: ssm, policy: config.policy, logger: log, ...(o.ssmConcurrency ? { concurrency: o.ssmConcurrency } : {}) }));
  const feeds = createFeeds({ ...config.feeds, kv: deps.kv, logger: log, now, sleep, policy, ...(o.httpTimeoutMs ? { timeoutMs: o.httpTimeoutMs } : {}) });
  const deploy: DeployConnectors = {
    ssm: ssm ? createSsmRuns(ssm) : null,
    github: github ? createPullRequests(github) : null,
    sources: createSourceStates({ github: github || null, snyk: config.snyk && snyk ? { api: snyk, orgId: config.snyk.orgId } : null }),
  };
  const advisoryFeeds = createAdvisoryFeeds({ feeds: config.policy.advisories.feeds, logger: log, now, sleep, policy, ...(o.httpTimeoutMs ? { timeoutMs: o.httpTimeoutMs } : {}) });
  return { sources, feeds, advisoryFeeds, deploy };
}
