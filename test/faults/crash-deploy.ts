/**
 * kill -9 during deployment tracking: a lead's Deploy now on the production OS patches, the bot killed at its k-th
 * call to SSM (SendCommand, ListCommands, the invocations, the verifying Scan), then restarted. The restarted runner
 * finds where the last process stopped (the deployment record, the command by its Comment) and follows the run to
 * verified (killed before the step was recorded, the lead presses Deploy now again): each command (per deployment
 * and operation) reaches SSM once, the record names it, one `ssm.command_sent` event.
 */
import type { Store } from '../../src/app/ports.js';
import { createSync } from '../../src/app/sync/sync.js';
import { writeVersioned } from '../../src/app/write-versioned.js';
import { ok } from '../../src/domain/result.js';
import type { SsmRun } from '../../src/domain/run-records.js';
import { createLogger } from '../../src/logger.js';
import { ACTION, VIEW } from '../../src/slack/ids.js';
import { createSources } from '../../src/sources/create-sources.js';
import { PEOPLE } from '../support/bot-harness.js';
import { small } from '../support/population/presets.js';
import { startFakeSsm } from '../support/ssm/fake-ssm.js';
import { configFrom, TEST_RETRY } from '../integration/sources-support.js';
import { until } from '../integration/workflow-support.js';
import type { BotWorld, RunningBot } from './support/bot-process.js';
import { between, NEVER, type CrashCase } from './support/crash-scene.js';
import { startTripwire } from './support/tripwire.js';

const AWS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** The OS patches of production, synced from the fake and approved (as a lead and an approver would have), owed its message. */
async function approvedOsPatches(store: Store, ssmUrl: string): Promise<string> {
  const logger = createLogger('silent');
  const config = configFrom({ AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_SSM: ssmUrl });
  const { sources, feeds } = createSources(config, { kv: store.kv, logger, clientOverrides: { retry: TEST_RETRY, awsCredentials: AWS } });
  await createSync({ store, sources, feeds, sla: config.policy.sla, now: () => new Date(), logger })();
  const r = (await store.remediations.list()).find((x) => x.remedy.kind === 'os_patches' && x.remedy.environment === 'production');
  if (!r) throw new Error('seed: no OS patches for production');
  const at = new Date().toISOString();
  const approved = await writeVersioned(store.remediations, r.id, (x) => ok({
    next: { ...x, state: 'approved' as const, decisions: [{ decision: 'approved' as const, by: 'U0LEAD2', at, reason: 'tested in staging', changeTicket: 'CHG-7' }] },
    events: [{ at, actor: 'system:test', action: 'remediation.updated' as const, subject: x.id, data: { setUpAs: 'approved', from: x.state, to: 'approved' } }],
  }));
  if (!approved.ok) throw new Error('seed: approve');
  await store.commit({ events: [], effects: [{ kind: 'remediation.message', subject: r.id }] });
  return r.id;
}

/** A lead's Deploy now on the remediation's message, with the reason; `arm` right before the submission. */
async function deployNow(bot: RunningBot, world: BotWorld, posted: { channel: string; ts: string }, arm?: () => void): Promise<void> {
  const message = await until(() => world.slack.message(posted.channel, posted.ts), 'the message in the channel');
  const before = world.slack.views({ user: PEOPLE.lead.id, callbackId: VIEW.deployNow }).length;
  await bot.driver.blockAction({ user: PEOPLE.lead.id, message, action_id: ACTION.deployNow });
  const modal = await until(() => world.slack.views({ user: PEOPLE.lead.id, callbackId: VIEW.deployNow })[before], 'the Deploy now modal', 30_000);
  arm?.();
  await bot.driver.viewSubmission({ user: PEOPLE.lead.id, view: modal, inputs: { reason: 'Exploited in the wild' } });
}

export const DEPLOYMENT: CrashCase = {
  name: 'deployment tracking',
  points: between(1, 10),
  async setUp() {
    // Slow enough to be caught mid-run: each invocation pending for 2 polls, then running for 3.
    const ssm = await startFakeSsm(small(), { progress: { pendingPolls: 2, inProgressPolls: 3 } });
    const wire = await startTripwire(ssm.url);
    let id = '';
    const remediation = async (store: Store) => (await store.remediations.get(id))!;
    return {
      policy: { schedules: { sync: NEVER, digest: NEVER, reminders: NEVER }, maintenanceWindows: [], deploy: { pollSeconds: 1 } },
      env: { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_SSM: wire.url, AWS_ACCESS_KEY_ID: AWS.accessKeyId, AWS_SECRET_ACCESS_KEY: AWS.secretAccessKey },
      wire: () => wire,
      seed: async (store) => {
        id = await approvedOsPatches(store, ssm.url);
      },
      begin: async (bot, world, store, arm) => deployNow(bot, world, await until(async () => (await remediation(store)).message, 'its message', 30_000), arm),
      done: async (store) => (await remediation(store)).state === 'verified' && (await store.outbox.list()).length === 0,
      // Killed while the submission was checked (before anything was recorded): the message still says approved, and
      // the lead presses Deploy now again.
      resume: async (bot, world, store) => {
        const r = await remediation(store);
        if (r.state === 'approved') await deployNow(bot, world, r.message!);
      },
      verify: async (store) => {
        const r = await remediation(store);
        const problems: string[] = [];
        const byKey = new Map<string, string[]>();
        for (const c of ssm.commands) {
          const key = `${c.comment} (${c.parameters['Operation']?.join(',') ?? '?'})`;
          byKey.set(key, [...(byKey.get(key) ?? []), c.id]);
        }
        for (const [key, ids] of byKey) if (ids.length > 1) problems.push(`SSM command sent ${ids.length} times: ${key}`);
        const installs = ssm.commands.filter((c) => c.parameters['Operation']?.[0] === 'Install').map((c) => c.id);
        const record = r.deployments.at(-1)?.record as SsmRun | undefined;
        if (installs.length !== 1) problems.push(`${installs.length} Install commands`);
        if (JSON.stringify(record?.commandIds) !== JSON.stringify(installs)) problems.push(`the record names ${JSON.stringify(record?.commandIds)}, SSM ran ${JSON.stringify(installs)}`);
        const sent = (await store.audit.bySubject(id)).filter((e) => e.action === 'ssm.command_sent');
        if (sent.length !== 1) problems.push(`${sent.length} ssm.command_sent events`);
        return { problems, lost: record ? 0 : 1 };
      },
      close: async () => {
        await wire.close();
        await ssm.close();
      },
    };
  },
};
