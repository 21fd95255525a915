/**
 * Slack throttling or failing under the bot (the whole bot over real HTTP, its Web API client retrying as in
 * production, only faster): 429 with Retry-After and 5xx on views.open, chat.update, chat.postMessage and the files
 * calls (the digest's CSV upload, an evidence download), views.open down for longer than a trigger lives. What a
 * person does is recorded once; what the bot owes in Slack arrives once, late if it must (the outbox retries after
 * its back-off when Slack is down longer than the client's retries); a form Slack did not open and a download that
 * failed are said plainly and record nothing. No secret in any log line.
 */
import type { Remediation } from '../../src/domain/remediation.js';
import { ACTION, VIEW } from '../../src/slack/ids.js';
import { STATE_LABEL } from '../../src/slack/views/format.js';
import { CHANNEL, PEOPLE, startHarness, type Harness } from '../support/bot-harness.js';
import { captureLogs, type LogCapture } from '../support/log-capture.js';
import { DOWNLOADS } from '../support/slack/http-routes.js';
import { stepNotes } from '../support/thread-notes.js';
import { auditActions, messageOf, postMessage, settled, toldTo, until } from '../integration/workflow-support.js';
import { faultTally } from './support/tally.js';

const ASSESSMENT = { severity: 'high', known_exploit: 'no', business_impact: 'low', rationale: 'Internal only.' };
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

