/**
 * What advisory reviews and remediations made by hand owe in Slack (pure): given to the write that records them, so
 * the outbox does them once, whatever crashes in between (src/app/outbox).
 */
import { advisoryEffects } from '../../app/advisories/advisory-messages.js';
import type { ReviewFollowUp } from '../../app/advisories/review-advisory.js';
import type { EffectInput } from '../../app/outbox/effects.js';
import type { Advisory } from '../../domain/advisory.js';
import type { Remediation } from '../../domain/remediation.js';
import { remediationEffects } from '../posting/publish-remediation.js';
import { reviewLine } from '../views/advisory-message.js';
import { escapeText, mention, truncate } from '../views/format.js';

const quoted = (a: Pick<Advisory, 'title'>): string => `“${escapeText(truncate(a.title, 200))}”`;

/** A review: the advisory's message shown as reviewed, the review in its thread, and the covering remediation told. */
export const reviewFollowUp = (timeZone: () => string): ReviewFollowUp => (r, advisory) => [
  ...advisoryEffects(r.advisoryId, reviewLine(r, timeZone())),
  ...(r.decision === 'covered' && r.remediationId
    ? [{ kind: 'remediation.note' as const, subject: r.remediationId, data: { text: `:mega: ${mention(r.by)} recorded that ${r.remediationId} covers the advisory ${quoted(advisory)}.` } }]
    : []),
];

export function createdNote(r: Remediation, by: string, advisory: Pick<Advisory, 'title'> | null): string {
  const from = advisory ? ` from the advisory ${quoted(advisory)}` : ' by hand (no scanner reports it)';
  const kev = r.kevDueAt ? ` CISA lists a CVE of it as exploited: due by CISA’s date.` : '';
  return `${mention(by)} created ${r.id}${from}: ${r.severity} severity, ${r.assetIds.length} asset${r.assetIds.length === 1 ? '' : 's'}, owner ${mention(r.owner)}.${kev} Next: assess it.`;
}

/** A remediation made by hand: its one message, and who made it from what in its thread. */
export const createdFollowUp = (r: Remediation, advisory: Advisory | null, by: string): EffectInput[] => remediationEffects(r.id, createdNote(r, by, advisory));
