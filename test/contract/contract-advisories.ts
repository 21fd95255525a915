import type { AdvisoryLink, AdvisoryReview } from '../../src/domain/advisory.js';
import { aFinding, anAdvisory, T0 } from '../support/builders.js';
import { event, ids, type ContractContext } from './contract-context.js';

const day = (n: number): string => new Date(T0.getTime() + n * 86_400_000).toISOString();
const aReview = (advisoryId: string, overrides: Partial<AdvisoryReview> = {}): AdvisoryReview => ({
  advisoryId, decision: 'not_applicable', by: 'U0LEAD', at: day(1), reason: 'We run no Amazon Linux.', remediationId: null, ...overrides,
});
const aLink = (advisoryId: string, remediationId: string, at = day(0)): AdvisoryLink => ({ advisoryId, remediationId, via: 'cve', cves: ['CVE-2026-1'], at });

export function advisoryContract(ctx: ContractContext): void {
  const repo = () => ctx.store().advisories;

  it('commit stores advisories with their events; get and getMany read them back whole', async () => {
    const a = anAdvisory({ publishedAt: null, link: null, cves: [] });
    const b = anAdvisory();
    await ctx.store().commit({ advisories: [a, b], events: [event(a.id, 'advisory.received')] });
    await expect(repo().get(a.id)).resolves.toEqual(a);
    await expect(repo().get('adv-missing')).resolves.toBeNull();
    expect((await repo().getMany([b.id, 'adv-missing', a.id])).map((x) => x.id).sort()).toEqual([a.id, b.id].sort());
    expect((await ctx.store().audit.bySubject(a.id)).map((e) => e.action)).toEqual(['advisory.received']);
  });

  it('list is newest first and filters by feed, CVE, first-seen time; count agrees; limit cuts', async () => {
    const old = anAdvisory({ firstSeenAt: day(0), cves: ['CVE-2026-1', 'CVE-2026-2'] });
    const mid = anAdvisory({ firstSeenAt: day(5), feed: 'Debian', cves: ['CVE-2026-2'] });
    const fresh = anAdvisory({ firstSeenAt: day(9), cves: [] });
    await ctx.store().commit({ advisories: [old, mid, fresh], events: [] });
    expect(ids(await repo().list())).toEqual([fresh.id, mid.id, old.id]);
    expect(ids(await repo().list({ feed: 'Debian' }))).toEqual([mid.id]);
    expect(ids(await repo().list({ cves: ['CVE-2026-2', 'CVE-2026-9'] }))).toEqual([mid.id, old.id]);
    expect(ids(await repo().list({ cves: [] }))).toEqual([]);
    expect(ids(await repo().list({ seenBefore: day(5) }))).toEqual([old.id]);
    expect(ids(await repo().list({ seenSince: day(5) }))).toEqual([fresh.id, mid.id]);
    expect(ids(await repo().list({ limit: 2 }))).toEqual([fresh.id, mid.id]);
    await expect(repo().count({ cves: ['CVE-2026-1'] })).resolves.toBe(1);
    await expect(repo().count()).resolves.toBe(3);
  });

  it('commit of the same id again replaces it, and its CVEs with it', async () => {
    const a = anAdvisory({ cves: ['CVE-2026-1'] });
    await ctx.store().commit({ advisories: [a], events: [] });
    const changed = { ...a, title: 'Updated bulletin', cves: ['CVE-2026-7'] };
    await ctx.store().commit({ advisories: [changed], events: [] });
    await expect(repo().get(a.id)).resolves.toEqual(changed);
    expect(ids(await repo().list({ cves: ['CVE-2026-1'] }))).toEqual([]);
    expect(ids(await repo().list({ cves: ['CVE-2026-7'] }))).toEqual([a.id]);
  });

  it('a link is stored once: committing the same pair again keeps the first; read by advisory or by remediation', async () => {
    const [a, b] = [anAdvisory(), anAdvisory()];
    await ctx.store().commit({ advisories: [a, b], advisoryLinks: [aLink(a.id, 'PW-1'), aLink(b.id, 'PW-1', day(1))], events: [event(a.id, 'advisory.linked')] });
    await ctx.store().commit({ advisoryLinks: [{ ...aLink(a.id, 'PW-1', day(3)), via: 'review' }, aLink(a.id, 'PW-2', day(2))], events: [] });
    expect(await repo().links({ advisoryIds: [a.id] })).toEqual([aLink(a.id, 'PW-1'), aLink(a.id, 'PW-2', day(2))]);
    expect(await repo().links({ remediationId: 'PW-1' })).toEqual([aLink(a.id, 'PW-1'), aLink(b.id, 'PW-1', day(1))]);
    await expect(repo().links({ advisoryIds: [a.id], remediationId: 'PW-2' })).resolves.toEqual([aLink(a.id, 'PW-2', day(2))]);
    await expect(repo().links({ advisoryIds: [] })).resolves.toEqual([]);
  });

  it('a review is stored with its events; a second review of the same advisory is refused and records nothing', async () => {
    const a = anAdvisory();
    await ctx.store().commit({ advisories: [a], events: [] });
    const first = aReview(a.id);
    await expect(repo().review(first, [event(a.id, 'advisory.reviewed', { decision: 'not_applicable' })])).resolves.toEqual({ ok: true, value: first });
    const second = aReview(a.id, { by: 'U0LEAD2', decision: 'covered', remediationId: 'PW-3', reason: null });
    await expect(repo().review(second, [event(a.id, 'advisory.reviewed', { decision: 'covered' })])).resolves.toEqual({ ok: false, error: { code: 'store.duplicate', id: a.id } });
    await expect(repo().reviews([a.id, 'adv-none'])).resolves.toEqual([first]);
    expect((await ctx.store().audit.bySubject(a.id)).map((e) => e.data['decision'])).toEqual(['not_applicable']);
    await expect(repo().links({ remediationId: 'PW-3' })).resolves.toEqual([]);
  });

  it('a review naming a remediation links it; list and count tell reviewed from unreviewed', async () => {
    const [a, b] = [anAdvisory({ firstSeenAt: day(0) }), anAdvisory({ firstSeenAt: day(1) })];
    await ctx.store().commit({ advisories: [a, b], events: [] });
    await repo().review(aReview(a.id, { decision: 'covered', remediationId: 'PW-9', reason: null }), [event(a.id, 'advisory.reviewed')]);
    expect(await repo().links({ remediationId: 'PW-9' })).toEqual([{ advisoryId: a.id, remediationId: 'PW-9', via: 'review', cves: [], at: day(1) }]);
    expect(ids(await repo().list({ reviewed: true }))).toEqual([a.id]);
    expect(ids(await repo().list({ reviewed: false }))).toEqual([b.id]);
    await expect(repo().count({ reviewed: false, seenBefore: day(1) })).resolves.toBe(0);
    await expect(repo().count({ reviewed: false, seenBefore: day(2) })).resolves.toBe(1);
  });

  it('a review adds the Slack effects it owes with it, after its event; a refused second review adds none', async () => {
    const a = anAdvisory();
    await ctx.store().commit({ advisories: [a], events: [] });
    const subject = `advisory:${a.id}`;
    const effects = [{ kind: 'advisory.message' as const, subject }, { kind: 'advisory.note' as const, subject, data: { text: 'Not applicable' } }];
    await repo().review(aReview(a.id), [event(a.id, 'advisory.reviewed')], effects);
    await repo().review(aReview(a.id, { by: 'U0LEAD2' }), [event(a.id, 'advisory.reviewed')], [{ kind: 'advisory.note', subject, data: { text: 'twice' } }]);
    const [reviewed] = await ctx.store().audit.bySubject(a.id);
    expect((await ctx.store().outbox.list({ subject })).map((e) => [e.kind, e.data['text'] ?? null, e.seq, e.n])).toEqual([
      ['advisory.message', null, reviewed!.seq, 0],
      ['advisory.note', 'Not applicable', reviewed!.seq, 1],
    ]);
    await expect(repo().reviews([a.id])).resolves.toEqual([aReview(a.id)]);
  });

  it('list and count tell the baseline (recorded on a feed’s first read) from the advisories that await review', async () => {
    const [kept, base] = [anAdvisory({ firstSeenAt: day(1) }), anAdvisory({ firstSeenAt: day(0), baseline: true })];
    await ctx.store().commit({ advisories: [kept, base], events: [] });
    await expect(repo().get(base.id)).resolves.toEqual(base);
    expect(ids(await repo().list({ baseline: true }))).toEqual([base.id]);
    expect(ids(await repo().list({ baseline: false, reviewed: false }))).toEqual([kept.id]);
    await expect(repo().count({ baseline: false })).resolves.toBe(1);
    await expect(repo().count({ baseline: true, seenBefore: day(1) })).resolves.toBe(1);
  });

  (ctx.hasSecond ? it : it.skip)('two leads reviewing at once on two connections: exactly one review stands, one event', async () => {
    const a = anAdvisory();
    await ctx.store().commit({ advisories: [a], events: [] });
    const other = await ctx.second();
    const note = (text: string) => [{ kind: 'advisory.note' as const, subject: `advisory:${a.id}`, data: { text } }];
    const results = await Promise.all([
      ctx.store().advisories.review(aReview(a.id), [event(a.id, 'advisory.reviewed', { by: 'one' })], note('one')),
      other.advisories.review(aReview(a.id, { by: 'U0LEAD2' }), [event(a.id, 'advisory.reviewed', { by: 'two' })], note('two')),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const [kept] = await ctx.store().audit.bySubject(a.id);
    expect(await ctx.store().audit.bySubject(a.id)).toHaveLength(1);
    expect((await ctx.store().outbox.list({ subject: `advisory:${a.id}` })).map((e) => e.data['text'])).toEqual([kept!.data['by']]);
    await expect(other.advisories.reviews([a.id])).resolves.toHaveLength(1);
  });

  it('findings can be listed by CVE', async () => {
    const f1 = aFinding({ cves: ['CVE-2026-1', 'CVE-2026-5'] });
    const f2 = aFinding({ cves: ['CVE-2026-2'], state: 'fixed' });
    const f3 = aFinding({ cves: [] });
    await ctx.store().commit({ findings: [f1, f2, f3], events: [] });
    expect(ids(await ctx.store().findings.list({ cves: ['CVE-2026-5', 'CVE-2026-2'] })).sort()).toEqual([f1.id, f2.id].sort());
    expect(ids(await ctx.store().findings.list({ cves: ['CVE-2026-2'], state: 'open' }))).toEqual([]);
    await expect(ctx.store().findings.count({ cves: ['CVE-2026-1'] })).resolves.toBe(1);
  });
}
