/** The App Home builder: sections by role, "and N more", the no-role explanation, and the 100-block limit. */
import type { HomeQueue } from '../../../src/app/reports/home-queue.js';
import type { Remediation } from '../../../src/domain/remediation.js';
import { DEFAULT_SLA } from '../../../src/domain/sla.js';
import { homeView } from '../../../src/slack/views/home.js';
import { aRemediation } from '../../support/builders.js';
import { validateView } from '../../support/slack/block-kit-limits.js';

const ctx = { now: new Date('2026-11-02T09:00:00Z'), timeZone: 'Europe/Berlin', sla: DEFAULT_SLA };
const many = (n: number, overrides: Partial<Remediation> = {}) => Array.from({ length: n }, () => aRemediation({ title: 'T'.repeat(2000), ...overrides }));
const section = (total: number, overrides: Partial<Remediation> = {}) => ({ items: many(Math.min(total, 8), overrides), total });
const queue = (total: number, overrides: Partial<HomeQueue> = {}): HomeQueue => ({
  userId: 'U0LEAD',
  roles: ['lead', 'approver'],
  toAssess: section(total, { state: 'new' }),
  toTest: section(total, { state: 'assessed' }),
  toApprove: section(total, { state: 'tested' }),
  overdue: section(total, { state: 'testing', dueAt: '2026-10-01T00:00:00.000Z' }),
  leads: [],
  ...overrides,
});

describe('the App Home', () => {
  it.each([1, 60, 500])('is valid with %i remediations in every section', (n) => {
    const view = homeView(queue(n), ctx);
    // Items share their section's action_id (one button per block, as Slack requires); the value names the remediation.
    expect(validateView(view)).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const more = JSON.stringify(view).match(/…and ([\d,]+) more/g) ?? [];
    expect(more).toHaveLength(n > 8 ? 4 : 0);
    if (n === 500) expect(more[0]).toBe('…and 492 more');
  });

  it('gives each item the button for its section and says the roles', () => {
    const view = homeView(queue(1), ctx);
    const text = JSON.stringify(view);
    expect(text).toContain('Your roles: *lead, approver*');
    const accessories = view.blocks.filter((b) => b.type === 'section' && 'accessory' in b).map((b) => (b as { accessory: { action_id: string } }).accessory.action_id);
    expect(accessories).toEqual(['pw.upload_evidence', 'pw.assess', 'pw.upload_evidence', 'pw.approve']);
  });

  it('says so when a section is empty, and hides sections the roles do not include', () => {
    const view = homeView(queue(0, { toAssess: null, toApprove: null }), ctx);
    const headers = view.blocks.filter((b) => b.type === 'header').map((b) => (b as { text: { text: string } }).text.text);
    expect(headers).toEqual(['Your patch queue', ':warning: Overdue (0)', ':test_tube: To test (0)']);
    expect(JSON.stringify(view)).toContain('Nothing waits for test evidence.');
  });

  it('explains roles to someone who has none', () => {
    const view = homeView({ userId: 'U0X', roles: [], toAssess: null, toTest: null, toApprove: null, overdue: null, leads: ['U0LEAD'] }, ctx);
    expect(JSON.stringify(view)).toContain('Ask <@U0LEAD> to add you.');
    expect(validateView(view)).toEqual([]);
  });
});
