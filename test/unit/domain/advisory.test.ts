/** Advisories as pure rules: the CVEs of a text, the review deadline, and what a feed's first read records as its baseline. */
import { cvesIn, DEFAULT_FIRST_READ, firstReadBaseline, reviewOverdue, type Advisory } from '../../../src/domain/advisory.js';

const SINCE = new Date('2026-11-02T09:00:00.000Z');
const daysBefore = (d: number): string => new Date(SINCE.getTime() - d * 86_400_000).toISOString();
const item = (id: string, publishedAt: string | null, updatedAt: string | null = null): Pick<Advisory, 'id' | 'publishedAt' | 'updatedAt'> => ({ id, publishedAt, updatedAt });
const baselineOf = (items: Pick<Advisory, 'id' | 'publishedAt' | 'updatedAt'>[], rule = DEFAULT_FIRST_READ) => [...firstReadBaseline(items, SINCE, rule)].sort();

describe('a feed’s first read', () => {
  it.each([
    ['published within the review days before monitoring began: reviewed', [item('a', daysBefore(29))], []],
    ['published just before the review days: the baseline', [item('a', daysBefore(31))], ['a']],
    ['no publication date, only an update date: that date counts', [item('a', null, daysBefore(2))], []],
    ['undated: the baseline (nothing says it is recent)', [item('a', null)], ['a']],
    ['an unreadable date: the baseline', [item('a', 'not a date')], ['a']],
    ['published after monitoring began (a clock ahead): reviewed', [item('a', daysBefore(-1))], []],
  ])('%s', (_name, items, baseline) => {
    expect(baselineOf(items)).toEqual(baseline);
  });

  it('reviews at most the newest `reviewAtMost` of those recent enough; the rest are the baseline', () => {
    const items = Array.from({ length: 30 }, (_, i) => item(`i${String(i).padStart(2, '0')}`, daysBefore(i * 0.5)));
    const baseline = baselineOf(items);
    expect(baseline).toHaveLength(10);
    expect(baseline).toEqual(items.slice(20).map((i) => i.id));
  });

  it('years of history (the AWS feed): only the recent few are reviewed', () => {
    const history = Array.from({ length: 600 }, (_, i) => item(`AWS-${i}`, daysBefore(i * 3)));
    // Every third day: those 0, 3, … 30 days old (the bounds count) are reviewed.
    expect(600 - baselineOf(history).length).toBe(11);
  });

  it('reviewDays 0 or reviewAtMost 0: the whole first read is the baseline', () => {
    const items = [item('a', daysBefore(1)), item('b', daysBefore(0))];
    expect(baselineOf(items, { reviewDays: 0, reviewAtMost: 20 })).toEqual(['a']);
    expect(baselineOf(items, { reviewDays: 30, reviewAtMost: 0 })).toEqual(['a', 'b']);
  });
});

describe('advisory rules', () => {
  it('finds each CVE once, upper case, sorted', () => {
    expect(cvesIn('cve-2026-1234 and CVE-2026-1234567', 'see CVE-2025-0001')).toEqual(['CVE-2025-0001', 'CVE-2026-1234', 'CVE-2026-1234567']);
  });

  it('counts an unreviewed advisory overdue from its first read, never a reviewed one', () => {
    const a = { firstSeenAt: daysBefore(8) };
    expect(reviewOverdue(a, false, 7, SINCE)).toBe(true);
    expect(reviewOverdue(a, false, 9, SINCE)).toBe(false);
    expect(reviewOverdue(a, true, 7, SINCE)).toBe(false);
  });
});
