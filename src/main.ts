/**
 * Composition root: config -> logger -> store -> Slack app -> listeners -> jobs -> start.
 * `npm start` runs this file; tests call `startPatchwarden` with their own config and fakes.
 */
import type { AddressInfo, Server } from 'node:net';
import { pathToFileURL } from 'node:url';
import type { WebClientOptions } from '@slack/web-api';
import { dueWork } from './app/deploy/advance.js';
import { timingFor, type DeployTiming } from './app/deploy/deploy-deps.js';
import type { DeployConnectors } from './app/deploy/deploy-ports.js';
import { createDeployServices } from './app/deploy/deploy-services.js';
import type { Store } from './app/ports.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { createApplyStep } from './app/workflow/apply-step.js';
import { createAuthorize } from './app/workflow/authorize.js';
import { createRoleResolver } from './app/role-resolver.js';
import { createSync, type Sync } from './app/sync/sync.js';
import { DEPLOY_JOB } from './jobs/deploy-job.js';
import { createDeployRunner, type DeployRunner } from './jobs/deploy-runner.js';
import type { JobDeps } from './jobs/job-deps.js';
import { registerJobs } from './jobs/register-jobs.js';
import { createScheduler, type Scheduler } from './jobs/scheduler.js';
import { createSlackApp, type App } from './slack/create-app.js';
import type { SlackDeps } from './slack/deps.js';
import { slackDirectory } from './slack/adapters/user-group-directory.js';
import { createAnnounce } from './slack/deploy/announce.js';
import { createDigestPoster } from './slack/posting/post-digest.js';
import { createAdvisoryPublisher } from './slack/posting/publish-advisory.js';
import { createRemediationPublisher } from './slack/posting/publish-remediation.js';
import { createAdvisoryReviewReminder } from './slack/posting/remind-advisory-reviews.js';
import { createEmergencyReminderSender } from './slack/posting/send-emergency-reminders.js';
import { createReminderSender } from './slack/posting/send-reminders.js';
import { slackFileDownloader } from './slack/adapters/file-downloader.js';
import { registerListeners } from './slack/register.js';
import { createTurns } from './slack/turns.js';
import { createSources, type CreateSourcesDeps } from './sources/create-sources.js';
import { openStore } from './store/open-store.js';

export interface Running {
  readonly store: Store;
  /** The HTTP port actually bound (useful with PORT=0). */
  readonly port: number;
  /** The cron jobs (digest, reminders, …); `runNow(name)` runs one as its schedule would. */
  readonly jobs: Scheduler;
  /** Deploy work under way in the background (staging runs, deployments, verifications). */
  readonly deployRunner: DeployRunner;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Extra Web API client options (tests turn retries off). */
  readonly clientOptions?: WebClientOptions;
  /** The clock (tests pin it). */
  readonly now?: () => Date;
  /** False: the jobs run only through `jobs.runNow` (tests, where a cron tick at a real 08:00 would surprise). */
  readonly scheduleJobs?: boolean;
  /** The sources' retry policy, sleep and client settings (tests against the fakes). */
  readonly sources?: Pick<CreateSourcesDeps, 'clientOverrides' | 'sleep'>;
  /** How patiently deploy work waits, and its lease (tests, the benchmark). */
  readonly deploy?: { readonly timing?: Partial<DeployTiming>; readonly leaseMs?: number };
}

interface Wired {
  readonly deps: SlackDeps;
  readonly runner: DeployRunner;
}

/** Wires the use cases to the Slack app: the one place that decides what talks to what. */
function wire(config: Config, app: App, store: Store, logger: Logger, now: () => Date, sync: Sync, connectors: DeployConnectors, options: StartOptions): Wired {
  const { policy } = config;
  const messageContext = () => ({ now: now(), timeZone: policy.timezone, sla: policy.sla });
  const roles = createRoleResolver(policy.roles, slackDirectory(app.client));
  const authorize = createAuthorize({ store, now });
  const applyStep = createApplyStep({ store, sla: policy.sla, now });
  const publisher = createRemediationPublisher({ client: app.client, channel: config.slack.channel, store, context: messageContext, logger });
  const log = logger.child({ component: 'deploy' });
  const timing = { ...timingFor(policy.deploy), ...options.deploy?.timing };
  const announce = createAnnounce({ publisher, roles, timeZone: policy.timezone, logger: log });
  // The runner and the use cases refer to each other: a person's action hands its remediation to the runner.
  const runnerRef: { current: DeployRunner | null } = { current: null };
  const deploy = createDeployServices({ store, policy, connectors, applyStep, authorize, now, timing, logger: log }, announce, (id) => runnerRef.current?.kick(id));
  const runner = createDeployRunner({ store, work: deploy.work.advance, due: () => dueWork(store, now()), now, logger: log, ...(options.deploy?.leaseMs ? { leaseMs: options.deploy.leaseMs } : {}) });
  runnerRef.current = runner;
  const deps: SlackDeps = {
    store,
    policy,
    channel: config.slack.channel,
    botToken: config.slack.botToken,
    client: app.client,
    roles,
    authorize,
    applyStep,
    publisher,
    advisories: createAdvisoryPublisher({ client: app.client, channel: config.slack.channel, store, timeZone: policy.timezone, now, logger }),
    files: slackFileDownloader({ token: config.slack.botToken, apiUrl: config.slack.apiUrl }),
    sync,
    turns: createTurns(),
    messageContext,
    deploy,
    now,
    logger,
  };
  return { deps, runner };
}

