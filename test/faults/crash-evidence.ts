/**
 * kill -9 during a test evidence upload: an engineer submits a screenshot, and the bot is killed at its k-th call
 * to Slack from then on (the file's download, the message's update, the note in its thread), then restarted. If it
 * died before the test was recorded, the engineer uploads it again, as they would. One test, one
 * `remediation.test_recorded`, one note; the file kept once, whole (the invariants hash every stored file), nothing
 * half-written left in the evidence folder.
 */
import { randomBytes } from 'node:crypto';
import type { Store } from '../../src/app/ports.js';
import type { Remediation } from '../../src/domain/remediation.js';
import { ACTION, VIEW } from '../../src/slack/ids.js';
import { PEOPLE } from '../support/bot-harness.js';
import { until } from '../integration/workflow-support.js';
import type { BotWorld, RunningBot } from './support/bot-process.js';
import { between, NEVER, threadTexts, withMessage, type CrashCase } from './support/crash-scene.js';

const ENGINEER = PEOPLE.engineer.id;
/** A PNG (its signature, then 256 KB) so the download takes a moment. */
const SCREENSHOT = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(256 * 1024)]);

/** The engineer's upload, its file served through the wire (so the download is a call the kill can land on). */
async function upload(bot: RunningBot, world: BotWorld, r: Remediation, before: number, arm?: () => void): Promise<void> {
  const message = await until(() => world.slack.message(r.message!.channel, r.message!.ts), 'the message in the channel');
  await bot.driver.blockAction({ user: ENGINEER, message, action_id: ACTION.uploadEvidence });
  const modal = await until(() => world.slack.views({ user: ENGINEER, callbackId: VIEW.testEvidence })[before], 'the evidence modal', 30_000);
  const file = world.slack.addFile({ name: 'staging-login.png', bytes: SCREENSHOT, user: ENGINEER });
  const fake = new URL(world.slack.url).origin;
  const wire = new URL(world.slackWire.url).origin;
  const viaWire = { ...file, url_private: String(file.url_private).replace(fake, wire), url_private_download: String(file.url_private_download).replace(fake, wire) };
  arm?.();
  await bot.driver.viewSubmission({ user: ENGINEER, view: modal, inputs: { environment: 'staging', result: 'pass', files: [viaWire] } });
}

export const EVIDENCE_UPLOAD: CrashCase = {
  name: 'an evidence upload',
  points: between(1, 3),
  async setUp() {
    let r: Remediation | null = null;
    const stored = async (store: Store) => (await store.remediations.get(r!.id))!;
    return {
      policy: { schedules: { sync: NEVER, digest: NEVER, reminders: NEVER } },
      seed: async (store) => {
        r = await withMessage(store, { state: 'assessed' });
      },
      begin: async (bot, world, store, arm) => upload(bot, world, await until(async () => ((await stored(store)).message ? stored(store) : null), 'its message', 30_000), 0, arm),
      done: async (store) => (await stored(store)).state === 'tested' && (await store.outbox.list()).length === 0,
      resume: async (bot, world, store) => {
        if ((await stored(store)).state === 'tested') return;
        await upload(bot, world, await stored(store), world.slack.views({ user: ENGINEER, callbackId: VIEW.testEvidence }).length);
      },
      verify: async (store, world) => {
        const now = await stored(store);
        const events = (await store.audit.bySubject(now.id)).filter((e) => e.action === 'remediation.test_recorded');
        const notes = threadTexts(world, now).filter((t) => t.includes('staging-login.png'));
        const problems = [
          ...(now.tests.length !== 1 ? [`${now.tests.length} tests recorded`] : []),
          ...(events.length !== 1 ? [`${events.length} test_recorded events`] : []),
          ...(notes.length !== 1 ? [`${notes.length} notes of the upload in the thread`] : []),
        ];
        return { problems, lost: now.tests.length === 0 ? 1 : 0 };
      },
      close: async () => undefined,
    };
  },
};
