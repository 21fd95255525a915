import { rewind } from '../../../../src/app/evidence/as-of.js';
import { placeFiles, safeName } from '../../../../src/app/evidence/evidence-files.js';
import { judgeChanges, judgeEmergencies, judgeSla, unresolvedHigh } from '../../../../src/app/evidence/judgements.js';
import { aRemediation, aTest } from '../../../support/builders.js';
import { aDeployment, anEmergency } from '../../../support/run-record-builders.js';

const W = { from: '2026-11-01T00:00:00.000Z', cutOff: '2026-12-01T00:00:00.000Z' };
const day = (d: number, month = 11): string => new Date(Date.UTC(2026, month - 1, d, 9)).toISOString();

describe('the findings asked of one remediation', () => {
  it.each([
    ['open, due inside', { dueAt: day(10) }, { inScope: true, missed: true }],
    ['open, due after', { dueAt: day(3, 12) }, { inScope: false, missed: false }],
    ['closed in time inside', { state: 'verified', closedAt: day(5), dueAt: day(10) }, { inScope: true, missed: false }],
    ['closed late inside', { state: 'verified', closedAt: day(15), dueAt: day(10) }, { inScope: true, missed: true }],
    ['risk accepted late', { state: 'risk_accepted', closedAt: day(15), dueAt: day(10), riskAcceptance: { by: 'U0LEAD', at: day(15), justification: 'j', compensatingControl: 'c', expiresAt: day(1, 2) } }, { inScope: true, missed: true }],
  ] as const)('SLA: %s', (_name, overrides, expected) => {
    const j = judgeSla(aRemediation(overrides as never), W);
    expect(j).toMatchObject(expected);
    expect(j.exception !== null).toBe(_name === 'risk accepted late');
  });

  it('a change is tested by a passing test recorded before it started, and approved by an approval before it', () => {
    const r = aRemediation({
      tests: [aTest({ at: day(2), result: 'fail' }), aTest({ at: day(9) })],
      decisions: [{ decision: 'approved', by: 'U0APPROVER', at: day(3), reason: '', changeTicket: null }],
      deployments: [aDeployment({ startedAt: day(5) }), aDeployment({ startedAt: day(10) }), aDeployment({ startedAt: day(20, 10) })],
    });
    expect(judgeChanges(r, W).map((c) => [c.deployment.startedAt, c.tested, c.approved])).toEqual([[day(5), false, true], [day(10), true, true]]);
  });

  it('an emergency change is late without its retroactive approval by the due date', () => {
    const r = aRemediation({
      deployments: [
        aDeployment({ startedAt: day(5), emergency: anEmergency({ approvalDueAt: day(8), approval: { by: 'U0LEAD2', at: day(7), note: 'ok' } }) }),
        aDeployment({ startedAt: day(6), emergency: anEmergency({ approvalDueAt: day(9), approval: { by: 'U0LEAD2', at: day(12), note: 'ok' } }) }),
        aDeployment({ startedAt: day(7), emergency: anEmergency({ approvalDueAt: day(10) }) }),
        aDeployment({ startedAt: day(29), emergency: anEmergency({ approvalDueAt: day(2, 12) }) }),
        aDeployment({ startedAt: day(8) }),
      ],
    });
    expect(judgeEmergencies(r, W).map((e) => e.late)).toEqual([false, true, true, false]);
  });

  it('high and critical work still open needs an owner', () => {
    expect(unresolvedHigh(aRemediation({ severity: 'critical', owner: null }), W.cutOff)).toEqual({ owner: null, overdue: false });
    expect(unresolvedHigh(aRemediation({ severity: 'medium' }), W.cutOff)).toBeNull();
    expect(unresolvedHigh(aRemediation({ severity: 'high', state: 'verified' }), W.cutOff)).toBeNull();
  });
});

describe('rolling a current record back to the cut-off', () => {
  it('takes out what is dated after it and keeps the trail’s state', () => {
    const now = aRemediation({
      state: 'verified', closedAt: day(3, 12), resolution: 'deployed',
      tests: [aTest({ at: day(5) }), aTest({ at: day(2, 12) })],
      deployments: [aDeployment({ startedAt: day(30), finishedAt: day(2, 12), status: 'succeeded' })],
      verification: { at: day(3, 12), clean: true, details: {} },
    });
    const then = rewind(now, 'tested', W.cutOff);
    expect(then).toMatchObject({ state: 'tested', closedAt: null, resolution: null, verification: null });
    expect(then.tests).toHaveLength(1);
    expect(then.deployments[0]).toMatchObject({ status: 'running', finishedAt: null });
  });
});

describe('evidence file names in the zip', () => {
  it('are safe on any system and unique per remediation', () => {
    expect(safeName('../../etc/passwd')).toBe('__.._etc_passwd');
    expect(safeName('a\u0000b:c?.log')).toBe('a_b_c_.log');
    expect(safeName('')).toBe('file');
    const file = (sha: string, name: string) => ({ sha256: sha.repeat(64), size: 1, name, mimeType: 'text/plain', slackFileId: null });
    const r = aRemediation({ id: 'PW-7', tests: [aTest({ files: [file('a', 'run.log'), file('b', 'RUN.log')] }), aTest({ files: [file('a', 'run.log'), file('c', 'run.log')] })] });
    expect(placeFiles(r).map((p) => p.path)).toEqual(['test-evidence/PW-7/run.log', 'test-evidence/PW-7/RUN (2).log', 'test-evidence/PW-7/run (3).log']);
  });
});
