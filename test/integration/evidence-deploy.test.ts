/**
 * The pack reads what deploying records, for real: a lead's Deploy now over real HTTP (the SSM fake runs the patch
 * baseline on the production instances, the verification keeps the compliance snapshot), another lead's retroactive
 * approval; then the month's pack shows the emergency change with its approval, the SSM Patch Compliance rows, the
 * change approval rows, and the change in finding 2 (no passing test was recorded before it).
 */
import { join } from 'node:path';
import { createEvidencePack } from '../../src/app/evidence/build-pack.js';
import { parsePeriod } from '../../src/app/evidence/period.js';
import { verifyPack } from '../../src/app/evidence/verify-pack.js';
import type { SsmRun } from '../../src/domain/run-records.js';
import { ACTION, VIEW } from '../../src/slack/ids.js';
import { PEOPLE } from '../support/bot-harness.js';
import { parseCsv } from '../support/csv-parse.js';
import { readZip } from '../support/zip-read.js';
import { osPatches, putInState, stateOf, useSsmBot } from './deploy-support.js';
import { messageOf, postMessage, until } from './workflow-support.js';

describe('the evidence pack of a month with an emergency change made through the bot', () => {
  const world = useSsmBot();

  it('shows the change, its retroactive approval and the compliance snapshot the deployment left', async () => {
    const { h } = world;
    const r = await putInState(h, (await osPatches(h, 'production')).id, 'approved');
    const posted = await postMessage(h, r);
    await h.driver.blockAction({ user: PEOPLE.lead.id, message: messageOf(h, posted), action_id: ACTION.deployNow });
    const modal = await until(() => h.fake.views({ callbackId: VIEW.deployNow, user: PEOPLE.lead.id })[0], 'the Deploy now modal');
    await h.driver.viewSubmission({ user: PEOPLE.lead.id, view: modal, inputs: { reason: 'Exploited in the wild.' } });
    const verified = await stateOf(h, r.id, 'verified');
    await h.driver.blockAction({ user: PEOPLE.lead2.id, message: messageOf(h, posted), action_id: ACTION.approveEmergency });
    const approval = await until(() => h.fake.views({ callbackId: VIEW.emergencyApproval, user: PEOPLE.lead2.id })[0], 'the approval modal');
    await h.driver.viewSubmission({ user: PEOPLE.lead2.id, view: approval, inputs: { note: 'Agreed.' } });
    await until(async () => (await h.store.remediations.get(r.id))?.deployments[0]?.emergency?.approval, 'the approval');

    const generated = new Date('2026-12-10T08:00:00.000Z');
    const period = parsePeriod({ month: '2026-11' }, h.config.policy.timezone, generated);
    if (!period.ok) throw new Error(period.error.reason);
    const pack = createEvidencePack({ store: h.store, policy: h.config.policy, sources: { github: false, snyk: false, ssm: true }, printer: null, toolVersion: '0.1.0', now: () => generated });
    const result = await pack({ period: period.value, out: join(h.dir, 'pack.zip'), by: PEOPLE.auditor.id });
    await expect(verifyPack(result.path)).resolves.toMatchObject({ ok: true, problems: [] });
    const files = await readZip(result.path);
    const csv = (name: string) => parseCsv(files.get(name)!.toString('utf8')).slice(1);
    const html = files.get('index.html')!.toString('utf8');

    const snapshot = verified.verification!.evidence!;
    expect(snapshot.kind).toBe('ssm_compliance');
    const instances = snapshot.kind === 'ssm_compliance' ? snapshot.instances : [];
    expect(csv('ssm-patch-compliance.csv').map((row) => [row[0], row[10]])).toEqual(instances.map((i) => [i.instanceId, r.id]));
    const run = verified.deployments[0]!.record as SsmRun;
    expect(html).toContain(`${run.document} Install on ${run.instances.length} instance(s) (${run.instances.length} succeeded)`);

    const emergency = html.slice(html.indexOf('id="emergency"'), html.indexOf('id="advisories"'));
    expect(emergency).toContain(`href="#${r.id}"`);
    expect(emergency).toContain('Exploited in the wild.');
    expect(emergency).toMatch(/U0LEAD2 [\d-]+ [\d:]+: Agreed\./);
    expect(emergency).toContain('1 emergency change; each approved retroactively in time');
    expect(csv('change-approvals.csv').filter((row) => row[0] === r.id).map((row) => [row[1], row[2], row[8]])).toEqual([
      ['approved', 'U0LEAD2', 'tested in staging'],
      ['retroactive_approval', 'U0LEAD2', 'Agreed.'],
    ]);
    const changes = html.slice(html.indexOf('id="finding-changes"'), html.indexOf('id="finding-inventory"'));
    expect(changes).toContain(`href="#${r.id}"`); // set up as approved without a test: no passing test before it
    expect(csv('remediations.csv').find((row) => row[0] === r.id)!.slice(3, 4)).toEqual(['verified']);
  });
});
