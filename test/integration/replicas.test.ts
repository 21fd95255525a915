/**
 * Two replicas of the bot on one store with every schedule due at once and every click delivered to both: one
 * digest, exactly one message per remediation, one reminder each, one step per click.
 */
import { createLogger } from '../../src/logger.js';
import { startPatchwarden, type Running } from '../../src/main.js';
import { addDays, instant } from '../../src/domain/time.js';
import { ACTION, VIEW } from '../../src/slack/ids.js';
import { CHANNEL, PEOPLE, SIGNING_SECRET, startHarness, type Harness } from '../support/bot-harness.js';
import { createSlackDriver } from '../support/slack/driver.js';
import { until } from './workflow-support.js';

const NOW = new Date('2026-11-02T09:00:00.000Z');
const day = (n: number): string => instant(addDays(NOW, n));

describe('two replicas on one store', () => {
  let h: Harness;
  let b: Running;
  beforeEach(async () => {
    h = await startHarness({ now: NOW });
    b = await startPatchwarden(h.config, createLogger('silent'), { clientOptions: { retryConfig: { retries: 0 } }, now: h.now, scheduleJobs: false });
  });
  afterEach(async () => {
    await b.stop();
    await h.close();
  });

  /** Top-level messages of the channel that are a remediation's (they start with its id). */
  const messagesOf = (id: string) => h.fake.messages(CHANNEL).filter((m) => m.text.startsWith(`${id} `));

  it('every schedule due at once on both: one digest, one message per remediation, one reminder each', async () => {
    const owned = [];
    for (let i = 0; i < 4; i += 1) owned.push(await h.seed({ owner: PEOPLE.engineer.id, slaStartAt: day(-20), dueAt: day(i % 2 ? 2 : -1) }));
    const unowned = await h.seed({ owner: null, slaStartAt: day(-20), dueAt: day(1) });
    const all = [...owned, unowned];
    const jobs = ['digest', 'reminders', 'outbox', 'sync'] as const;
    const outcomes = await Promise.all(jobs.flatMap((job) => [h.running.jobs.runNow(job), b.jobs.runNow(job)]));
    expect(outcomes.every((o) => o.status === 'done' || o.status === 'skipped')).toBe(true);
    await Promise.all([h.running.jobs.runNow('outbox'), b.jobs.runNow('outbox')]);

    expect(h.fake.messages(CHANNEL).filter((m) => m.text.startsWith('Patch digest'))).toHaveLength(1);
    for (const r of all) {
      expect(messagesOf(r.id)).toHaveLength(1);
      expect((await h.store.remediations.get(r.id))?.message).toEqual({ channel: CHANNEL, ts: messagesOf(r.id)[0]!.ts });
    }
    // Two due soon (a DM each), two breached (a note each in their thread), one unowned (a note for the leads).
    expect(h.fake.messages(h.fake.dmChannel(PEOPLE.engineer.id))).toHaveLength(2);
    // Each thread: what is behind it, and its one reminder.
    for (const r of [...owned.filter((_, i) => i % 2 === 0), unowned]) {
      expect(h.fake.replies(CHANNEL, messagesOf(r.id)[0]!.ts).map((m) => m.text.startsWith('What is behind')).sort()).toEqual([false, true]);
    }
    for (const r of all) expect((await h.store.audit.bySubject(r.id)).filter((e) => e.action === 'reminder.sent')).toHaveLength(1);
    expect(h.fake.deleted()).toEqual([]);
    await expect(h.store.outbox.list()).resolves.toEqual([]);
  });

  it('a click and a submission delivered to both: one modal, one step, one note', async () => {
    const r = await h.seed({});
    await h.running.jobs.runNow('digest');
    const [message] = messagesOf(r.id);
    const other = createSlackDriver({ botUrl: `http://127.0.0.1:${b.port}/slack/events`, signingSecret: SIGNING_SECRET, fake: h.fake });
    const click = await h.driver.blockAction({ user: PEOPLE.lead.id, message: message!, action_id: ACTION.assess });
    await other.redeliver(click);
    const modal = await until(() => h.fake.views({ callbackId: VIEW.assess, user: PEOPLE.lead.id })[0], 'the assess modal');
    const submitted = await h.driver.viewSubmission({ user: PEOPLE.lead.id, view: modal, inputs: { severity: 'high', business_impact: 'high', rationale: 'Reachable from the internet.' } });
    await other.redeliver(submitted);
    const notes = () => h.fake.replies(CHANNEL, message!.ts).filter((m) => m.text.includes('assessed'));
    await until(() => notes().length > 0, 'the assessment note');
    await Promise.all([h.running.jobs.runNow('outbox'), b.jobs.runNow('outbox')]);
    expect(h.fake.views({ callbackId: VIEW.assess })).toHaveLength(1);
    expect((await h.store.audit.bySubject(r.id)).filter((e) => e.action === 'remediation.assessed')).toHaveLength(1);
    expect(notes()).toHaveLength(1);
    expect(messagesOf(r.id)).toHaveLength(1);
  });
});
