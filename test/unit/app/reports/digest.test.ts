import { buildInventoryReport } from '../../../../src/app/reports/inventory-report.js';
import { digestPeriod, endOfMonth, selectDigest } from '../../../../src/app/reports/digest.js';
import { aRemediation } from '../../../support/builders.js';

describe('the digest period, in the policy time zone', () => {
  it.each([
    ['2026-11-01T08:00:00.000Z', 'Europe/Berlin', '2026-11', '2026-11-30T23:00:00.000Z'],
    // 00:30 on 1 December in Berlin is still November in UTC.
    ['2026-11-30T23:30:00.000Z', 'Europe/Berlin', '2026-12', '2026-12-31T23:00:00.000Z'],
    ['2026-11-30T23:30:00.000Z', 'UTC', '2026-11', '2026-12-01T00:00:00.000Z'],
    ['2026-12-15T12:00:00.000Z', 'America/New_York', '2026-12', '2027-01-01T05:00:00.000Z'],
    // The month after March in Berlin starts in summer time.
    ['2026-03-10T12:00:00.000Z', 'Europe/Berlin', '2026-03', '2026-03-31T22:00:00.000Z'],
  ])('%s in %s is %s, ending %s', (at, tz, period, end) => {
    expect(digestPeriod(new Date(at), tz)).toBe(period);
    expect(endOfMonth(new Date(at), tz)).toBe(end);
  });
});

describe('what a digest selects', () => {
  const at = new Date('2026-11-02T09:00:00.000Z');
  const coverage = buildInventoryReport([], new Map(), 30, at);

  it('open by severity, overdue, due this month, new, and every row once', () => {
    const overdue = aRemediation({ id: 'PW-1', severity: 'critical', dueAt: '2026-11-01T00:00:00.000Z' });
    const thisMonth = aRemediation({ id: 'PW-2', severity: 'high', dueAt: '2026-11-30T22:59:59.000Z' });
    const nextMonth = aRemediation({ id: 'PW-3', severity: 'high', dueAt: '2026-11-30T23:00:00.000Z' });
    const freshClosed = aRemediation({ id: 'PW-4', state: 'verified', dueAt: '2026-11-20T00:00:00.000Z' });
    const d = selectDigest({ open: [overdue, thisMonth, nextMonth], fresh: [thisMonth, freshClosed], coverage, since: '2026-10-01T00:00:00.000Z' }, at, 'Europe/Berlin');
    expect(d.period).toBe('2026-11');
    expect(d.open).toEqual({ total: 3, bySeverity: { critical: 1, high: 2, medium: 0, low: 0 } });
    expect(d.overdue.map((r) => r.id)).toEqual(['PW-1']);
    expect(d.dueThisMonth.map((r) => r.id)).toEqual(['PW-2']);
    expect(d.fresh.map((r) => r.id)).toEqual(['PW-2', 'PW-4']);
    expect(d.all.map((r) => r.id)).toEqual(['PW-1', 'PW-4', 'PW-2', 'PW-3']);
  });
});
