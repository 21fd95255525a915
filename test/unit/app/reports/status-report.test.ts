import { closedStats, ownerOrder } from '../../../../src/app/reports/status-report.js';
import type { RemediationFacts } from '../../../../src/app/ports.js';

const fact = (overrides: Partial<RemediationFacts>): RemediationFacts => ({
  id: 'PW-1', state: 'verified', severity: 'high', owner: 'U1', dueAt: '2026-11-10T00:00:00.000Z', closedAt: '2026-11-05T00:00:00.000Z',
  createdAt: '2026-10-01T00:00:00.000Z', slaStartAt: '2026-11-01T00:00:00.000Z', resolution: 'deployed', ...overrides,
});

describe('SLA compliance and mean time to remediate', () => {
  it('no closed remediation: compliance n/a, no means', () => {
    const s = closedStats([], 90);
    expect(s.sla).toEqual({ windowDays: 90, closed: 0, onTime: 0, compliance: null });
    expect(s.mttr.bySeverity.critical).toEqual({ count: 0, meanDays: null });
  });

  it.each([
    ['closed before the due date', '2026-11-05T00:00:00.000Z', 1],
    ['closed exactly at the due date', '2026-11-10T00:00:00.000Z', 1],
    ['closed a minute late', '2026-11-10T00:01:00.000Z', 0],
  ])('%s counts as on time: %i', (_name, closedAt, onTime) => {
    expect(closedStats([fact({ closedAt })], 90).sla.onTime).toBe(onTime);
  });

  it('a risk acceptance counts for compliance but not for time to remediate; time runs from the SLA clock start', () => {
    const s = closedStats(
      [
        fact({ severity: 'high', slaStartAt: '2026-11-01T00:00:00.000Z', closedAt: '2026-11-05T00:00:00.000Z' }),
        fact({ severity: 'high', slaStartAt: '2026-11-01T00:00:00.000Z', closedAt: '2026-11-09T12:00:00.000Z' }),
        fact({ severity: 'high', state: 'risk_accepted', resolution: 'risk_accepted', closedAt: '2026-11-30T00:00:00.000Z' }),
        fact({ severity: 'critical', slaStartAt: '2026-11-01T00:00:00.000Z', closedAt: '2026-11-03T00:00:00.000Z' }),
      ],
      90,
    );
    expect(s.sla).toMatchObject({ closed: 4, onTime: 3, compliance: 0.75 });
    expect(s.mttr.bySeverity.high).toEqual({ count: 2, meanDays: 6.25 });
    expect(s.mttr.bySeverity.critical).toEqual({ count: 1, meanDays: 2 });
    expect(s.mttr.bySeverity.low.meanDays).toBeNull();
  });

  it('a remediation closed by a dismissal at the source alone (before a lead had to decide) is no closure: not on time, not remediated', () => {
    const s = closedStats([fact({}), fact({ resolution: 'dismissed_upstream', closedAt: '2026-11-02T00:00:00.000Z' })], 90);
    expect(s.sla).toMatchObject({ closed: 1, onTime: 1, compliance: 1 });
    expect(s.mttr.bySeverity.high.count).toBe(1);
  });
});

describe('overdue by owner', () => {
  it('most overdue work first, ties by id, no owner last', () => {
    expect(ownerOrder([{ owner: 'U3', count: 1 }, { owner: null, count: 3 }, { owner: 'U1', count: 1 }, { owner: 'U2', count: 2 }])).toEqual([
      { owner: 'U2', count: 2 },
      { owner: 'U1', count: 1 },
      { owner: 'U3', count: 1 },
      { owner: null, count: 3 },
    ]);
  });
});
