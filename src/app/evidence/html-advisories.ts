/**
 * The page's advisories section: each advisory of the period, its review (or the remediation covering it), late ones
 * marked; a feed's baseline is counted here and listed in advisories.csv.
 */
import type { AdvisoryRow } from './advisories.js';
import { answer, esc, outsideLink, plural, table, type Links } from './html-format.js';

const DECISION: Record<string, string> = { not_applicable: 'not applicable', covered: 'covered by a remediation', remediation_created: 'remediation made for it' };

export function advisoriesSection(all: readonly AdvisoryRow[], ctx: { readonly time: (at: string | null | undefined) => string; readonly links: Links; readonly reviewWithinDays: number }): string {
  const { time, links } = ctx;
  const rows = all.filter((r) => r.standing !== 'baseline');
  const baseline = all.length - rows.length;
  const late = rows.filter((r) => r.late).length;
  const waiting = rows.filter((r) => r.standing === 'awaiting_review').length;
  const body = rows.map((r) => {
    const a = r.advisory;
    const linked = [...new Set(r.links.map((l) => l.remediationId))].map((id) => links.ref(id)).join(', ');
    const review = r.review
      ? `${esc(DECISION[r.review.decision] ?? r.review.decision)} — ${esc(r.review.by)} ${time(r.review.at)}${r.review.reason ? `: ${esc(r.review.reason)}` : ''}`
      : r.standing === 'covered_by_cve' ? 'covered: a remediation shares its CVE' : '<strong>awaiting review</strong>';
    return [outsideLink(a.link, a.title), esc(a.feed), time(a.firstSeenAt), esc(a.cves.join(', ') || '—'), review, linked || '—', r.late ? '<strong>late</strong>' : 'in time'];
  });
  const sentence = rows.length === 0 ? 'no advisory was read or awaited review in the period.'
    : `${plural(rows.length, 'advisory', 'advisories')} read in the period or awaiting review in it; ${waiting} still awaiting review at its end; ${late === 0 ? `every review within ${ctx.reviewWithinDays} days` : `${late} reviewed later than ${ctx.reviewWithinDays} days, or not yet and past it`}.`;
  const baselineNote = baseline === 0 ? ''
    : `<p>Also read in the period: ${plural(baseline, 'advisory', 'advisories')} recorded as ${baseline === 1 ? 'its' : 'their'} feed’s baseline when monitoring of the feed began (published before it, beyond the policy’s first-read window: awaiting no review), listed in advisories.csv.</p>\n`;
  return `<h2 id="advisories">Security advisories reviewed</h2>
<p class="meta">Population: the advisories of the policy’s feeds (AWS Security Bulletins and others) first read in the period, or read before it and not yet reviewed when it began (all in advisories.csv). A lead reviews each one within ${ctx.reviewWithinDays} days, unless a remediation already shares its CVE.</p>
${answer(late === 0, sentence)}${rows.length > 0 ? table(['advisory', 'feed', 'first read', 'CVEs', 'review', 'remediations', ''], body) : ''}${baselineNote}`;
}
