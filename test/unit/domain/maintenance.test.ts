import { nextFirings, parseCron, zonedTimeToUtc } from '../../../src/domain/cron-expression.js';
import { isOpen, slotOptions, upcomingSlots } from '../../../src/domain/maintenance.js';

const iso = (ds: Date[]) => ds.map((d) => d.toISOString());

describe('cron firings in a time zone', () => {
  it.each([
    ['every Saturday 22:00 in Berlin (winter, UTC+1)', '0 22 * * 6', 'Europe/Berlin', '2026-11-28T02:00:00Z', ['2026-11-28T21:00:00.000Z', '2026-12-05T21:00:00.000Z']],
    ['09:00 on the 1st in UTC', '0 9 1 * *', 'UTC', '2026-11-28T00:00:00Z', ['2026-12-01T09:00:00.000Z', '2027-01-01T09:00:00.000Z']],
    ['weekdays 07:00 in New York', '0 7 * * 1-5', 'America/New_York', '2026-11-27T13:00:00Z', ['2026-11-30T12:00:00.000Z', '2026-12-01T12:00:00.000Z']],
    ['every 6 hours', '0 */6 * * *', 'UTC', '2026-11-28T05:59:00Z', ['2026-11-28T06:00:00.000Z', '2026-11-28T12:00:00.000Z']],
    ['named days and months', '30 1 * jan,feb sun', 'UTC', '2026-12-31T00:00:00Z', ['2027-01-03T01:30:00.000Z', '2027-01-10T01:30:00.000Z']],
    ['Sunday as 7', '0 0 * * 7', 'UTC', '2026-11-28T00:00:00Z', ['2026-11-29T00:00:00.000Z', '2026-12-06T00:00:00.000Z']],
    ['day-of-month or day-of-week when both are set', '0 0 1 * 1', 'UTC', '2026-11-28T00:00:00Z', ['2026-11-30T00:00:00.000Z', '2026-12-01T00:00:00.000Z']],
    ['a leading seconds field', '0 0 22 * * 6', 'Europe/Berlin', '2026-11-28T02:00:00Z', ['2026-11-28T21:00:00.000Z', '2026-12-05T21:00:00.000Z']],
    ['across the spring DST change in Berlin', '0 22 * * 6', 'Europe/Berlin', '2027-03-20T00:00:00Z', ['2027-03-20T21:00:00.000Z', '2027-03-27T21:00:00.000Z']],
    ['after the spring DST change in Berlin (UTC+2)', '0 22 * * 6', 'Europe/Berlin', '2027-03-28T00:00:00Z', ['2027-04-03T20:00:00.000Z', '2027-04-10T20:00:00.000Z']],
  ])('%s', (_n, expr, tz, after, expected) => expect(iso(nextFirings(expr, tz, new Date(after), 2))).toEqual(expected));

  it('a wall-clock time skipped by DST moves forward', () => {
    expect(zonedTimeToUtc('Europe/Berlin', 2027, 3, 28, 2, 30).toISOString()).toBe('2027-03-28T01:30:00.000Z');
  });

  it.each(['61 * * * *', '* * * *', '0 0 32 * *', '0 0 * * fooday', '*/0 * * * *'])('refuses %s', (expr) => {
    expect(() => parseCron(expr)).toThrow(/cron/);
  });
});

describe('maintenance windows', () => {
  const windows = [
    { id: 'prod-sat', name: 'Production, Saturday 22:00', cron: '0 22 * * 6', durationMinutes: 240, timezone: 'Europe/Berlin', environments: ['production'] },
    { id: 'staging-daily', name: 'Staging daily', cron: '0 7 * * *', durationMinutes: 60, environments: ['staging'] },
  ];
  const now = new Date('2026-11-28T02:00:00Z');

  it('lists the next slots of every window, soonest first', () => {
    const slots = upcomingSlots(windows, 'UTC', now, 2);
    expect(slots.map((s) => `${s.windowId} ${s.startsAt}`)).toEqual([
      'staging-daily 2026-11-28T07:00:00.000Z',
      'prod-sat 2026-11-28T21:00:00.000Z',
      'staging-daily 2026-11-29T07:00:00.000Z',
      'prod-sat 2026-12-05T21:00:00.000Z',
    ]);
    expect(slots[1]).toEqual({ windowId: 'prod-sat', windowName: 'Production, Saturday 22:00', startsAt: '2026-11-28T21:00:00.000Z', endsAt: '2026-11-29T01:00:00.000Z' });
  });

  it('includes a window already under way, and knows it is open', () => {
    const during = new Date('2026-11-28T22:30:00Z');
    const [first] = upcomingSlots(windows.slice(0, 1), 'UTC', during, 1);
    expect(first?.startsAt).toBe('2026-11-28T21:00:00.000Z');
    expect(isOpen(first!, during)).toBe(true);
    expect(isOpen(first!, now)).toBe(false);
  });

  it('offers the windows of the environment, those meeting the due date first', () => {
    const options = slotOptions(windows, 'UTC', now, '2026-12-01T00:00:00.000Z', 'production', 3);
    expect(options.map((o) => [o.slot.startsAt, o.meetsDueDate])).toEqual([
      ['2026-11-28T21:00:00.000Z', true],
      ['2026-12-05T21:00:00.000Z', false],
      ['2026-12-12T21:00:00.000Z', false],
    ]);
  });

  it('an overdue remediation still gets the soonest slots', () => {
    const options = slotOptions(windows, 'UTC', now, '2026-11-01T00:00:00.000Z', null, 1);
    expect(options.map((o) => o.slot.windowId)).toEqual(['staging-daily', 'prod-sat']);
    expect(options.every((o) => !o.meetsDueDate)).toBe(true);
  });
});
