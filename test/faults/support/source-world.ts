/**
 * The bot as its own process (bot-process.ts: production retries and timeouts, every log line at debug kept) with
 * every outside source behind it: the GitHub, Snyk, SSM, KEV and EPSS fakes serving one population, a store of its
 * own, and `/patch sync` as a lead types it, returning the run's report once it has finished.
 */
import type { Store } from '../../../src/app/ports.js';
import { SYNC_RUNS, type SyncReport } from '../../../src/app/sync/report.js';
import { CHANNEL, PEOPLE } from '../../support/bot-harness.js';
import type { Population } from '../../support/population/types.js';
import { GITHUB_TOKEN, SNYK_TOKEN, startSourceFakes, type Fakes } from '../../integration/sync-support.js';
import { until } from '../../integration/workflow-support.js';
import { startBotWorld, type BotWorld, type RunningBot } from './bot-process.js';
import { newStoreTarget, type StoreTarget } from './store-target.js';

export const AWS_SECRET = 'aws-secret-for-the-fault-suite-3f9c';

export interface SourceWorld {
  readonly population: Population;
  readonly fakes: Fakes;
  readonly world: BotWorld;
  readonly bot: RunningBot;
  readonly store: Store;
  /** Every secret the bot was given (none may appear in a log line). */
  readonly secrets: readonly string[];
  /** `/patch sync` by a lead; resolves with the run's report once it has finished. */
  sync(): Promise<SyncReport>;
  close(): Promise<void>;
}

export async function startSourceWorld(population: Population, policy: Record<string, unknown> = {}): Promise<SourceWorld> {
  const fakes = await startSourceFakes(population);
  const { github, snyk, ssm, kev, epss } = fakes;
  const target: StoreTarget = newStoreTarget('sources');
  const store = await target.open();
  const world = await startBotWorld({
    store: target,
    policy: { schedules: { sync: '0 0 1 1 *', digest: '0 0 1 1 *', reminders: '0 0 1 1 *' }, ...policy },
    env: {
      GITHUB_TOKEN, GITHUB_ORG: population.github.org, GITHUB_API_URL: github.url,
      SNYK_TOKEN, SNYK_ORG_ID: population.snyk.orgId, SNYK_API_URL: snyk.url,
      AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_SSM: ssm.url, AWS_ACCESS_KEY_ID: 'AKIAFAULTSUITE000001', AWS_SECRET_ACCESS_KEY: AWS_SECRET,
      KEV_URL: kev.feedUrl, EPSS_URL: epss.apiUrl,
    },
  });
  const bot = await world.start();
  return {
    population,
    fakes,
    world,
    bot,
    store,
    secrets: [GITHUB_TOKEN, SNYK_TOKEN, AWS_SECRET, world.slack.botToken],
    async sync() {
      const before = (await store.kv.get<SyncReport>(SYNC_RUNS, 'latest'))?.id ?? null;
      await bot.driver.slashCommand({ command: '/patch', text: 'sync', user_id: PEOPLE.lead.id, channel_id: CHANNEL });
      return until(async () => {
        const latest = await store.kv.get<SyncReport>(SYNC_RUNS, 'latest');
        return latest && latest.id !== before && latest.finishedAt ? latest : null;
      }, 'the sync to finish', 120_000);
    },
    async close() {
      await bot.stop();
      await world.close();
      await store.close();
      await target.dispose();
      await Promise.all([github.close(), snyk.close(), ssm.close(), kev.close(), epss.close()]);
    },
  };
}
