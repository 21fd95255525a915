/**
 * The workspace the load bench plays: fifty leads who click Assess and submit the modal, three hundred managers who
 * ask `/patch status`, the patch channel, a policy whose jobs do not fire during the bench, and messages to click on
 * (published before the bot starts, as a digest would have). Then the bot, started on the store a sync filled.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebClient } from '@slack/web-api';
import { stringify } from 'yaml';
import { OPEN_STATES } from '../src/domain/remediation-state.js';
import type { Remediation } from '../src/domain/remediation.js';
import { policySchema } from '../src/policy.js';
import { openStore } from '../src/store/open-store.js';
import { DEFAULT_POLICY } from '../test/support/bot-harness.js';
import { postRemediationMessage } from '../test/support/post-message.js';
import { payloadContext, type PayloadContext } from '../test/support/slack/payloads.js';
import { startFakeSlack, type FakeSlack } from '../test/support/slack/fake-slack.js';
import { startBot, type BotProcess } from './bot-process.js';
import type { Cleanup } from './cleanup.js';
import type { StoreTarget } from './sync.js';

export const CHANNEL = 'C0BENCHPATCH';
export const SIGNING_SECRET = 'bench-signing-secret';
export const LEADS = Array.from({ length: 50 }, (_, i) => `U0LD${String(i).padStart(3, '0')}`);
export const MANAGERS = Array.from({ length: 300 }, (_, i) => `U0MG${String(i).padStart(3, '0')}`);

export interface Workspace {
  readonly fake: FakeSlack;
  readonly bot: BotProcess;
  readonly ctx: PayloadContext;
  /**
   * Remediations with a message in the channel, one per lead, to click Assess (then Re-assess) on: round after
   * round the same fifty, as leads refining their assessments would.
   */
  readonly clickable: readonly Remediation[];
}

const storeEnv = (target: StoreTarget): Record<string, string> =>
  target.kind === 'mongo' ? { MONGODB_URI: target.uri } : { PATCHWARDEN_DB: target.path };

export async function openWorkspace(target: StoreTarget, messages: number, cleanup: Cleanup): Promise<Workspace> {
  const fake = await startFakeSlack();
  cleanup.add(() => fake.close());
  for (const id of [...LEADS, ...MANAGERS]) fake.addUser({ id, name: id.toLowerCase(), tz: 'UTC' });
  fake.addChannel({ id: CHANNEL, name: 'patches' });
  const dir = cleanup.dir('patchwarden-bench-load');
  const policy = {
    timezone: 'UTC',
    roles: { lead: LEADS, manager: MANAGERS },
    maintenanceWindows: DEFAULT_POLICY.maintenanceWindows,
    // Once a year, at a moment the bench never runs: no job of its own competes with what is measured.
    schedules: { digest: '0 9 1 1 *', sync: '0 3 1 1 *', reminders: '0 8 1 1 *' },
  };
  writeFileSync(join(dir, 'patchwarden.config.yaml'), stringify(policy));

  const clickable = await publishMessages(target, fake, messages);
  const bot = await startBot(
    {
      SLACK_BOT_TOKEN: fake.botToken, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.url, PATCH_CHANNEL: CHANNEL, PORT: '0',
      PATCHWARDEN_CONFIG: join(dir, 'patchwarden.config.yaml'), PATCHWARDEN_DB: join(dir, 'unused.db'), KEV_URL: '', EPSS_URL: '', LOG_LEVEL: 'info',
      ...storeEnv(target),
    },
    dir,
    cleanup,
  );
  const ctx: PayloadContext = payloadContext({ fake, verificationToken: 'bench' });
  return { fake, bot, ctx, clickable };
}

/** Posts the messages of `count` new remediations through the bot's own publisher (on a connection of the bench's). */
async function publishMessages(target: StoreTarget, fake: FakeSlack, count: number): Promise<Remediation[]> {
  const store = await openStore({ mongodbUri: target.kind === 'mongo' ? target.uri : null, dbPath: target.kind === 'sqlite' ? target.path : '' });
  try {
    const policy = policySchema.parse({ timezone: 'UTC' });
    const deps = {
      client: new WebClient(fake.botToken, { slackApiUrl: fake.url, retryConfig: { retries: 0 } }),
      channel: CHANNEL,
      store,
      context: () => ({ now: new Date(), timeZone: policy.timezone, sla: policy.sla }),
    };
    const fresh = await store.remediations.list({ states: [OPEN_STATES[0]!], limit: count });
    if (fresh.length < count) throw new Error(`bench: the synced store has ${fresh.length} new remediations, ${count} needed`);
    const published: Remediation[] = [];
    for (const r of fresh) published.push(await postRemediationMessage(deps, r));
    return published;
  } finally {
    await store.close();
  }
}
