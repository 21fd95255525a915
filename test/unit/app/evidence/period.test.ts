import { cutOff, parsePeriod, periodArgs, periodName, type PeriodInput } from '../../../../src/app/evidence/period.js';

const NOW = new Date('2026-12-10T08:00:00.000Z');

describe('the period of a pack', () => {
  it.each([
    [{ month: '2026-11' }, 'UTC', '2026-11', '2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z'],
    [{ month: '2026-11' }, 'Europe/Berlin', '2026-11', '2026-10-31T23:00:00.000Z', '2026-11-30T23:00:00.000Z'],
    [{ month: '2025-12' }, 'UTC', '2025-12', '2025-12-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'],
    [{ from: '2026-10-01', to: '2026-12-31' }, 'UTC', '2026-10-01_2026-12-31', '2026-10-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    [{ from: '2026-03-29', to: '2026-03-29' }, 'Europe/Berlin', '2026-03-29_2026-03-29', '2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z'],
  ] as [PeriodInput, string, string, string, string][])('%j in %s is %s: [%s, %s)', (input, tz, label, from, to) => {
    expect(parsePeriod(input, tz, NOW)).toEqual({ ok: true, value: { label, from, to, timeZone: tz } });
  });

  it.each([
    [{ month: '2026-13' }, 'a month is written YYYY-MM, such as 2026-11'],
    [{ month: 'november' }, 'a month is written YYYY-MM, such as 2026-11'],
    [{ month: '2027-01' }, 'it has not started yet'],
    [{ from: '2026-02-30', to: '2026-03-01' }, '“2026-02-30” is not a day written YYYY-MM-DD'],
    [{ from: '2026-02-01', to: '03/01/2026' }, '“03/01/2026” is not a day written YYYY-MM-DD'],
    [{ from: '2026-03-02', to: '2026-03-01' }, 'the last day comes before the first'],
  ] as [PeriodInput, string][])('refuses %j: %s', (input, reason) => {
    const p = parsePeriod(input, 'UTC', NOW);
    expect(p.ok ? null : p.error.reason).toBe(reason);
  });

  it.each([
    [{ month: '2026-11' }, '2026-11', '--period 2026-11'],
    [{ from: '2026-10-01', to: '2026-12-31' }, '2026-10-01 to 2026-12-31', '--from 2026-10-01 --to 2026-12-31'],
  ] as [PeriodInput, string, string][])('names %j for people as “%s” and for the CLI as %s', (input, name, args) => {
    const p = parsePeriod(input, 'UTC', NOW);
    if (!p.ok) throw new Error(p.error.reason);
    expect([periodName(p.value), periodArgs(p.value)]).toEqual([name, args]);
  });

  it('shows a period still running as of now, a past one as of its end', () => {
    const running = parsePeriod({ month: '2026-12' }, 'UTC', NOW);
    const past = parsePeriod({ month: '2026-11' }, 'UTC', NOW);
    if (!running.ok || !past.ok) throw new Error('periods');
    expect(cutOff(running.value, NOW)).toBe(NOW.toISOString());
    expect(cutOff(past.value, NOW)).toBe('2026-12-01T00:00:00.000Z');
  });
});
