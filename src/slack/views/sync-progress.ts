/** `/patch sync`'s one message in the channel: a line per source and per advisory feed while it runs, then the run's summary. */
import type { KnownBlock } from '@slack/types';
import type { SourceName, SyncProgress, SyncReport } from '../../app/sync/report.js';
import { chunk, context, fields, header, linesToSections, section } from './blocks.js';
import { escapeText, formatDateTime, mention, plural, truncate } from './format.js';

const LABEL: Record<SourceName, string> = { github: 'GitHub Dependabot', snyk: 'Snyk', ssm: 'AWS SSM' };
const ICON: Record<SyncProgress['state'], string> = { running: ':hourglass_flowing_sand:', done: ':white_check_mark:', failed: ':x:' };
const n = (x: number): string => x.toLocaleString('en-US');

const unitOf = (p: SyncProgress): string => (p.unit === 'advisories' ? 'advisory' : p.unit.replace(/s$/, ''));
const pluralUnit = (count: number, p: SyncProgress): string => plural(count, unitOf(p), p.unit);
const counts = (p: SyncProgress): string => (p.total !== null ? `${n(p.done)} of ${pluralUnit(p.total, p)}` : pluralUnit(p.done, p));

const progressLine = (p: SyncProgress): string => {
  const label = p.source === 'advisories' ? `${escapeText(truncate(p.feed ?? 'advisories', 100))}* (advisory feed)` : `${LABEL[p.source]}*`;
  const what = p.state === 'running' ? (p.source === 'advisories' && p.done === 0 ? 'reading…' : `${counts(p)}…`) : p.note && p.done === 0 && p.total === null ? escapeText(p.note) : `${counts(p)}${p.note ? `: ${escapeText(p.note)}` : ''}`;
  return `${ICON[p.state]} *${label} · ${what}`;
};

export function syncProgressMessage(progress: readonly SyncProgress[], by: string): { text: string; blocks: KnownBlock[] } {
  return {
    text: 'Sync in progress…',
    blocks: [
      header('Sync in progress', 'title'),
      ...(progress.length > 0 ? linesToSections(progress.map(progressLine), 'sources') : [section('Starting…', 'sources-1')]),
      context(`Asked by ${mention(by)}. This message updates as each source is read.`, 'by'),
    ],
  };
}

function sourceField(s: SyncReport['sources'][number]): string {
  const c = s.counts;
  if (s.status === 'failed') return `:x: *${LABEL[s.source]}* failed: ${escapeText(truncate(s.error ?? 'unknown error', 300))}\n${plural(c.findingsSeen, 'finding')} read before it stopped (kept).`;
  return [
    `:white_check_mark: *${LABEL[s.source]}*`,
    `${plural(c.assetsSeen, 'asset')} (${n(c.assetsWritten)} new or changed)`,
    `${plural(c.findingsSeen, 'finding')}: ${n(c.findingsNew)} new, ${n(c.findingsChanged)} changed, ${n(c.findingsClosed)} closed`,
    ...(c.requests !== null ? [`${plural(c.requests, 'request')}`] : []),
  ].join('\n');
}

function feedField(f: SyncReport['advisories'][number]): string {
  const name = `*${escapeText(f.feed)}* (advisory feed)`;
  if (f.status === 'failed') return `:warning: ${name} could not be read; nothing from it changed.\n${escapeText(truncate(f.error ?? 'unknown error', 300))}`;
  if (f.status === 'unchanged') return `:white_check_mark: ${name}\nunchanged since the last read`;
  const baseline = f.baseline > 0 ? `\n${n(f.baseline)} recorded as its baseline (published before monitoring began: listed, not reviewed one by one)` : '';
  return `:white_check_mark: ${name}\n${plural(f.read, 'advisory', 'advisories')}: ${n(f.new - f.baseline)} new, ${n(f.changed)} changed${baseline}`;
}

const advisoryMessagesNote = (m: SyncReport['advisoryMessages']): string =>
  `${plural(m.recorded, 'new advisory', 'new advisories')} to review, each posted with its buttons${m.waiting > 0 ? `; ${n(m.waiting)} more follow in the next syncs` : ''}.`;

export function syncSummaryMessage(report: SyncReport, by: string, timeZone: string): { text: string; blocks: KnownBlock[] } {
  const m = report.remediations;
  const secs = Math.round((Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000);
  const title = report.status === 'ok' ? 'Sync complete' : report.status === 'partial' ? 'Sync complete, with a failed source' : 'Sync failed';
  const summary = `${plural(m.created, 'new remediation')}, ${n(m.updated)} updated, ${n(m.closed)} closed upstream, ${n(m.reopened)} reopened.`;
  const notes = [
    ...(report.kevUpdated > 0 ? [`CISA KEV changed: ${plural(report.kevUpdated, 'finding')} got a new due date.`] : []),
    ...(report.recovered > 0 ? [`Finished an interrupted sync (${plural(report.recovered, 'remediation')}).`] : []),
    ...report.warnings.slice(0, 5).map((w) => `:warning: ${escapeText(truncate(w, 300))}`),
  ];
  return {
    text: `${title}: ${summary}`,
    blocks: [
      header(title, 'title'),
      section(summary, 'summary'),
      ...(report.sources.length > 0 ? [fields(report.sources.map(sourceField), 'sources')] : []),
      // A section takes 10 fields: the policy allows 20 feeds.
      ...chunk(report.advisories.map(feedField), 10).map((f, i) => fields(f, `advisory-feeds-${i + 1}`)),
      ...(report.advisoryLinks > 0 ? [context(`${plural(report.advisoryLinks, 'advisory link', 'advisory links')} to remediations by CVE.`, 'advisory-links')] : []),
      ...(report.advisoryMessages.recorded + report.advisoryMessages.waiting > 0 ? [context(advisoryMessagesNote(report.advisoryMessages), 'advisory-messages')] : []),
      ...(notes.length > 0 ? [section(notes.join('\n'), 'notes')] : []),
      context(`Asked by ${mention(by)} · ${formatDateTime(report.finishedAt, timeZone)} · ${secs} s · \`${report.id}\``, 'by'),
    ],
  };
}

/** The run itself failed (the store, not a source): nothing after the last whole page was written; the next run resumes. */
export function syncFailedMessage(error: string, by: string): { text: string; blocks: KnownBlock[] } {
  return {
    text: `Sync failed: ${error}`,
    blocks: [
      header('Sync failed', 'title'),
      section(`:x: ${escapeText(truncate(error, 500))}\nWhat was written before it is whole; the next sync finishes the rest.`, 'error'),
      context(`Asked by ${mention(by)}.`, 'by'),
    ],
  };
}