/** The jobs' deps: the same use cases, and the Slack posting they do. */
function jobDeps({ deps, runner }: Wired): JobDeps {
  const { store, policy, now, applyStep, sync, publisher, messageContext, advisories } = deps;
  const slack = {
    digest: createDigestPoster(deps), sendReminders: createReminderSender(deps), remindAdvisoryReviews: createAdvisoryReviewReminder(deps), publisher, advisories, messageContext,
    sendEmergencyReminders: createEmergencyReminderSender(deps),
  };
  return { store, policy, now, applyStep, sync, slack, deployRunner: runner };
}

export class StartupError extends Error {
  override name = 'StartupError';
}

function describeSources(config: Config): string {
  const on = [
    config.github && `github (${config.github.org})`,
    config.snyk && 'snyk',
    config.ssm && `ssm (${config.ssm.region})`,
  ].filter(Boolean);
  const advisories = config.policy.advisories.feeds.map((f) => `advisories (${f.name})`);
  return on.length > 0 || advisories.length > 0 ? [...on, ...advisories].join(', ') : 'none (manual inventory only)';
}

export async function startPatchwarden(config: Config, logger: Logger, options: StartOptions = {}): Promise<Running> {
  const store = await openStore(config.store);
  const app = createSlackApp({
    slack: config.slack,
    logger,
    healthy: async () => {
      await store.audit.head();
      return true;
    },
    clientOptions: options.clientOptions,
  });
  try {
    await app.init();
  } catch (e) {
    await store.close();
    const reason = (e as { data?: { error?: string } }).data?.error ?? (e as Error).message;
    throw new StartupError(`Slack did not accept SLACK_BOT_TOKEN (auth.test: ${reason}). Check the token and SLACK_API_URL (${config.slack.apiUrl}).`);
  }
  const now = options.now ?? (() => new Date());
  const { sources, feeds, advisoryFeeds, deploy } = createSources(config, { kv: store.kv, logger, now, ...options.sources });
  const sync = createSync({ store, sources, feeds, advisoryFeeds, sla: config.policy.sla, owners: config.policy.owners, now, logger });
  const wired = wire(config, app, store, logger, now, sync, deploy, options);
  registerListeners(app, wired.deps);
  const started = await app.start(config.slack.port);
  const jobs = createScheduler({ store, timezone: config.policy.timezone, logger, now });
  registerJobs(jobs, jobDeps(wired));
  if (options.scheduleJobs !== false) {
    jobs.start();
    // Whatever a previous process left under way (a run, a window that opened meanwhile) resumes now.
    void jobs.runNow(DEPLOY_JOB);
  }
  const address = config.slack.appToken ? null : ((started as Server).address() as AddressInfo | null);
  const port = address?.port ?? config.slack.port;
  logger.info(
    {
      mode: config.slack.appToken ? 'socket' : 'http',
      port,
      store: config.store.mongodbUri ? 'mongodb' : `sqlite (${config.store.dbPath})`,
      sources: describeSources(config),
      policy: config.policySource,
    },
    config.slack.appToken ? `patchwarden is running in Socket Mode (health on :${port}/healthz)` : `patchwarden is listening on :${port}/slack/events`,
  );
  let stopped = false;
  return {
    store,
    port,
    jobs,
    deployRunner: wired.runner,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await jobs.stop();
      await wired.runner.stop();
      await app.stop();
      await store.close();
    },
  };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`${e.message}\n`);
    process.exitCode = 1;
    return;
  }
  const logger = createLogger(config.logLevel);
  let running: Running;
  try {
    running = await startPatchwarden(config, logger);
  } catch (e) {
    logger.fatal({ err: e }, e instanceof StartupError ? e.message : 'patchwarden could not start');
    process.exitCode = 1;
    return;
  }
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    running.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        logger.error({ err: e }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