describe('Slack throttling and failing', () => {
  const tally = faultTally('Slack outages');
  let h: Harness;
  let logs: LogCapture;
  beforeAll(async () => {
    logs = captureLogs();
    h = await startHarness({ logLevel: 'debug', logs: logs.stream, start: { clientOptions: { retryConfig: { retries: 4, factor: 1, minTimeout: 100, maxTimeout: 200 } } } });
  });
  afterAll(() => h.close());

  const shows = (r: Remediation, state: Remediation['state']) => JSON.stringify(messageOf(h, r)?.blocks).includes(`*State*\\n${STATE_LABEL[state]}`);
  const notes = (r: Remediation) => stepNotes(h.fake.replies(CHANNEL, r.message!.ts));

  async function assess(r: Remediation): Promise<void> {
    await h.driver.blockAction({ user: PEOPLE.lead.id, message: messageOf(h, r)!, action_id: ACTION.assess });
    const modal = await until(() => h.fake.views({ user: PEOPLE.lead.id, callbackId: VIEW.assess, open: true }).at(-1), 'the assess modal', 15_000);
    await h.driver.viewSubmission({ user: PEOPLE.lead.id, view: modal, inputs: ASSESSMENT });
  }

  async function expectAssessedOnce(r: Remediation): Promise<void> {
    await until(async () => (await h.store.outbox.list()).length === 0 && shows(r, 'assessed'), 'the message to show the assessment', 15_000);
    await settled(h);
    expect((await auditActions(h, r.id)).filter((a) => a === 'remediation.assessed')).toHaveLength(1);
    expect(notes(r).filter((m) => m.text.includes('assessed'))).toHaveLength(1);
    expect(h.fake.messages(CHANNEL).filter((m) => m.ts === r.message!.ts)).toHaveLength(1);
  }

  it('429 with Retry-After on views.open, chat.update and chat.postMessage during an assessment: waited out, the step once, its message and one note', async () => {
    const r = await postMessage(h, await h.seed({ state: 'new' }));
    h.fake.rateLimit('views.open', { times: 1, retryAfterSeconds: 1 });
    h.fake.rateLimit('chat.update', { times: 2, retryAfterSeconds: 1 });
    h.fake.rateLimit('chat.postMessage', { times: 1, retryAfterSeconds: 1 });
    tally.injected(4);
    await assess(r);
    await expectAssessedOnce(r);
    expect(h.fake.calls().filter((c) => c.status === 429).map((c) => c.method).sort()).toEqual(['chat.postMessage', 'chat.update', 'chat.update', 'views.open']);
    tally.survived(4);
  });

  it('5xx on views.open, chat.update and the files calls of the digest’s CSV: retried; one digest with its CSV, each message once', async () => {
    const r = await postMessage(h, await h.seed({ state: 'new' }));
    h.fake.failHttp('views.open', 503, 1);
    h.fake.failHttp('chat.update', 500, 2);
    tally.injected(2);
    await assess(r);
    await expectAssessedOnce(r);
    tally.survived(2);

    const fresh = await h.seed({ state: 'new' });
    h.fake.failHttp('files.getUploadURLExternal', 503, 1);
    h.fake.failHttp('files.completeUploadExternal', 502, 2);
    tally.injected(3);
    await expect(h.running.jobs.runNow('digest')).resolves.toEqual({ status: 'done' });
    await until(async () => (await h.store.outbox.list()).length === 0, 'the digest’s messages', 15_000);
    expect(h.fake.messages(CHANNEL).filter((m) => (m.text ?? '').startsWith('Patch digest'))).toHaveLength(1);
    expect(h.fake.files().filter((f) => f.name.endsWith('.csv') && f.completed)).toHaveLength(1);
    const posted = await h.store.remediations.get(fresh.id);
    expect(h.fake.messages(CHANNEL).filter((m) => m.ts === posted?.message?.ts)).toHaveLength(1);
    const failed = h.fake.calls().filter((c) => (c.status ?? 0) >= 500).map((c) => c.method).sort();
    expect(failed).toEqual(['chat.update', 'chat.update', 'files.completeUploadExternal', 'files.completeUploadExternal', 'files.getUploadURLExternal', 'views.open']);
    tally.survived(3);
  });

  it('Slack down for longer than the client retries: the step is recorded at once; its message and note follow once Slack is back, after the outbox’s back-off', async () => {
    const r = await postMessage(h, await h.seed({ state: 'new' }));
    await h.driver.blockAction({ user: PEOPLE.lead.id, message: messageOf(h, r)!, action_id: ACTION.assess });
    const modal = await until(() => h.fake.views({ user: PEOPLE.lead.id, callbackId: VIEW.assess, open: true }).at(-1), 'the assess modal');
    h.fake.failHttp('chat.update', 503, 1_000);
    h.fake.failHttp('chat.postMessage', 503, 1_000);
    tally.injected();
    await h.driver.viewSubmission({ user: PEOPLE.lead.id, view: modal, inputs: ASSESSMENT });
    await until(async () => (await h.store.remediations.get(r.id))?.state === 'assessed', 'the step');
    await until(async () => (await h.store.outbox.list({ subject: r.id }))[0]?.error, 'the outbox to meet the outage');
    await settled(h);
    expect(shows(r, 'assessed')).toBe(false);
    h.fake.failHttp('chat.update', 503, 0);
    h.fake.failHttp('chat.postMessage', 503, 0);
    h.setNow(new Date(h.now().getTime() + 31_000));
    await h.running.jobs.runNow('outbox');
    await expectAssessedOnce(r);
    tally.survived();
  });

  it('views.open failing for longer than a trigger lives: the person is told so at once, nothing changed; the next click opens the form', async () => {
    const r = await postMessage(h, await h.seed({ state: 'new' }));
    const lead = PEOPLE.lead.id;
    const told = toldTo(h, lead).length;
    const opened = h.fake.views({ user: lead, callbackId: VIEW.assess }).length;
    h.fake.failHttp('views.open', 503, 1_000);
    tally.injected();
    await h.driver.blockAction({ user: lead, message: messageOf(h, r)!, action_id: ACTION.assess });
    await until(() => toldTo(h, lead).length > told, 'the sentence');
    expect(toldTo(h, lead).slice(told)).toEqual(['Slack did not open the form in time (it answered HTTP 503). Nothing was changed; press the button again in a moment.']);
    h.fake.failHttp('views.open', 503, 0);
    await settled(h);
    expect(await auditActions(h, r.id)).toEqual(['remediation.created']);
    await h.driver.blockAction({ user: lead, message: messageOf(h, r)!, action_id: ACTION.assess });
    await until(() => h.fake.views({ user: lead, callbackId: VIEW.assess }).length > opened, 'the assess modal');
    tally.survived();
  });

  it('an evidence download failing (503): said plainly, nothing recorded; uploaded again, recorded once', async () => {
    const r = await postMessage(h, await h.seed({ state: 'assessed' }));
    const engineer = PEOPLE.engineer.id;
    const upload = async () => {
      const file = h.fake.addFile({ name: 'staging-run.png', bytes: PNG, user: engineer });
      await h.driver.blockAction({ user: engineer, message: messageOf(h, r)!, action_id: ACTION.uploadEvidence });
      const modal = await until(() => h.fake.views({ user: engineer, callbackId: VIEW.testEvidence, open: true }).at(-1), 'the evidence modal');
      await h.driver.viewSubmission({ user: engineer, view: modal, inputs: { environment: 'staging', result: 'pass', files: [file] } });
    };
    const told = toldTo(h, engineer).length;
    h.fake.failHttp(DOWNLOADS, 503, 1);
    tally.injected();
    await upload();
    await until(() => toldTo(h, engineer).length > told, 'the sentence');
    expect(toldTo(h, engineer).slice(told)).toEqual(['Could not download “staging-run.png” from Slack (HTTP 503). Nothing was recorded; please try again.']);
    await settled(h);
    expect(await auditActions(h, r.id)).toEqual(['remediation.created']);

    await upload();
    await until(async () => (await h.store.remediations.get(r.id))?.state === 'tested', 'the test recorded');
    await until(async () => (await h.store.outbox.list()).length === 0 && shows(r, 'tested'), 'the message');
    expect((await h.store.remediations.get(r.id))?.tests).toHaveLength(1);
    tally.survived();
  });

  it('no secret in any debug log line', () => {
    tally.logsChecked(logs.lines(), [h.fake.botToken, ...h.fake.responses().map((r) => r.url)]);
  });
});
