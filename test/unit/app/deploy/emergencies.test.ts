/** The retroactive approval of an emergency change on a real SQLite store: its maker is refused, and that is audited. */
import { createApplyStep } from '../../../../src/app/workflow/apply-step.js';
import { createEmergencyApprovals } from '../../../../src/app/deploy/emergencies.js';
import { DEFAULT_SLA } from '../../../../src/domain/sla.js';
import { aRemediation, lead } from '../../../support/builders.js';
import { aDeployment, anEmergency } from '../../../support/run-record-builders.js';
import { tempStore, type TempStore } from '../../../support/temp-store.js';

const now = () => new Date('2026-11-02T09:00:00Z');

describe('emergency approvals', () => {
  let temp: TempStore;
  beforeEach(async () => {
    temp = await tempStore();
    const d = aDeployment({ emergency: anEmergency({ by: 'U0LEAD' }) });
    const created = await temp.store.remediations.create(aRemediation({ id: 'PW-1', state: 'verified', deployments: [d] }), []);
    if (!created.ok) throw new Error('seed');
  });
  afterEach(() => temp.dispose());

  const approvals = () => createEmergencyApprovals({ store: temp.store, applyStep: createApplyStep({ store: temp.store, sla: DEFAULT_SLA, now }), sla: DEFAULT_SLA });
  const audit = async () => (await temp.store.audit.bySubject('PW-1')).map((e) => [e.action, e.actor, e.data.code]);

  it('refuses the lead who made the change, records nothing and audits the refusal as access.denied', async () => {
    expect(await approvals().approve('PW-1', 'Mine.', lead('U0LEAD'))).toMatchObject({ ok: false, error: { code: 'emergency.self_approval' } });
    expect((await temp.store.remediations.get('PW-1'))!.deployments[0]!.emergency!.approval).toBeNull();
    expect(await audit()).toEqual([['access.denied', 'U0LEAD', 'emergency.self_approval']]);
  });

  it('another lead approves it', async () => {
    expect(await approvals().approve('PW-1', 'Agreed.', lead('U0LEAD2'))).toMatchObject({ ok: true });
    expect((await temp.store.remediations.get('PW-1'))!.deployments[0]!.emergency!.approval).toMatchObject({ by: 'U0LEAD2', note: 'Agreed.' });
    expect((await audit()).map(([action]) => action)).toEqual(['remediation.emergency_approved']);
  });
});
