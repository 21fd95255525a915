/**
 * What advisories say in Slack, as the outbox does it through the real WebClient against the Slack fake: each new
 * advisory's one message recorded once and posted once, whether two replicas drain at once, the process restarts,
 * dies between the post and recording where it went, or Slack posts and its answer is lost; a review written with
 * its message update and note, so a crash right after it leaves nothing stale; the review reminder recorded with
 * its delivery, named once by two replicas.
 */
import { ADVISORY_POSTS, advisorySubject, recordAdvisoryMessages } from '../../src/app/advisories/advisory-messages.js';
import { createReviewAdvisory } from '../../src/app/advisories/review-advisory.js';
import { createReviewReminderLog, REVIEW_REMINDERS } from '../../src/app/advisories/review-reminders.js';
import { createOutboxDrainer, type OutboxDrainer } from '../../src/app/outbox/drain-outbox.js';
import type { Effect } from '../../src/app/outbox/effects.js';
import type { Store } from '../../src/app/ports.js';
import { DEFAULT_SLA } from '../../src/domain/sla.js';
import { createLogger } from '../../src/logger.js';
import { reviewFollowUp } from '../../src/slack/advisories/advisory-notes.js';
import { ADVISORY_MESSAGES, createAdvisoryMessages } from '../../src/slack/posting/advisory-messages.js';
import { createRemediationMessages } from '../../src/slack/posting/publish-remediation.js';
import { createSlackMessages } from '../../src/slack/posting/slack-messages.js';
import { createThreadFindings } from '../../src/slack/posting/thread-findings.js';
import { anAdvisory, aRemediation, lead } from '../support/builders.js';
import { useSlackAndStore } from '../support/slack-and-store.js';

