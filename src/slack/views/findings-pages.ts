/**
 * `/patch show PW-12 findings`: every finding behind a remediation (a patch run: every patch and every host), in
 * ephemeral messages of at most 50 blocks, at most MAX_PAGES of them; past that, the rest is counted and the whole
 * list is the CSV in the remediation's thread.
 */
import type { FindingsDetail } from '../../app/reports/findings-detail.js';
import { chunk, context, header, linesToSections, MESSAGE_BLOCKS } from './blocks.js';
import { findingLine, hostLines, patchLines } from './findings.js';
import { plural } from './format.js';
import type { SlackMessage } from './remediation-message.js';

/** Ephemeral answers one command gets (Slack allows a response_url five uses). */
export const MAX_PAGES = 3;

export interface FindingsPages {
  readonly pages: readonly SlackMessage[];
  /** Lines that did not fit: the CSV has them. */
  readonly left: number;
}

export function findingsPages(detail: FindingsDetail, timeZone: string): FindingsPages {
  const r = detail.remediation;
  const lines = r.remedy.kind === 'os_patches'
    ? [`*Patches*`, ...patchLines(detail, timeZone), `*Hosts*`, ...hostLines(detail, timeZone)]
    : detail.findings.map((f) => findingLine(f, detail, timeZone));
  const sections = linesToSections(lines, 'findings');
  const room = MESSAGE_BLOCKS - 2;
  const groups = chunk(sections, room);
  const shown = groups.slice(0, MAX_PAGES);
  const shownLines = shown.flat().reduce((n, b) => n + (b.type === 'section' && b.text ? b.text.text.split('\n').length : 0), 0);
  const left = Math.max(0, lines.length - shownLines);
  const title = `${r.id} · ${plural(detail.findings.length, 'finding')} (${plural(detail.findings.filter((f) => f.state === 'open').length, 'open')})`;
  const pages = shown.map((blocks, i) => {
    const last = i === shown.length - 1;
    const note = last && left > 0
      ? `and ${plural(left, 'more line', 'more lines')}: every finding is in the CSV in ${r.id}'s thread in the patch channel`
      : `part ${i + 1} of ${shown.length}`;
    return { text: `${title}, part ${i + 1}`, blocks: [header(title, 'title'), ...blocks, context(note, 'part')] };
  });
  if (pages.length === 0) return { pages: [{ text: title, blocks: [header(title, 'title'), context('No finding is recorded for it (yet).', 'part')] }], left: 0 };
  return { pages, left };
}
