/**
 * Two replicas on one store (SQLite, or MongoDB when MONGODB_URI is set), under more pressure than the integration
 * test (test/integration/replicas.test.ts, whose set-up this shares): every schedule fired on both at the same
 * moment, twice (two ticks of one minute), over remediations of every kind of reminder; then a click and a modal
 * submission per remediation delivered to both replicas at the same moment, all at once. One digest, exactly one
 * message per remediation, one reminder each, one modal and one step per click; the invariants hold.
 */
import { DEPLOY_JOB } from '../../src/jobs/deploy-job.js';
import { DIGEST_JOB } from '../../src/jobs/digest-job.js';
import { EMERGENCY_REMINDERS_JOB } from '../../src/jobs/emergency-reminders-job.js';
import { OUTBOX_JOB } from '../../src/jobs/outbox-job.js';
import { REMINDERS_JOB } from '../../src/jobs/reminders-job.js';
import { SYNC_JOB } from '../../src/jobs/sync-job.js';
import { addDays, instant } from '../../src/domain/time.js';
import type { Remediation } from '../../src/domain/remediation.js';
import { ACTION, VIEW } from '../../src/slack/ids.js';
import { CHANNEL, PEOPLE } from '../support/bot-harness.js';
import { captureLogs } from '../support/log-capture.js';
import { startReplicas, type Replicas } from '../support/replicas.js';
import { until } from '../integration/workflow-support.js';
import { checkInvariants } from './support/invariants.js';
import { newStoreTarget, storeKind, type StoreTarget } from './support/store-target.js';
import { faultTally } from './support/tally.js';

const NOW = new Date('2026-11-02T09:00:00.000Z');
const day = (n: number): string => instant(addDays(NOW, n));
const JOBS = [DIGEST_JOB, REMINDERS_JOB, OUTBOX_JOB, SYNC_JOB, DEPLOY_JOB, EMERGENCY_REMINDERS_JOB];
const ASSESSMENT = { severity: 'high', known_exploit: 'no', business_impact: 'low', rationale: 'Reachable from the VPN only.' };

describe(`two replicas on one ${storeKind()} store`, () => {
  const tally = faultTally('two replicas');
  let target: StoreTarget;
  let r2: Replicas;
  const logs = captureLogs();
  beforeAll(async () => {
    target = newStoreTarget('replicas');
    r2 = await startReplicas({ now: NOW, env: target.env, logLevel: 'debug', logs: logs.stream });
  });
  afterAll(async () => {
    await r2.close();
    await target.dispose();
  });

  const everyJobOnBoth = () => Promise.all(JOBS.flatMap((job) => [r2.a.running.jobs.runNow(job), r2.b.jobs.runNow(job)]));

  it('every schedule due at once on both, twice: one digest, one message per remediation, one reminder each', async () => {
    const { a } = r2;
    const seeded: Remediation[] = [];
    for (let i = 0; i < 6; i += 1) seeded.push(await a.seed({ owner: i % 3 === 2 ? null : PEOPLE.engineer.id, slaStartAt: day(-20), dueAt: day(i % 2 ? 2 : -1) }));
    tally.injected(JOBS.length * 3);
    const outcomes = (await Promise.all([everyJobOnBoth(), everyJobOnBoth()])).flat();
    expect(outcomes.filter((o) => o.status !== 'done' && o.status !== 'skipped')).toEqual([]);
    await Promise.all([a.running.jobs.runNow(OUTBOX_JOB), r2.b.jobs.runNow(OUTBOX_JOB)]);
    await until(async () => (await a.store.outbox.list()).length === 0, 'the outbox drained');

    expect(a.fake.messages(CHANNEL).filter((m) => m.text.startsWith('Patch digest'))).toHaveLength(1);
    for (const r of seeded) {
      expect(r2.messagesOf(r.id)).toHaveLength(1);
      expect((await a.store.audit.bySubject(r.id)).filter((e) => e.action === 'reminder.sent')).toHaveLength(1);
    }
    // Due in two days and owned: one DM each (two of them); the rest a note in their thread.
    expect(a.fake.messages(a.fake.dmChannel(PEOPLE.engineer.id))).toHaveLength(seeded.filter((r) => r.owner && r.dueAt > instant(NOW)).length);
    expect(a.fake.deleted()).toEqual([]);
    const found = await checkInvariants({ store: a.store, slack: a.fake, channel: CHANNEL, evidenceDir: target.evidenceDir });
    expect([...found.record.problems, ...found.twice.problems]).toEqual([]);
    tally.lost(found.record.lost);
    tally.survived(JOBS.length * 3);
  });

  it('a click and a submission per remediation, each delivered to both replicas at once, all at once: one modal and one step per click', async () => {
    const { a } = r2;
    const open = (await a.store.remediations.list()).filter((r) => r.state === 'new' && r.message);
    expect(open.length).toBeGreaterThanOrEqual(4);
    tally.injected(open.length * 2);
    await Promise.all(open.map((r) => a.driver.blockAction({ user: PEOPLE.lead.id, message: a.fake.message(CHANNEL, r.message!.ts)!, action_id: ACTION.assess }, r2.both)));
    const modals = await until(() => {
      const views = a.fake.views({ callbackId: VIEW.assess, user: PEOPLE.lead.id });
      return views.length >= open.length ? views : null;
    }, 'a modal per click', 15_000);
    await Promise.all(modals.map((view) => a.driver.viewSubmission({ user: PEOPLE.lead.id, view, inputs: ASSESSMENT }, r2.both)));
    await until(async () => (await Promise.all(open.map((r) => a.store.remediations.get(r.id)))).every((r) => r?.state === 'assessed'), 'every step', 15_000);
    await Promise.all([a.running.jobs.runNow(OUTBOX_JOB), r2.b.jobs.runNow(OUTBOX_JOB)]);
    await until(async () => (await a.store.outbox.list()).length === 0, 'the outbox drained');

    expect(a.fake.views({ callbackId: VIEW.assess })).toHaveLength(open.length);
    for (const r of open) {
      expect((await a.store.audit.bySubject(r.id)).filter((e) => e.action === 'remediation.assessed')).toHaveLength(1);
      expect(a.fake.replies(CHANNEL, r.message!.ts).filter((m) => m.text.includes('assessed'))).toHaveLength(1);
      expect(r2.messagesOf(r.id)).toHaveLength(1);
    }
    const found = await checkInvariants({ store: a.store, slack: a.fake, channel: CHANNEL, evidenceDir: target.evidenceDir });
    expect([...found.record.problems, ...found.twice.problems, ...found.stale.problems]).toEqual([]);
    tally.lost(found.record.lost);
    tally.survived(open.length * 2);
  });

  it('no secret in any debug log line of either replica', () => {
    tally.logsChecked(logs.lines(), [r2.a.fake.botToken, ...r2.a.fake.responses().map((r) => r.url)]);
  });
});
