/** Approve / reject / schedule on a real SQLite store: approve + window in one write with two events, SoD, slot keys. */
import { createApplyStep } from '../../../../src/app/workflow/apply-step.js';
import { createCheckStep } from '../../../../src/app/workflow/check-step.js';
import { createDecide } from '../../../../src/app/workflow/decide.js';
import { slotOptionValue as slotKey } from '../../../../src/slack/views/slot-option.js';
import type { MaintenanceWindowDef } from '../../../../src/domain/maintenance.js';
import type { Remediation } from '../../../../src/domain/remediation.js';
import type { Store } from '../../../../src/app/ports.js';
import { DEFAULT_SLA } from '../../../../src/domain/sla.js';
import { crashingStore } from '../../../support/port-fakes.js';
import { anAsset, approver, aRemediation, aTest, engineer, lead } from '../../../support/builders.js';
import { tempStore, type TempStore } from '../../../support/temp-store.js';

const now = () => new Date('2026-11-02T09:00:00Z');
const windows: MaintenanceWindowDef[] = [
  { id: 'prod-sat', name: 'Production, Saturday 22:00', cron: '0 22 * * 6', durationMinutes: 240, environments: ['production'] },
  { id: 'staging-daily', name: 'Staging daily', cron: '0 7 * * *', durationMinutes: 60, environments: ['staging'] },
];

