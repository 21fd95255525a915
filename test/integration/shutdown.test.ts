/**
 * Shutdown and restart: what the bot acknowledged is done before the store closes (a test evidence submission is
 * acked, its file still downloading when the bot is told to stop: the step is still recorded, with its files and
 * events); and what a process that died owed in Slack after a recorded step is done when the bot starts again.
 */
import { join } from 'node:path';
import { createLogger } from '../../src/logger.js';
import { startPatchwarden } from '../../src/main.js';
import { remediationEffects } from '../../src/slack/posting/publish-remediation.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.js';
import { ACTION, VIEW } from '../../src/slack/ids.js';
import { CHANNEL, PEOPLE, startHarness, type Harness } from '../support/bot-harness.js';
import { postMessage, until } from './workflow-support.js';

describe('shutting down', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  it('finishes a step it acknowledged before it closes the store', async () => {
    const r = await postMessage(h, await h.seed({ state: 'assessed' }));
    await h.driver.blockAction({ user: PEOPLE.engineer.id, message: h.fake.message(r.message!.channel, r.message!.ts)!, action_id: ACTION.uploadEvidence });
    const modal = await until(() => h.fake.views({ callbackId: VIEW.testEvidence, user: PEOPLE.engineer.id })[0], 'the evidence modal');
    const file = h.fake.addFile({ name: 'smoke.log', bytes: '412 tests passed\n', user: PEOPLE.engineer.id });
    const held = h.fake.holdDownloads();
    const acked = await h.driver.viewSubmission({ user: PEOPLE.engineer.id, view: modal, inputs: { result: 'pass', notes: 'green', files: [file] } });
    expect([acked.status, acked.body]).toEqual([200, '']);
    await until(() => held.waiting() === 1, 'the download to start');

    const stopping = h.running.stop();
    // Time for a shutdown that does not wait to close the store under the download.
    await new Promise((done) => setTimeout(done, 300));
    held.release();
    await stopping;

    const store = await openSqliteStore({ path: join(h.dir, 'patchwarden.db') });
    try {
      expect(await store.remediations.get(r.id)).toMatchObject({ state: 'tested', tests: [{ by: PEOPLE.engineer.id, result: 'pass' }] });
      expect((await store.audit.bySubject(r.id)).map((e) => e.action)).toEqual(['remediation.created', 'remediation.test_recorded', 'evidence.uploaded']);
    } finally {
      await store.close();
    }
  });

  it('a step recorded just before the process died gets its message and note when the bot starts again', async () => {
    const r = await postMessage(h, await h.seed({}));
    // What the process recorded before it died: the step, its event and what it owed in Slack; nothing more.
    const at = h.now().toISOString();
    await h.store.remediations.update({ ...r, state: 'assessed' }, r.version, [{ at, actor: PEOPLE.lead.id, action: 'remediation.assessed', subject: r.id, data: {} }], remediationEffects(r.id, 'Assessed before the crash.'));
    const again = await startPatchwarden(h.config, createLogger('silent'), { clientOptions: { retryConfig: { retries: 0 } }, now: h.now, scheduleJobs: false });
    try {
      const note = () => h.fake.replies(CHANNEL, r.message!.ts).filter((m) => m.text === 'Assessed before the crash.');
      await until(() => note().length === 1, 'the note after the restart');
      expect(h.fake.message(CHANNEL, r.message!.ts)!.versions).toHaveLength(2);
      expect(JSON.stringify(h.fake.message(CHANNEL, r.message!.ts)!.blocks)).toContain('Assessed');
    } finally {
      await again.stop();
    }
  });
});
