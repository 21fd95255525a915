import { can, PERMISSIONS, rolesFor, systemActor, userActor, type Permission, type Role } from '../../../src/domain/roles.js';
import { highestSeverity, normaliseSeverity, severityFromCvss } from '../../../src/domain/severity.js';
import { DEFAULT_SLA, dueDate, reminderAt, slaStatus } from '../../../src/domain/sla.js';

const START = new Date('2026-11-01T00:00:00.000Z');

describe('the SLA policy', () => {
  it.each([
    ['critical', '2026-11-08T00:00:00.000Z'],
    ['high', '2026-12-01T00:00:00.000Z'],
    ['medium', '2027-01-30T00:00:00.000Z'],
    ['low', '2027-04-30T00:00:00.000Z'],
  ] as const)('a %s finding is due %s by default', (severity, due) => {
    expect(dueDate(DEFAULT_SLA, severity, START)).toBe(due);
  });

  it.each([
    ['CISA’s date when it is earlier', '2026-11-05T00:00:00.000Z', '2026-11-05T00:00:00.000Z'],
    ['the policy’s date when CISA’s is later', '2026-12-25T00:00:00.000Z', '2026-12-01T00:00:00.000Z'],
    ['the policy’s date when not on KEV', null, '2026-12-01T00:00:00.000Z'],
  ])('a KEV-listed high is due by %s', (_n, kev, due) => {
    expect(dueDate(DEFAULT_SLA, 'high', START, kev)).toBe(due);
  });

  it('follows a configured policy', () => {
    expect(dueDate({ ...DEFAULT_SLA, days: { ...DEFAULT_SLA.days, high: 14 } }, 'high', START)).toBe('2026-11-15T00:00:00.000Z');
  });

  it.each([
    ['the lead time before the due date', '2026-12-01T00:00:00.000Z', '2026-11-28T00:00:00.000Z'],
    ['the start when the lead time reaches before it', '2026-11-02T00:00:00.000Z', '2026-11-01T00:00:00.000Z'],
  ])('reminds at %s', (_n, due, at) => {
    expect(reminderAt(DEFAULT_SLA, due, START.toISOString())).toBe(at);
  });

  it.each([
    ['2026-11-20T00:00:00.000Z', 'on_track'],
    ['2026-11-03T00:00:00.000Z', 'due_soon'],
    ['2026-10-31T23:59:59.000Z', 'overdue'],
  ] as const)('due %s is %s on 1 November', (due, status) => {
    expect(slaStatus(DEFAULT_SLA, due, START)).toBe(status);
  });
});

describe('roles', () => {
  const table: [Permission, Role[]][] = [
    ['read', ['lead', 'engineer', 'approver', 'manager', 'auditor']],
    ['assess', ['lead']],
    ['test', ['engineer', 'lead']],
    ['approve', ['lead', 'approver']],
    ['schedule', ['lead']],
    ['deploy', ['lead']],
    ['accept_risk', ['lead']],
    ['evidence', ['lead', 'manager', 'auditor']],
    ['record_outcome', []],
  ];

  it.each(table)('%s is for %j', (permission, roles) => {
    for (const role of ['lead', 'engineer', 'approver', 'manager', 'auditor'] as const) {
      expect(can(userActor('U1', [role]), permission)).toBe(roles.includes(role));
    }
    expect(rolesFor(permission)).toEqual(roles);
  });

  it('a user without roles may do nothing', () => {
    for (const p of Object.keys(PERMISSIONS) as Permission[]) expect(can(userActor('U1', []), p)).toBe(false);
  });

  it('the bot itself deploys, syncs, posts digests and records outcomes, and nothing a person decides', () => {
    const bot = systemActor('cron');
    expect((Object.keys(PERMISSIONS) as Permission[]).filter((p) => can(bot, p))).toEqual(['deploy', 'sync', 'digest', 'record_outcome']);
  });
});

describe('severity', () => {
  it.each([
    ['Critical', 'critical'], ['HIGH', 'high'], ['Important', 'high'], ['moderate', 'medium'], ['Medium', 'medium'],
    ['low', 'low'], ['info', 'low'], ['Unspecified', 'low'], [null, 'low'],
  ] as const)('%s normalises to %s', (raw, s) => expect(normaliseSeverity(raw)).toBe(s));

  it.each([[9.8, 'critical'], [9.0, 'critical'], [7.5, 'high'], [4.0, 'medium'], [3.9, 'low'], [0, 'low']] as const)(
    'CVSS %d is %s', (score, s) => expect(severityFromCvss(score)).toBe(s));

  it('the highest wins, low when none', () => {
    expect(highestSeverity(['low', 'critical', 'medium'])).toBe('critical');
    expect(highestSeverity([])).toBe('low');
  });
});
