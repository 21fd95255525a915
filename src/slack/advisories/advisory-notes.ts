/** The line a review adds to the advisory's thread, and the one a remediation made by hand adds to its own (pure). */
import type { CreatedRemediation } from '../../app/advisories/create-remediation.js';
import type { AdvisoryReview } from '../../domain/advisory.js';
import { reviewLine } from '../views/advisory-message.js';
import { escapeText, mention, truncate } from '../views/format.js';

export const reviewNote = (r: AdvisoryReview, timeZone: string): string => reviewLine(r, timeZone);

export function createdNote(c: CreatedRemediation, by: string, advisoryTitle: string | null): string {
  const r = c.remediation;
  const from = advisoryTitle ? ` from the advisory “${escapeText(truncate(advisoryTitle, 200))}”` : ' by hand (no scanner reports it)';
  return `${mention(by)} created ${r.id}${from}: ${r.severity} severity, ${r.assetIds.length} asset${r.assetIds.length === 1 ? '' : 's'}, owner ${mention(r.owner)}. Next: assess it.`;
}
