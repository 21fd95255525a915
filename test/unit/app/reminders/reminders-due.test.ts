import { createReminderLog, reminderDue } from '../../../../src/app/reminders/reminders-due.js';
import { DEFAULT_SLA } from '../../../../src/domain/sla.js';
import { aRemediation } from '../../../support/builders.js';
import type { EffectInput } from '../../../../src/app/outbox/effects.js';
import { tempStore, type TempStore } from '../../../support/temp-store.js';

const due = '2026-11-20T00:00:00.000Z';
const r = (overrides = {}) => aRemediation({ dueAt: due, slaStartAt: '2026-11-01T00:00:00.000Z', ...overrides });

describe('which reminder an open remediation is owed', () => {
  it.each([
    ['before the reminder time', '2026-11-16T23:59:59.000Z', {}, null],
    ['at the reminder time (3 days before)', '2026-11-17T00:00:00.000Z', {}, `due_soon:${due}`],
    ['on the due date itself', '2026-11-20T00:00:00.000Z', {}, `due_soon:${due}`],
    ['past the due date', '2026-11-20T00:00:01.000Z', {}, `breach:${due}`],
    ['past the due date, reminded before', '2026-11-21T00:00:00.000Z', { remindersSent: [`due_soon:${due}`] }, `breach:${due}`],
    ['already reminded', '2026-11-18T00:00:00.000Z', { remindersSent: [`due_soon:${due}`] }, null],
    ['breach already told', '2026-11-25T00:00:00.000Z', { remindersSent: [`breach:${due}`] }, null],
    ['reminded of an earlier due date', '2026-11-18T00:00:00.000Z', { remindersSent: ['due_soon:2026-11-10T00:00:00.000Z'] }, `due_soon:${due}`],
    ['closed', '2026-11-25T00:00:00.000Z', { state: 'verified' }, null],
    ['risk accepted', '2026-11-25T00:00:00.000Z', { state: 'risk_accepted' }, null],
    ['SLA clock started within the lead time', '2026-11-18T00:00:00.000Z', { slaStartAt: '2026-11-18T00:00:00.000Z' }, `due_soon:${due}`],
  ])('%s', (_name, now, overrides, key) => {
    expect(reminderDue(r(overrides), DEFAULT_SLA, new Date(now))?.key ?? null).toBe(key);
  });
});

describe('the reminder log', () => {
  let temp: TempStore;
  beforeEach(async () => {
    temp = await tempStore();
  });
  afterEach(() => temp.dispose());

  const now = () => new Date('2026-11-18T00:00:00.000Z');

  it('claims a reminder once, even when two claim it at the same moment', async () => {
    const created = await temp.store.remediations.create(r({ id: 'PW-1' }), []);
    if (!created.ok) throw new Error('seed');
    const reminder = reminderDue(created.value, DEFAULT_SLA, now())!;
    const a = createReminderLog({ store: temp.store, sla: DEFAULT_SLA, now });
    const b = createReminderLog({ store: temp.store, sla: DEFAULT_SLA, now });
    const dm = (): EffectInput[] => [{ kind: 'slack.dm', subject: 'PW-1', data: { user: 'U1', text: 'due soon' } }];
    const claims = await Promise.all([a.claim(reminder, ['U1'], dm), b.claim(reminder, ['U1'], dm), a.claim(reminder, ['U1'], dm)]);
    expect(claims.filter((c) => c !== null)).toHaveLength(1);
    expect((await temp.store.remediations.get('PW-1'))?.remindersSent).toEqual([reminder.key]);
    expect((await temp.store.audit.bySubject('PW-1')).map((e) => e.action)).toEqual(['reminder.sent']);
    // What delivers it is recorded with it, once.
    expect((await temp.store.outbox.list({ subject: 'PW-1' })).map((e) => [e.kind, e.data])).toEqual([['slack.dm', { user: 'U1', text: 'due soon' }]]);
  });

  it('does not claim a reminder the remediation no longer owes (its due date moved)', async () => {
    const created = await temp.store.remediations.create(r({ id: 'PW-3' }), []);
    if (!created.ok) throw new Error('seed');
    const reminder = reminderDue(created.value, DEFAULT_SLA, now())!;
    await temp.store.remediations.update({ ...created.value, dueAt: '2026-12-30T00:00:00.000Z' }, created.value.version, []);
    await expect(createReminderLog({ store: temp.store, sla: DEFAULT_SLA, now }).claim(reminder, ['U1'], () => [])).resolves.toBeNull();
  });
});
