/** The assess use case on a real SQLite store: one audited step, a dry-run check, EPSS from the findings. */
import { createApplyStep } from '../../../../src/app/workflow/apply-step.js';
import { createAssess, type AssessForm } from '../../../../src/app/workflow/assess.js';
import { createCheckStep } from '../../../../src/app/workflow/check-step.js';
import { DEFAULT_SLA } from '../../../../src/domain/sla.js';
import { aFinding, aRemediation, engineer, lead } from '../../../support/builders.js';
import { tempStore, type TempStore } from '../../../support/temp-store.js';

const now = () => new Date('2026-11-02T09:00:00Z');
const form: AssessForm = { severity: 'critical', knownExploit: true, businessImpact: 'high', rationale: '  Internet-facing.  ', owner: 'U0ENG' };

describe('assess', () => {
  let temp: TempStore;
  beforeEach(async () => {
    temp = await tempStore();
  });
  afterEach(() => temp.dispose());

  const setup = async () => {
    const { store } = temp;
    const findings = [aFinding({ epss: 0.12 }), aFinding({ epss: 0.61 }), aFinding({ epss: null })];
    await store.commit({ findings, events: [] });
    const created = await store.remediations.create(aRemediation({ id: 'PW-1', findingIds: findings.map((f) => f.id) }), []);
    if (!created.ok) throw new Error('seed');
    const deps = { store, sla: DEFAULT_SLA, now };
    return { r: created.value, assess: createAssess({ store, sla: DEFAULT_SLA, applyStep: createApplyStep(deps), checkStep: createCheckStep(deps) }) };
  };

  it('records the assessment with the highest EPSS of its findings, in one audited write', async () => {
    const { r, assess } = await setup();
    expect(await assess.exploitability(r)).toEqual({ kevDueAt: null, epss: 0.61 });
    expect(assess.dueDateFor(r, 'critical')).toBe('2026-11-08T09:00:00.000Z');
    const done = await assess.run('PW-1', form, lead());
    if (!done.ok) throw new Error(done.error.code);
    expect(done.value.after).toMatchObject({ state: 'assessed', severity: 'critical', owner: 'U0ENG', dueAt: '2026-11-08T09:00:00.000Z', version: r.version + 1 });
    expect(done.value.after.assessment).toMatchObject({ epss: 0.61, rationale: 'Internet-facing.', by: 'U0LEAD' });
    const events = await temp.store.audit.bySubject('PW-1');
    expect(events.map((e) => [e.action, e.data.from, e.data.to])).toEqual([['remediation.assessed', 'new', 'assessed']]);
  });

  it('checks without writing: an empty rationale, a wrong role', async () => {
    const { r, assess } = await setup();
    expect(await assess.check('PW-1', { ...form, rationale: ' ' }, lead())).toEqual({ code: 'input.required', field: 'rationale' });
    expect(await assess.check('PW-1', form, engineer())).toMatchObject({ code: 'auth.forbidden', permission: 'assess' });
    expect(await assess.check('PW-404', form, lead())).toEqual({ code: 'remediation.not_found', id: 'PW-404' });
    expect(await assess.check('PW-1', form, lead())).toBeNull();
    expect(await temp.store.remediations.get('PW-1')).toEqual(r);
    expect(await temp.store.audit.bySubject('PW-1')).toEqual([]);
  });
});
