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
import { pendingEmergencies } from './app/deploy/emergencies.js';
import { createOutboxDrainer, type OutboxDrainer } from './app/outbox/drain-outbox.js';
import type { EnrichmentFeeds, Store } from './app/ports.js';
import { ConfigError, configuredSources, loadConfig, type Config } from './config.js';
import { createEvidencePack } from './app/evidence/build-pack.js';
import { printerFor } from './browser/printer-for.js';
import { toolVersion } from './version.js';
import { boundHeapGrowth } from './heap.js';
import { createLogger, type Logger } from './logger.js';
import { createApplyStep } from './app/workflow/apply-step.js';
import { createAuthorize } from './app/workflow/authorize.js';
import { createRecordDenial } from './app/workflow/record-denial.js';
import { createSharedReports } from './app/reports/shared-report.js';
import { createRoleResolver } from './app/role-resolver.js';
import { createSync, type Sync } from './app/sync/sync.js';
import { DEPLOY_JOB } from './jobs/deploy-job.js';
import { createDeployRunner, type DeployRunner } from './jobs/deploy-runner.js';
import type { JobDeps } from './jobs/job-deps.js';
import { registerJobs } from './jobs/register-jobs.js';
import { createScheduler, type Scheduler } from './jobs/scheduler.js';
import { createSlackApp, type App } from './slack/create-app.js';
import { createHealthCheck } from './slack/health-check.js';
import type { SlackDeps } from './slack/deps.js';
import { slackDirectory } from './slack/adapters/user-group-directory.js';
import { createAnnouncer } from './slack/deploy/announce.js';
import { createEffectHandlers } from './slack/posting/outbox-handlers.js';
import { createDigestPoster } from './slack/posting/post-digest.js';
import { createRemediationPublisher } from './slack/posting/publish-remediation.js';
import { createAdvisoryReviewReminder } from './slack/posting/remind-advisory-reviews.js';
import { createEmergencyReminderSender } from './slack/posting/send-emergency-reminders.js';
import { createReminderSender } from './slack/posting/send-reminders.js';
import { slackFileDownloader } from './slack/adapters/file-downloader.js';
import { createModalOpener, modalClient } from './slack/adapters/modal-opener.js';
import { registerListeners } from './slack/register.js';
import { createTurns } from './slack/turns.js';
import { createAckCounter, type AckCounter } from './slack/receiver.js';
import { createSources, type CreateSourcesDeps } from './sources/create-sources.js';
import { openStore } from './store/open-store.js';

export interface Running {
  readonly store: Store;
  /** The HTTP port actually bound (useful with PORT=0). */
  readonly port: number;
  /** The cron jobs (digest, reminders, …); `runNow(name)` runs one as its schedule would. */
  readonly jobs: Scheduler;
  /** Does the Slack effects recorded steps owe (src/app/outbox). */
  readonly outbox: OutboxDrainer;
  /** Deploy work under way in the background (staging runs, deployments, verifications). */
  readonly deployRunner: DeployRunner;
  /** Stops taking requests, lets what was acknowledged finish (up to SHUTDOWN_GRACE_MS), then closes the store. */
  stop(): Promise<void>;
}

