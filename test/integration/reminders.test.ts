/**
 * The daily reminders job over the real bot: the owner's DM at reminder time, the breach note in the thread naming
 * the owner and every manager, never the same reminder twice, a refused DM tried again next run, and expired risk
 * acceptances reopened with their message updated.
 */
import { addDays, instant } from '../../src/domain/time.js';
import { CHANNEL, PEOPLE, startHarness, type Harness } from '../support/bot-harness.js';
import { stepNotes } from '../support/thread-notes.js';

const NOW = new Date('2026-11-02T09:00:00.000Z');
const at = (days: number, hours = 0): Date => new Date(addDays(NOW, days).getTime() + hours * 3_600_000);

describe('reminders', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ now: NOW });
  });
  afterEach(() => h.close());

  const dms = (user: string) => h.fake.messages(h.fake.dmChannel(user));
  const run = async (when: Date) => {
    h.setNow(when);
    await expect(h.running.jobs.runNow('reminders')).resolves.toEqual({ status: 'done' });
  };

  it('DMs the owner once at the reminder time, then at breach tells the owner and every manager in the thread, once', async () => {
    // Due in 10 days; the policy reminds 3 days before.
    const r = await h.seed({ severity: 'high', owner: PEOPLE.engineer.id, slaStartAt: instant(at(-20)), dueAt: instant(at(10)) });

    await run(at(6, 23)); // 3 days and an hour before: not yet
    expect(dms(PEOPLE.engineer.id)).toEqual([]);

    await run(at(7, 1));
    const [dm] = dms(PEOPLE.engineer.id);
    expect(dm?.text).toContain(`Reminder: ${r.id} ${r.title} is due Thu 12 Nov 2026 (in 2 days)`);
    expect((await h.store.remediations.get(r.id))?.remindersSent).toEqual([`due_soon:${r.dueAt}`]);
    const sent = (await h.store.audit.bySubject(r.id)).filter((e) => e.action === 'reminder.sent');
    expect(sent).toEqual([expect.objectContaining({ actor: 'system:reminders', data: expect.objectContaining({ kind: 'due_soon', to: [PEOPLE.engineer.id] }) })]);

    await run(at(8)); // the next day: nothing new
    await run(at(9));
    expect(dms(PEOPLE.engineer.id)).toHaveLength(1);
    expect(h.fake.messages(CHANNEL)).toEqual([]);

    await run(at(10, 1)); // breached
    const [message] = h.fake.messages(CHANNEL);
    expect(message?.text.startsWith(r.id)).toBe(true);
    const notes = stepNotes(h.fake.replies(CHANNEL, message!.ts));
    expect(notes).toHaveLength(1);
    expect(notes[0]?.text).toContain(`*${r.id} is past its due date*`);
    expect(notes[0]?.text).toContain(`Owner: <@${PEOPLE.engineer.id}>. Managers: <@${PEOPLE.manager.id}>.`);
    expect(JSON.stringify(message?.blocks)).toContain('overdue');

    await run(at(11));
    await run(at(12));
    expect(stepNotes(h.fake.replies(CHANNEL, message!.ts))).toHaveLength(1);
    expect(dms(PEOPLE.engineer.id)).toHaveLength(1);
    expect((await h.store.remediations.get(r.id))?.remindersSent).toEqual([`due_soon:${r.dueAt}`, `breach:${r.dueAt}`]);
  });

  it('a new due date earns new reminders; a closed remediation gets none', async () => {
    const r = await h.seed({ owner: PEOPLE.engineer.id, slaStartAt: instant(at(-20)), dueAt: instant(at(2)) });
    await h.seed({ owner: PEOPLE.engineer2.id, state: 'verified', closedAt: instant(at(-1)), resolution: 'deployed', dueAt: instant(at(1)) });
    await run(at(0));
    expect(dms(PEOPLE.engineer.id)).toHaveLength(1);
    const current = (await h.store.remediations.get(r.id))!;
    expect((await h.store.remediations.update({ ...current, dueAt: instant(at(20)) }, current.version, [])).ok).toBe(true);
    await run(at(17, 1));
    expect(dms(PEOPLE.engineer.id)).toHaveLength(2);
    expect(dms(PEOPLE.engineer2.id)).toEqual([]);
  });

  it('a DM Slack refuses stays owed, recorded, and goes out once when Slack takes it', async () => {
    const r = await h.seed({ owner: PEOPLE.engineer.id, slaStartAt: instant(at(-20)), dueAt: instant(at(1)) });
    h.fake.failNext('chat.postMessage', 'ratelimited');
    await run(at(0));
    expect(dms(PEOPLE.engineer.id)).toEqual([]);
    expect((await h.store.remediations.get(r.id))?.remindersSent).toEqual([`due_soon:${r.dueAt}`]);
    expect(await h.store.outbox.list({ subject: r.id })).toMatchObject([{ kind: 'slack.dm', state: 'pending', attempts: 1, error: 'ratelimited' }]);
    await run(at(0, 1));
    await run(at(0, 2));
    expect(dms(PEOPLE.engineer.id)).toHaveLength(1);
    expect((await h.store.audit.bySubject(r.id)).map((e) => e.action)).toEqual(['remediation.created', 'reminder.sent']);
  });

  it('Slack delivers a reminder but its answer is lost: it is not sent again', async () => {
    await h.seed({ owner: PEOPLE.engineer.id, slaStartAt: instant(at(-20)), dueAt: instant(at(1)) });
    const breached = await h.seed({ owner: PEOPLE.engineer2.id, slaStartAt: instant(at(-40)), dueAt: instant(at(-1)) });
    h.fake.loseAnswer('chat.postMessage', 503, 3);
    await run(at(0));
    await run(at(0, 1));
    await run(at(0, 2));
    expect(dms(PEOPLE.engineer.id)).toHaveLength(1);
    const [message] = h.fake.messages(CHANNEL);
    expect(h.fake.messages(CHANNEL)).toHaveLength(1);
    expect(message?.text.startsWith(breached.id)).toBe(true);
    expect(h.fake.replies(CHANNEL, message!.ts).filter((m) => m.text.includes('past its due date'))).toHaveLength(1);
    await expect(h.store.outbox.list()).resolves.toEqual([]);
  });

  it('many overdue remediations without a message get one round-up in the channel, each recorded once', async () => {
    const overdue = [];
    for (let i = 0; i < 8; i += 1) overdue.push(await h.seed({ owner: i % 2 ? PEOPLE.engineer.id : null, slaStartAt: instant(at(-40)), dueAt: instant(at(-i - 1)) }));
    await run(at(0));
    const top = h.fake.messages(CHANNEL);
    expect(top).toHaveLength(1);
    expect(top[0]?.text).toBe('8 remediations past the due date, 0 coming due with no owner.');
    const listed = JSON.stringify(top[0]?.blocks);
    for (const r of overdue) expect(listed).toContain(`*${r.id}*`);
    expect(listed).toContain(`<@${PEOPLE.manager.id}>`);
    for (const r of overdue) expect((await h.store.remediations.get(r.id))?.remindersSent).toEqual([`breach:${r.dueAt}`]);
    await run(at(1));
    expect(h.fake.messages(CHANNEL)).toHaveLength(1);
  });

  it('with no owner, the reminder goes to the thread for the leads', async () => {
    const r = await h.seed({ owner: null, slaStartAt: instant(at(-20)), dueAt: instant(at(2)) });
    await run(at(0));
    const [message] = h.fake.messages(CHANNEL);
    const [note] = stepNotes(h.fake.replies(CHANNEL, message!.ts));
    expect(note?.text).toContain(`<@${PEOPLE.lead.id}> <@${PEOPLE.lead2.id}>: ${r.id} is due`);
    expect(note?.text).toContain('has no owner');
  });

  it('reopens a remediation whose risk acceptance expired, and its one message says so', async () => {
    const riskAcceptance = { by: PEOPLE.lead.id, at: instant(at(-30)), justification: 'Legacy system, isolated', compensatingControl: 'WAF rule', expiresAt: instant(at(-0.1)) };
    const r = await h.seed({ state: 'risk_accepted', riskAcceptance, closedAt: riskAcceptance.at, resolution: 'risk_accepted', owner: PEOPLE.engineer.id });
    const live = await h.seed({ state: 'risk_accepted', riskAcceptance: { ...riskAcceptance, expiresAt: instant(at(5)) }, closedAt: riskAcceptance.at, resolution: 'risk_accepted' });
    await run(at(0));
    const reopened = (await h.store.remediations.get(r.id))!;
    expect(reopened).toMatchObject({ state: 'reopened', closedAt: null, resolution: null, reopenCount: 1, slaStartAt: instant(at(0)) });
    expect((await h.store.remediations.get(live.id))?.state).toBe('risk_accepted');
    const [event] = (await h.store.audit.bySubject(r.id)).filter((e) => e.action === 'remediation.risk_expired');
    expect(event).toMatchObject({ actor: 'system:reminders', data: { from: 'risk_accepted', to: 'reopened' } });
    const [message] = h.fake.messages(CHANNEL);
    expect(JSON.stringify(message?.blocks)).toContain('Reopened');
    expect(reopened.message).toEqual({ channel: CHANNEL, ts: message!.ts });
    expect(stepNotes(h.fake.replies(CHANNEL, message!.ts))[0]?.text).toContain(`The risk acceptance expired on Mon 2 Nov 2026, so ${r.id} is open again`);
    // Reopened with a fresh SLA clock, it is not owed a reminder yet; and a second run changes nothing.
    await run(at(0, 2));
    expect(h.fake.messages(CHANNEL)).toHaveLength(1);
    expect(dms(PEOPLE.engineer.id)).toEqual([]);
  });
});