describe('decide', () => {
  let temp: TempStore;
  beforeEach(async () => {
    temp = await tempStore();
    await temp.store.commit({ assets: [anAsset({ id: 'github:acme/api', environment: 'production' })], events: [] });
  });
  afterEach(() => temp.dispose());

  const seed = async (overrides: Partial<Remediation>) => {
    const created = await temp.store.remediations.create(aRemediation({ id: 'PW-1', state: 'tested', assetIds: ['github:acme/api'], tests: [aTest({ by: 'U0ENG' })], ...overrides }), []);
    if (!created.ok) throw new Error('seed');
    return created.value;
  };
  const decide = (store: Store = temp.store) => {
    const deps = { store, sla: DEFAULT_SLA, now };
    return createDecide({ store, windows, timeZone: 'Europe/Berlin', now, applyStep: createApplyStep(deps), checkStep: createCheckStep(deps), slotKey });
  };
  const actions = async () => (await temp.store.audit.bySubject('PW-1')).map((e) => e.action);

  it('offers the windows serving its environment, those meeting the due date first', async () => {
    const r = await seed({ dueAt: '2026-11-10T00:00:00.000Z' });
    const slots = await decide().slotsFor(r);
    expect(slots.map((s) => [s.slot.windowId, s.slot.startsAt, s.meetsDueDate])).toEqual([
      ['prod-sat', '2026-11-07T21:00:00.000Z', true],
      ['prod-sat', '2026-11-14T21:00:00.000Z', false],
      ['prod-sat', '2026-11-21T21:00:00.000Z', false],
    ]);
  });

  it('approve + window: approved then scheduled, two audit events', async () => {
    const r = await seed({});
    const d = decide();
    const [first] = await d.slotsFor(r);
    const done = await d.run('PW-1', { kind: 'approve', reason: '', changeTicket: 'CHG-1', slotKey: slotKey(first!.slot) }, lead());
    if (!done.ok) throw new Error(done.error.code);
    expect(done.value).toMatchObject({ steps: ['approved', 'scheduled'], scheduleRefused: null, after: { state: 'scheduled', schedule: { windowId: 'prod-sat' } } });
    expect(await actions()).toEqual(['remediation.approved', 'remediation.scheduled']);
  });

  it('approve + window is one write: whatever stops the process after it, never approved without its window', async () => {
    const r = await seed({});
    const [first] = await decide().slotsFor(r);
    // The process dies at its second write of the remediation, if it makes one.
    const crashing = crashingStore(temp.store, (call, calls) => call === 'remediations.update' && calls.filter((c) => c === 'remediations.update').length === 2);
    await decide(crashing.store).run('PW-1', { kind: 'approve', reason: '', changeTicket: null, slotKey: slotKey(first!.slot) }, lead()).catch(() => null);
    expect(await temp.store.remediations.get('PW-1')).toMatchObject({ state: 'scheduled', version: 2 });
    expect((await temp.store.audit.bySubject('PW-1')).map((e) => [e.action, e.data.from, e.data.to])).toEqual([
      ['remediation.approved', 'tested', 'approved'],
      ['remediation.scheduled', 'approved', 'scheduled'],
    ]);
  });

  it('an approver approves, but only a lead schedules: the approval stands and the refusal is audited', async () => {
    const r = await seed({});
    const d = decide();
    expect(d.gate(r, approver())).toEqual({ ok: true, value: { mode: 'decide', permission: 'approve', extra: null, offerWindows: false } });
    const [first] = await d.slotsFor(r);
    const done = await d.run('PW-1', { kind: 'approve', reason: '', changeTicket: null, slotKey: slotKey(first!.slot) }, approver());
    expect(done).toMatchObject({ ok: true, value: { steps: ['approved'], after: { state: 'approved' }, scheduleRefused: { code: 'auth.forbidden', permission: 'schedule' } } });
    expect(await actions()).toEqual(['remediation.approved', 'access.denied']);
  });

  it('the passing tester may not approve: the gate says so up front, the domain at submission', async () => {
    const r = await seed({});
    const d = decide();
    expect(d.gate(r, lead('U0ENG'))).toMatchObject({ ok: true, value: { extra: { code: 'approval.separation_of_duties' } } });
    const form = { kind: 'approve' as const, reason: '', changeTicket: null, slotKey: null };
    expect(await d.check('PW-1', form, lead('U0ENG'))).toEqual({ code: 'approval.separation_of_duties' });
    expect(await d.run('PW-1', form, lead('U0ENG'))).toMatchObject({ ok: false, error: { code: 'approval.separation_of_duties' } });
    expect(await actions()).toEqual(['access.denied']);
  });

  it('reject needs a reason and goes back to testing; an unknown window is refused before anything is recorded', async () => {
    await seed({});
    const d = decide();
    expect(await d.check('PW-1', { kind: 'reject', reason: '', changeTicket: null }, lead())).toEqual({ code: 'input.required', field: 'reason' });
    expect(await d.check('PW-1', { kind: 'approve', reason: '', changeTicket: null, slotKey: '2020-01-01T00:00:00.000Z|prod-sat' }, lead())).toEqual({ code: 'schedule.window_unknown' });
    expect(await d.run('PW-1', { kind: 'approve', reason: '', changeTicket: null, slotKey: 'forged' }, lead())).toMatchObject({ ok: false, error: { code: 'schedule.window_unknown' } });
    const done = await d.run('PW-1', { kind: 'reject', reason: 'No login screenshot.', changeTicket: null }, lead());
    expect(done).toMatchObject({ ok: true, value: { steps: ['rejected'], after: { state: 'testing' } } });
    expect(await actions()).toEqual(['remediation.rejected']);
  });

  it.each([
    ['tested', 'decide', 'approve'],
    ['approved', 'schedule', 'schedule'],
    ['scheduled', 'schedule', 'schedule'],
    ['failed', 'schedule', 'schedule'],
  ] as const)('%s opens the %s mode', async (state, mode, permission) => {
    const r = await seed({ state });
    expect(decide().gate(r, lead())).toMatchObject({ ok: true, value: { mode, permission } });
  });

  it('other states are refused', async () => {
    const r = await seed({ state: 'assessed' });
    expect(decide().gate(r, lead())).toMatchObject({ ok: false, error: { code: 'remediation.invalid_state', state: 'assessed' } });
    expect(decide().gate(r, engineer())).toMatchObject({ ok: false });
  });

  it('slot keys fit an option value and tell windows apart', () => {
    const long = 'w'.repeat(200);
    const a = slotKey({ windowId: `${long}-a`, windowName: 'A', startsAt: '2026-11-07T21:00:00.000Z', endsAt: '2026-11-08T01:00:00.000Z' });
    const b = slotKey({ windowId: `${long}-b`, windowName: 'B', startsAt: '2026-11-07T21:00:00.000Z', endsAt: '2026-11-08T01:00:00.000Z' });
    expect([a.length <= 75, b.length <= 75, a !== b]).toEqual([true, true, true]);
    expect(slotKey({ windowId: 'prod-sat', windowName: 'x', startsAt: '2026-11-07T21:00:00.000Z', endsAt: '' })).toBe('2026-11-07T21:00:00.000Z|prod-sat');
  });
});