describe('advisory messages through the outbox', () => {
  const t = useSlackAndStore();
  const { channel } = t;

  const handlersOf = (store: Store = t.temp.store) => createAdvisoryMessages({ client: t.client(), channel, store, timeZone: () => 'UTC', now: () => t.now(), logger: createLogger('silent') });
  /** A replica's drainer: its own client, the same store. */
  const replica = (store: Store = t.temp.store): OutboxDrainer => {
    const advisories = handlersOf(store);
    const remediations = createRemediationMessages({ client: t.client(), channel, store, context: () => ({ now: t.now(), timeZone: 'UTC', sla: DEFAULT_SLA }), logger: createLogger('silent') });
    const messages = createSlackMessages(t.client(), channel);
    const findings = createThreadFindings({ client: t.client(), store, timeZone: () => 'UTC' });
    const handlers = {
      'advisory.message': advisories.message, 'advisory.note': advisories.note, 'slack.post': messages.post,
      'remediation.message': remediations.message, 'remediation.note': remediations.note, 'remediation.findings': findings,
    };
    return createOutboxDrainer({ store, handlers, now: () => t.now(), logger: createLogger('silent') });
  };
  const top = () => t.fake.messages(channel);
  const messagesOf = (id: string) => top().filter((m) => JSON.stringify(m.metadata ?? {}).includes(id));
  const seed = async (count: number, overrides = {}) => {
    const list = Array.from({ length: count }, () => anAdvisory({ firstSeenAt: t.now().toISOString(), ...overrides }));
    await t.temp.store.commit({ advisories: list, events: [] });
    return list;
  };

  it('a sync’s messages are recorded once; two replicas draining at once post each once; a restart records and posts nothing again', async () => {
    const fresh = await seed(3);
    const [baseline] = await seed(1, { baseline: true });
    const [linked] = await seed(1);
    await t.temp.store.commit({ advisoryLinks: [{ advisoryId: linked!.id, remediationId: 'PW-1', via: 'cve', cves: linked!.cves, at: t.now().toISOString() }], events: [] });

    const recorded = await recordAdvisoryMessages(t.temp.store, t.now());
    expect(recorded.subjects.sort()).toEqual(fresh.map((a) => advisorySubject(a.id)).sort());
    await Promise.all([replica().drain(), replica().drain(), replica().drain()]);
    expect(top()).toHaveLength(3);
    for (const a of fresh) {
      expect(messagesOf(a.id)).toHaveLength(1);
      await expect(t.temp.store.kv.get(ADVISORY_MESSAGES, a.id)).resolves.toEqual({ channel, ts: messagesOf(a.id)[0]!.ts });
    }
    expect(messagesOf(baseline!.id)).toEqual([]);

    // The next sync, and a replica started afresh: nothing owed, nothing posted.
    await expect(recordAdvisoryMessages(t.temp.store, t.later(360))).resolves.toEqual({ subjects: [], waiting: 0 });
    const calls = t.fake.calls('chat.postMessage').length;
    await replica().drain();
    expect(t.fake.calls('chat.postMessage')).toHaveLength(calls);
    await expect(t.temp.store.outbox.list()).resolves.toEqual([]);
  });

  it('more than a run gives out wait for the next; the mark and the effect are one commit', async () => {
    await seed(25);
    const first = await recordAdvisoryMessages(t.temp.store, t.now());
    expect([first.subjects.length, first.waiting]).toEqual([20, 5]);
    expect((await t.temp.store.kv.getMany(ADVISORY_POSTS, first.subjects.map((s) => s.slice('advisory:'.length)))).size).toBe(20);
    const second = await recordAdvisoryMessages(t.temp.store, t.now());
    expect([second.subjects.length, second.waiting]).toEqual([5, 0]);
    expect(await t.temp.store.outbox.list()).toHaveLength(25);
  });

  it('a baseline advisory, or one a CVE links, is not posted even when an effect asks for its message', async () => {
    const [baseline] = await seed(1, { baseline: true });
    const [linked] = await seed(1);
    await t.temp.store.commit({
      advisoryLinks: [{ advisoryId: linked!.id, remediationId: 'PW-1', via: 'cve', cves: linked!.cves, at: t.now().toISOString() }],
      events: [],
      effects: [{ kind: 'advisory.message', subject: advisorySubject(baseline!.id) }, { kind: 'advisory.message', subject: advisorySubject(linked!.id) }],
    });
    await replica().drain();
    expect(top()).toEqual([]);
    expect((await t.temp.store.outbox.list({ states: ['done'] })).map((e) => e.result)).toEqual([{ owed: false }, { owed: false }]);
  });

  it('a crash right after a review leaves nothing stale: the next drain updates the message and notes the review once', async () => {
    const [a] = await seed(1);
    await recordAdvisoryMessages(t.temp.store, t.now());
    await replica().drain();
    const covering = aRemediation({ id: 'PW-40' });
    await t.temp.store.remediations.create(covering, []);
    const review = createReviewAdvisory({ store: t.temp.store, now: () => t.now(), followUp: reviewFollowUp(() => 'UTC') });
    const done = await review.run(a!.id, { decision: 'covered', remediationId: 'PW-40', reason: 'The AMI refresh ships the fix.' }, lead());
    expect(done.ok).toBe(true);
    // The process dies here, before any drain: the review and what it owes are recorded together.
    expect((await t.temp.store.outbox.list()).map((e) => [e.kind, e.subject])).toEqual([
      ['advisory.message', advisorySubject(a!.id)],
      ['advisory.note', advisorySubject(a!.id)],
      ['remediation.note', 'PW-40'],
    ]);
    const twice = await review.run(a!.id, { decision: 'not_applicable', reason: 'late' }, lead('U0LEAD2'));
    expect(twice).toMatchObject({ ok: false, error: { code: 'advisory.already_reviewed', by: 'U0LEAD' } });
    expect(await t.temp.store.outbox.list()).toHaveLength(3);

    await replica().drain(); // the restarted bot
    const [message] = messagesOf(a!.id);
    expect(message!.versions).toHaveLength(2);
    expect(JSON.stringify(message!.blocks)).toContain('*Covered by PW-40*');
    expect(t.fake.replies(channel, message!.ts).map((m) => m.text)).toEqual([expect.stringContaining('*Covered by PW-40*, reviewed by <@U0LEAD>')]);
    const covered = (await t.temp.store.remediations.get('PW-40'))!;
    expect(t.fake.replies(channel, covered.message!.ts).map((m) => m.text)).toContain(`:mega: <@U0LEAD> recorded that PW-40 covers the advisory “${a!.title}”.`);
    await expect(t.temp.store.outbox.list()).resolves.toEqual([]);
  });

  it('the process dies between the post and recording where it went: the replay adopts the message', async () => {
    const [a] = await seed(1);
    await recordAdvisoryMessages(t.temp.store, t.now());
    const kv = t.temp.store.kv;
    const put = kv.put.bind(kv);
    kv.put = (ns, key, value) => (ns === ADVISORY_MESSAGES ? Promise.reject(new Error('crashed')) : put(ns, key, value));
    await replica().drain();
    kv.put = put;
    expect(messagesOf(a!.id)).toHaveLength(1);
    await expect(kv.get(ADVISORY_MESSAGES, a!.id)).resolves.toBeNull();
    // Its claim to record the place holds a while (the drain that died may still be at it); then the replay takes it.
    t.later(2);
    await replica().drain();
    expect(messagesOf(a!.id)).toHaveLength(1);
    await expect(kv.get(ADVISORY_MESSAGES, a!.id)).resolves.toEqual({ channel, ts: messagesOf(a!.id)[0]!.ts });
    expect(t.fake.deleted()).toEqual([]);
  });

  it('Slack posts but its answer is lost: neither the message nor a review note is posted twice', async () => {
    const [a] = await seed(1);
    await recordAdvisoryMessages(t.temp.store, t.now());
    t.fake.loseAnswer('chat.postMessage');
    await replica().drain();
    t.later(1);
    await replica().drain();
    expect(messagesOf(a!.id)).toHaveLength(1);
    const review = createReviewAdvisory({ store: t.temp.store, now: () => t.now(), followUp: reviewFollowUp(() => 'UTC') });
    await review.run(a!.id, { decision: 'not_applicable', reason: 'No ECS here.' }, lead());
    t.fake.loseAnswer('chat.postMessage');
    await replica().drain();
    t.later(1);
    await replica().drain();
    expect(t.fake.replies(channel, messagesOf(a!.id)[0]!.ts)).toHaveLength(1);
    await expect(t.temp.store.outbox.list()).resolves.toEqual([]);
  });

  it('two posts after a lost lease: the one recorded second deletes itself and updates the first', async () => {
    const [a] = await seed(1);
    await recordAdvisoryMessages(t.temp.store, t.now());
    const [effect] = (await t.temp.store.outbox.list()) as [Effect];
    const ctx = { replay: false, earlier: async () => [] };
    await Promise.all([handlersOf().message.run([effect], ctx), handlersOf().message.run([effect], ctx)]);
    expect(messagesOf(a!.id)).toHaveLength(1);
    expect(t.fake.deleted()).toHaveLength(1);
    await expect(t.temp.store.kv.get(ADVISORY_MESSAGES, a!.id)).resolves.toEqual({ channel, ts: messagesOf(a!.id)[0]!.ts });
  });

  it('a message deleted in Slack is posted again at the next update', async () => {
    const [a] = await seed(1);
    await t.temp.store.kv.put(ADVISORY_MESSAGES, a!.id, { channel, ts: '1700000000.000100' });
    await t.temp.store.commit({ events: [], effects: [{ kind: 'advisory.message', subject: advisorySubject(a!.id) }] });
    await replica().drain();
    expect(messagesOf(a!.id)).toHaveLength(1);
    await expect(t.temp.store.kv.get(ADVISORY_MESSAGES, a!.id)).resolves.toEqual({ channel, ts: messagesOf(a!.id)[0]!.ts });
  });

  it('the review reminder: two replicas at once name each advisory once; recorded with its delivery, which a restart does', async () => {
    const overdue = await seed(3);
    const deliver = (fresh: readonly { id: string }[]) => ({ to: ['U0LEAD'], effects: [{ kind: 'slack.post' as const, subject: 'reminders:advisories:r1', data: { text: `remind ${fresh.length}` } }] });
    const runs = await Promise.all([0, 1].map(() => createReviewReminderLog({ store: t.temp.store, now: () => t.now() })(overdue, 3, deliver)));
    expect(runs.map((r) => r.length).sort()).toEqual([0, 3]);
    // The process dies before it drains: the reminder is recorded with its delivery and the marks.
    const sent = [];
    for await (const e of t.temp.store.audit.stream()) if (e.action === 'reminder.sent') sent.push(e.data['advisoryIds']);
    expect(sent).toEqual([overdue.map((a) => a.id)]);
    expect((await t.temp.store.kv.getMany(REVIEW_REMINDERS, overdue.map((a) => a.id))).size).toBe(3);
    await replica().drain();
    expect(top().map((m) => m.text)).toEqual(['remind 3']);
    // The next day: nothing new to name.
    await expect(createReviewReminderLog({ store: t.temp.store, now: () => t.later(24 * 60) })(overdue, 3, deliver)).resolves.toEqual([]);
  });
});
