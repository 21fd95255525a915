import { DEFAULT_SLA } from '../../../src/domain/sla.js';
import { reminderRoundup, ROUNDUP_LISTED } from '../../../src/slack/views/reminder.js';
import { validateMessageBlocks } from '../../support/slack/block-kit-limits.js';
import { aRemediation } from '../../support/builders.js';

const ctx = { now: new Date('2026-11-10T08:00:00Z'), timeZone: 'Europe/Berlin', sla: DEFAULT_SLA };

describe('the reminder round-up', () => {
  it.each([1, 60, 500])('with %i breached and as many unowned it stays within Slack’s limits and names the first few', (n) => {
    const many = (k: string) => Array.from({ length: n }, (_, i) => aRemediation({ id: `PW-${k}${i}`, title: 'x'.repeat(300), dueAt: new Date(Date.UTC(2026, 9, 1 + (i % 28))).toISOString() }));
    const m = reminderRoundup(many('1'), many('2'), ctx, ['U0MGR'], ['U0LEAD']);
    expect(validateMessageBlocks(m.blocks)).toEqual([]);
    const text = JSON.stringify(m.blocks);
    expect(text.includes('more: `/patch list overdue`')).toBe(n > ROUNDUP_LISTED);
    expect(text).toContain('<@U0MGR>');
    expect(text).toContain('<@U0LEAD>');
  });
});