/** How long shutdown waits for acknowledged work (a step after its ack, a job, Slack effects) before closing. */
export const SHUTDOWN_GRACE_MS = 25_000;

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
function wire(config: Config, app: App, store: Store, logger: Logger, now: () => Date, sync: Sync, enrichment: EnrichmentFeeds, connectors: DeployConnectors, options: StartOptions, acks: AckCounter): Wired {
  const { policy } = config;
  const messageContext = () => ({ now: now(), timeZone: policy.timezone, sla: policy.sla });
  const recordDenial = createRecordDenial({ store });
  const base = {
    store,
    policy,
    channel: config.slack.channel,
    botToken: config.slack.botToken,
    client: app.client,
    openModal: createModalOpener(modalClient(config, logger, options.clientOptions)),
    roles: createRoleResolver(policy.roles, slackDirectory(app.client)),
    authorize: createAuthorize({ store, now, recordDenial }),
    applyStep: createApplyStep({ store, sla: policy.sla, now, recordDenial }),
    enrichment,
    files: slackFileDownloader({ token: config.slack.botToken, apiUrl: config.slack.apiUrl }),
    sync,
    evidencePack: createEvidencePack({ store, policy, sources: configuredSources(config), printer: printerFor(config.chromiumPath), toolVersion: toolVersion(), now }),
    reports: createSharedReports({
      store,
      staleScanDays: policy.inventory.staleScanDays,
      reviewWithinDays: policy.advisories.reviewWithinDays,
      windows: policy.maintenanceWindows,
      timeZone: policy.timezone,
      now,
      emergencies: () => pendingEmergencies(store, now()),
    }),
    turns: createTurns({
      acks,
      onStart: (lane, waitedMs) => {
        if (waitedMs > SLOW_TURN_MS) logger.warn({ lane, waitedMs: Math.round(waitedMs) }, 'work waited over a second for its turn');
      },
    }),
    messageContext,
    now,
    logger,
  };
  const outbox = createOutboxDrainer({ store, handlers: createEffectHandlers(base), now, logger });
  const log = logger.child({ component: 'deploy' });
  const timing = { ...timingFor(policy.deploy), ...options.deploy?.timing };
  const announcer = createAnnouncer({ outbox, leads: policy.roles.lead, timeZone: policy.timezone, logger: log });
  // The runner and the use cases refer to each other: a person's action hands its remediation to the runner.
  const runnerRef: { current: DeployRunner | null } = { current: null };
  const { applyStep, authorize } = base;
  const deploy = createDeployServices({ store, policy, connectors, applyStep, authorize, announcer, now, timing, logger: log }, (id) => runnerRef.current?.kick(id));
  const runner = createDeployRunner({ store, work: deploy.work.advance, due: () => dueWork(store, now()), now, logger: log, ...(options.deploy?.leaseMs ? { leaseMs: options.deploy.leaseMs } : {}) });
  runnerRef.current = runner;
  return { deps: { ...base, outbox, publisher: createRemediationPublisher({ store, outbox }), deploy }, runner };
}

/** The jobs' deps: the same use cases, and the Slack posting they do. */
function jobDeps({ deps, runner }: Wired): JobDeps {
  const { store, policy, now, applyStep, sync, outbox, publisher, messageContext } = deps;
  const slack = {
    digest: createDigestPoster(deps), sendReminders: createReminderSender(deps), remindAdvisoryReviews: createAdvisoryReviewReminder(deps), publisher, messageContext,
    sendEmergencyReminders: createEmergencyReminderSender(deps),
  };
  return { store, policy, now, applyStep, sync, outbox, slack, deployRunner: runner };
}

/** Resolves when `work` does, or after `ms`, whichever comes first (false then). */
async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A turn that waited longer than this is logged: people are waiting on it. */
const SLOW_TURN_MS = 1000;

export class StartupError extends Error {
  override name = 'StartupError';
}

/** Computes the shared reports once, so their queries, pages and code are warm before /healthz says ready. */
async function warmUp(deps: SlackDeps, logger: Logger): Promise<void> {
  const started = performance.now();
  try {
    await deps.reports.status();
    logger.info({ ms: Math.round(performance.now() - started) }, 'reports warmed');
  } catch (e) {
    logger.warn({ err: e }, 'could not warm the reports; they are computed on first use');
  }
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
  // Not ready (/healthz 503 "starting") until the reports are warm: the first burst after boot is served from memory.
  let ready = false;
  const acks = createAckCounter();
  const app = createSlackApp({
    acks,
    slack: config.slack,
    logger,
    ready: () => ready,
    healthy: createHealthCheck({ probe: () => store.audit.head() }),
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
  const sync = createSync({ store, sources, feeds, advisoryFeeds, firstRead: config.policy.advisories.firstRead, sla: config.policy.sla, owners: config.policy.owners, now, logger });
  const wired = wire(config, app, store, logger, now, sync, feeds, deploy, options, acks);
  const { deps } = wired;
  registerListeners(app, deps);
  const started = await app.start(config.slack.port);
  await warmUp(deps, logger);
  ready = true;
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
  // Effects a crash or an outage left owed: done now rather than at the first step or the next catch-up.
  void deps.outbox.drain().catch((e: unknown) => logger.warn({ err: e }, 'could not do the Slack effects still owed at start; the outbox job tries again'));
  let stopped = false;
  return {
    store,
    port,
    jobs,
    outbox: deps.outbox,
    deployRunner: wired.runner,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await app.stop();
      // What was acknowledged is done before the store closes: the work after acks, the jobs, their Slack effects.
      const drained = await within(Promise.all([deps.turns.idle(), jobs.stop(), wired.runner.stop()]).then(() => deps.outbox.idle()), SHUTDOWN_GRACE_MS);
      if (!drained) logger.warn({ graceMs: SHUTDOWN_GRACE_MS }, 'shutting down with work still running; what it recorded stays, the rest is not done');
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
  boundHeapGrowth();
  await main();
}
