/**
 * Exactly once across crashes, with the real bot process (src/main.ts under tsx, as `npm start`) killed with
 * SIGKILL: first right after its SendCommand reached SSM but before the answer came back (the command id was never
 * stored), then while it follows the run. Each restart finds where the last process stopped, in the store and by
 * the command's Comment (ListCommands); the run is followed to the end and verified, and SSM saw one SendCommand.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebClient } from '@slack/web-api';
import { stringify } from 'yaml';
import { verifyChain } from '../../src/app/audit.js';
import type { Store } from '../../src/app/ports.js';
import { createSync } from '../../src/app/sync/sync.js';
import { writeVersioned } from '../../src/app/write-versioned.js';
import { ok } from '../../src/domain/result.js';
import type { SsmRun } from '../../src/domain/run-records.js';
import { createLogger } from '../../src/logger.js';
import { ACTION, VIEW } from '../../src/slack/ids.js';
import { createSources } from '../../src/sources/create-sources.js';
import { openStore } from '../../src/store/open-store.js';
import { CHANNEL, DEFAULT_POLICY, PEOPLE, SIGNING_SECRET } from '../support/bot-harness.js';
import { small } from '../support/population/presets.js';
import { postRemediationMessage } from '../support/post-message.js';
import { createSlackDriver } from '../support/slack/driver.js';
import { startFakeSlack, type FakeSlack } from '../support/slack/fake-slack.js';
import { spawnBot, type BotProcess } from '../support/spawn-bot.js';
import { startFakeSsm, type FakeSsm } from '../support/ssm/fake-ssm.js';
import { configFrom, TEST_RETRY } from './sources-support.js';
import { until } from './workflow-support.js';

const LEASE_AND_START_MS = 90_000;

describe('a deployment whose bot is killed (kill -9) and restarted', () => {
  let slack: FakeSlack;
  let ssm: FakeSsm;
  let dir: string;
  const bots: BotProcess[] = [];

  beforeAll(async () => {
    slack = await startFakeSlack();
    for (const p of Object.values(PEOPLE)) slack.addUser({ id: p.id, name: p.name, tz: 'Europe/Berlin' });
    slack.addUsergroup({ id: 'S0ENGINEERS', handle: 'engineers', users: [PEOPLE.engineer.id, PEOPLE.engineer2.id] });
    slack.addChannel({ id: CHANNEL, name: 'patches' });
    // Slow enough to be caught mid-run: each invocation is pending for 3 polls, then running for 6.
    ssm = await startFakeSsm(small(), { progress: { pendingPolls: 3, inProgressPolls: 6 } });
    dir = mkdtempSync(join(tmpdir(), 'pw-restart-'));
    writeFileSync(join(dir, 'patchwarden.config.yaml'), stringify({ ...DEFAULT_POLICY, maintenanceWindows: [], deploy: { pollSeconds: 1 } }));
  });
  afterAll(async () => {
    for (const b of bots) if (b.child.exitCode === null) b.child.kill('SIGKILL');
    await Promise.all(bots.map((b) => b.exited));
    await Promise.all([slack.close(), ssm.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const env = () => ({
    SLACK_BOT_TOKEN: slack.botToken, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url, PATCH_CHANNEL: CHANNEL, PORT: '0', LOG_LEVEL: 'info',
    PATCHWARDEN_DB: join(dir, 'patchwarden.db'), PATCHWARDEN_CONFIG: join(dir, 'patchwarden.config.yaml'),
    AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_SSM: ssm.url, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', KEV_URL: '', EPSS_URL: '',
  });
  const start = async (): Promise<{ bot: BotProcess; port: number }> => {
    const bot = spawnBot(env(), dir);
    bots.push(bot);
    return { bot, port: await bot.waitForPort(30_000) };
  };
  const kill9 = async (bot: BotProcess): Promise<void> => {
    bot.child.kill('SIGKILL');
    await bot.exited;
  };
  const withStore = async <T>(work: (store: Store) => Promise<T>): Promise<T> => {
    const store = await openStore({ mongodbUri: null, dbPath: join(dir, 'patchwarden.db') });
    try {
      return await work(store);
    } finally {
      await store.close();
    }
  };

  /** The production OS-patch remediation, synced from the fake, approved, with its message in the channel. */
  async function seed(): Promise<{ id: string; ts: string }> {
    return withStore(async (store) => {
      const logger = createLogger('silent');
      const config = configFrom({ AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_SSM: ssm.url });
      const { sources, feeds } = createSources(config, { kv: store.kv, logger, clientOverrides: { retry: TEST_RETRY, awsCredentials: { accessKeyId: 'test', secretAccessKey: 'test' } } });
      await createSync({ store, sources, feeds, sla: config.policy.sla, now: () => new Date(), logger })();
      const r = (await store.remediations.list()).find((x) => x.remedy.kind === 'os_patches' && x.remedy.environment === 'production')!;
      const approved = await writeVersioned(store.remediations, r.id, (x) => ok({ next: { ...x, state: 'approved' as const }, events: [{ at: new Date().toISOString(), actor: 'system:test', action: 'remediation.updated' as const, subject: x.id, data: { setUpAs: 'approved' } }] }));
      if (!approved.ok) throw new Error('seed');
      const client = new WebClient(slack.botToken, { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
      const posted = await postRemediationMessage({ client, channel: CHANNEL, store, context: () => ({ now: new Date(), timeZone: 'Europe/Berlin', sla: config.policy.sla }) }, approved.value.after);
      return { id: r.id, ts: posted.message!.ts };
    });
  }

  it('resumes after each kill, never sends twice, and finishes: deployed, verified', async () => {
    const { id, ts } = await seed();
    const first = await start();
    const driver = createSlackDriver({ botUrl: `http://127.0.0.1:${first.port}/slack/events`, signingSecret: SIGNING_SECRET, fake: slack });

    // Deploy now; SSM creates the command, and the bot is killed before its answer arrives.
    ssm.knobs.holdAnswers({ operation: 'SendCommand' });
    await driver.blockAction({ user: PEOPLE.lead.id, message: slack.message(CHANNEL, ts)!, action_id: ACTION.deployNow });
    const modal = await until(() => slack.views({ callbackId: VIEW.deployNow })[0], 'the Deploy now modal', 20_000);
    await driver.viewSubmission({ user: PEOPLE.lead.id, view: modal, inputs: { reason: 'Exploited in the wild' } });
    await until(() => ssm.knobs.held === 1, 'SendCommand reaching SSM', 20_000);
    await kill9(first.bot);
    ssm.knobs.releaseHeld();
    const unsent = await withStore(async (s) => (await s.remediations.get(id))!);
    expect(unsent.state).toBe('deploying');
    expect((unsent.deployments[0]!.record as SsmRun).commandIds).toEqual([]);
    expect(ssm.commands).toHaveLength(1);

    // The second process finds the command by its Comment (the id was never stored), then follows it; killed mid-run.
    const second = await start();
    await until(async () => ((await withStore(async (s) => (await s.remediations.get(id))!.deployments[0]!.record)) as SsmRun).commandIds.length === 1, 'the command id found and stored', LEASE_AND_START_MS);
    const polls = () => ssm.requests.filter((q) => q.operation === 'ListCommands').length;
    const seen = polls();
    await until(() => polls() >= seen + 2, 'the run followed', 30_000);
    await kill9(second.bot);
    const midway = await withStore(async (s) => (await s.remediations.get(id))!);
    expect(midway.state).toBe('deploying');

    // The third process finishes it.
    const third = await start();
    const done = await until(async () => {
      const r = await withStore(async (s) => (await s.remediations.get(id))!);
      return r.state === 'verified' ? r : null;
    }, 'verified', LEASE_AND_START_MS);
    await third.bot.stop();

    expect(ssm.knobs.sendCommandCounts).toEqual({ 'AWS-RunPatchBaseline:Install': 1 });
    const run = done.deployments[0]!.record as SsmRun;
    expect(run.commandIds).toEqual([ssm.commands[0]!.id]);
    expect(run.instances.map((i) => i.status)).toEqual(['Success', 'Success']);
    expect(done.deployments[0]!.emergency).toMatchObject({ by: PEOPLE.lead.id, reason: 'Exploited in the wild', approval: null });
    await withStore(async (s) => {
      const sent = (await s.audit.bySubject(id)).filter((e) => e.action === 'ssm.command_sent');
      expect(sent.map((e) => [e.data.commandId, e.data.foundAfterRestart])).toEqual([[ssm.commands[0]!.id, true]]);
      expect(await verifyChain(s.audit.stream())).toMatchObject({ ok: true });
    });
    for (const b of bots) expect(b.stdout() + b.stderr()).not.toContain(slack.botToken);
  }, 240_000);
});
