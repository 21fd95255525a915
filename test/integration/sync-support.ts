/**
 * The sync against every fake at once: GitHub, Snyk, SSM, KEV and EPSS serving one population, the real adapters
 * from createSources (fast recorded retries), a real SQLite store, a pinned clock.
 */
import type { Store } from '../../src/app/ports.js';
import { createSync, type Sync } from '../../src/app/sync/sync.js';
import { createLogger } from '../../src/logger.js';
import { createSources } from '../../src/sources/create-sources.js';
import { startFakeEpss, type FakeEpss } from '../support/feeds/fake-epss.js';
import { startFakeKev, type FakeKev } from '../support/feeds/fake-kev.js';
import { startFakeGithub, type FakeGithub } from '../support/github/fake-github.js';
import type { Population } from '../support/population/types.js';
import { startFakeSnyk, type FakeSnyk } from '../support/snyk/fake-snyk.js';
import { startFakeSsm, type FakeSsm } from '../support/ssm/fake-ssm.js';
import { tempStore, type TempStore } from '../support/temp-store.js';
import { configFrom, recordingSleep, TEST_RETRY, type Sleeper } from './sources-support.js';

export const GITHUB_TOKEN = 'gh-sync-token-7d1e';
export const SNYK_TOKEN = 'snyk-sync-token-0b3c';

export interface Fakes {
  readonly github: FakeGithub;
  readonly snyk: FakeSnyk;
  readonly ssm: FakeSsm;
  readonly kev: FakeKev;
  readonly epss: FakeEpss;
}

export interface SyncWorld {
  readonly population: Population;
  readonly fakes: Fakes;
  readonly temp: TempStore;
  readonly store: Store;
  readonly sleeper: Sleeper;
  readonly clock: { now: Date };
  /** A sync over the real sources (a fresh set per call, as each process start builds them), on `store` by default. */
  sync(store?: Store): Sync;
  close(): Promise<void>;
}

export async function syncWorld(population: Population): Promise<SyncWorld> {
  const [github, snyk, ssm, kev, epss] = await Promise.all([
    startFakeGithub(population, { token: GITHUB_TOKEN }),
    startFakeSnyk(population, { token: SNYK_TOKEN }),
    startFakeSsm(population),
    startFakeKev(population),
    startFakeEpss(population),
  ]);
  const temp = await tempStore();
  const sleeper = recordingSleep();
  const clock = { now: new Date(population.now) };
  const config = configFrom({
    GITHUB_TOKEN, GITHUB_ORG: population.github.org, GITHUB_API_URL: github.url,
    SNYK_TOKEN, SNYK_ORG_ID: population.snyk.orgId, SNYK_API_URL: snyk.url,
    AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_SSM: ssm.url,
    KEV_URL: kev.feedUrl, EPSS_URL: epss.apiUrl,
  });
  const logger = createLogger('silent');
  const now = () => clock.now;
  return {
    population,
    fakes: { github, snyk, ssm, kev, epss },
    temp,
    store: temp.store,
    sleeper,
    clock,
    sync: (store = temp.store) => {
      const { sources, feeds } = createSources(config, {
        kv: store.kv, logger, now, sleep: sleeper.sleep,
        clientOverrides: { retry: TEST_RETRY, awsCredentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
      });
      return createSync({ store, sources, feeds, sla: config.policy.sla, owners: config.policy.owners, now, logger });
    },
    close: async () => {
      await Promise.all([github.close(), snyk.close(), ssm.close(), kev.close(), epss.close()]);
      await temp.dispose();
    },
  };
}
