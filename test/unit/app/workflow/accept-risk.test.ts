/** Risk acceptance: the expiry is a day in the policy's time zone; the cap and the past are the domain's. */
import { createAcceptRisk, startOfDay } from '../../../../src/app/workflow/accept-risk.js';
import { createApplyStep } from '../../../../src/app/workflow/apply-step.js';
import { createCheckStep } from '../../../../src/app/workflow/check-step.js';
import { DEFAULT_SLA } from '../../../../src/domain/sla.js';
import { aRemediation, engineer, lead } from '../../../support/builders.js';
import { tempStore, type TempStore } from '../../../support/temp-store.js';

const now = () => new Date('2026-11-02T09:00:00Z');
const form = { justification: 'Internal only.', compensatingControl: 'WAF rule 17.', expiresOn: '2027-01-15' };

describe('accept risk', () => {
  let temp: TempStore;
  beforeEach(async () => {
    temp = await tempStore();
    const created = await temp.store.remediations.create(aRemediation({ id: 'PW-1', state: 'assessed' }), []);
    if (!created.ok) throw new Error('seed');
  });
  afterEach(() => temp.dispose());

  const useCase = () => {
    const deps = { store: temp.store, sla: DEFAULT_SLA, now };
    return createAcceptRisk({ timeZone: 'Europe/Berlin', applyStep: createApplyStep(deps), checkStep: createCheckStep(deps) });
  };

  it.each([
    ['2027-01-15', 'Europe/Berlin', '2027-01-14T23:00:00.000Z'],
    ['2027-07-15', 'Europe/Berlin', '2027-07-14T22:00:00.000Z'],
    ['2027-01-15', 'UTC', '2027-01-15T00:00:00.000Z'],
    ['2027-02-30', 'UTC', null],
    ['15/01/2027', 'UTC', null],
  ])('%s in %s starts at %s', (day, tz, expected) => expect(startOfDay(day, tz)).toBe(expected));

  it('records it, closed until the start of the expiry day', async () => {
    const done = await useCase().run('PW-1', form, lead());
    expect(done).toMatchObject({ ok: true, value: { after: { state: 'risk_accepted', riskAcceptance: { expiresAt: '2027-01-14T23:00:00.000Z', compensatingControl: 'WAF rule 17.' } } } });
    expect((await temp.store.audit.bySubject('PW-1')).map((e) => e.action)).toEqual(['remediation.risk_accepted']);
  });

  it('checks the cap, the past and the role without recording anything', async () => {
    const uc = useCase();
    expect(await uc.check('PW-1', { ...form, expiresOn: '2027-02-01' }, lead())).toMatchObject({ code: 'risk.expiry_too_far', maxDays: 90 });
    expect(await uc.check('PW-1', { ...form, expiresOn: '2026-11-02' }, lead())).toMatchObject({ code: 'risk.expiry_in_past' });
    expect(await uc.check('PW-1', { ...form, expiresOn: 'soon' }, lead())).toEqual({ code: 'input.required', field: 'expiry' });
    expect(await uc.check('PW-1', form, engineer())).toMatchObject({ code: 'auth.forbidden' });
    expect(await temp.store.audit.bySubject('PW-1')).toEqual([]);
  });
});
