/**
 * The findings behind a remediation as people read them. A package upgrade: one line per finding with its source and
 * reference as a link (Dependabot alert #n, the Snyk issue), the asset by name, the manifest, installed -> fixed in,
 * severity, CVSS, EPSS, KEV with CISA's due date, first detected and state. A patch run: its patches (name, KB or
 * package, severity, CVEs, on how many hosts) and its hosts (name and id, platform, last scan). Cut with "and N more"
 * and where to find the rest; always inside Block Kit's limits.
 */
import type { KnownBlock } from '@slack/types';
import type { FindingsDetail } from '../../app/reports/findings-detail.js';
import type { Finding } from '../../domain/finding.js';
import { knownFix, patchName } from '../../domain/grouping.js';
import { assetName } from './asset-names.js';
import { context, linesToSections, section } from './blocks.js';
import { escapeText, formatDate, plural, SEVERITY_LABEL, truncate } from './format.js';

const SOURCE_NAME: Record<Finding['source'], string> = { github: 'Dependabot', snyk: 'Snyk', ssm: 'SSM', manual: 'Manual' };
const STATE_TEXT: Record<Finding['state'], string> = { open: 'open', fixed: ':white_check_mark: fixed', dismissed: 'dismissed' };

const esc = (s: string, max = 120): string => escapeText(truncate(s, max));
/** A link Slack will render; a URL with `|` or `>` in it is shown as text. */
const link = (url: string | null | undefined, label: string): string => (url && /^https?:\/\/[^\s|<>]+$/.test(url) ? `<${url}|${esc(label, 80)}>` : esc(label, 80));

/** `Dependabot alert #12`, `Snyk SNYK-JS-LODASH-567746`, `SSM KB5034129`. */
export function referenceOf(f: Finding): string {
  const ref = f.reference ?? (f.source === 'github' ? f.id.replace(/^.*:alert:/, 'alert #') : f.source === 'ssm' ? f.package : f.id.replace(/^snyk:/, ''));
  return `${SOURCE_NAME[f.source]} ${ref}`;
}

const pct = (p: number): string => `${(p * 100).toFixed(p < 0.001 ? 2 : 1)}%`;

/** Severity, CVSS, EPSS, KEV, CVEs: what makes it urgent. */
function urgency(f: Finding, timeZone: string): string[] {
  const cves = f.cves.length > 0 ? `${f.cves.slice(0, 3).join(', ')}${f.cves.length > 3 ? ` +${f.cves.length - 3}` : ''}` : f.ghsas[0] ?? null;
  return [
    SEVERITY_LABEL[f.severity],
    f.cvss !== null ? `CVSS ${f.cvss.toFixed(1)}` : null,
    f.epss !== null ? `EPSS ${pct(f.epss)}` : null,
    f.kevDueAt ? `:rotating_light: KEV, CISA due ${formatDate(f.kevDueAt, timeZone)}` : null,
    cves,
  ].filter((x): x is string => x !== null);
}

/** `lodash 4.17.4 → 4.17.21`, `lodash (< 4.17.21) → 4.17.21`, `→ no fix yet`. */
function versions(f: Finding, all: readonly Finding[]): string {
  const from = f.installedVersion ?? (f.vulnerableRange ? `(${f.vulnerableRange})` : null);
  const fix = knownFix(f, all);
  const to = fix === null ? 'no fix yet' : f.fixedIn === null ? `${fix} (per another source)` : fix;
  return esc(`${f.package}${from ? ` ${from}` : ''} → ${to}`, 160);
}

/** One finding, one line (package findings; an OS patch finding reads the same way in `show … findings`). */
export function findingLine(f: Finding, detail: FindingsDetail, timeZone: string): string {
  const what = f.source === 'ssm' ? esc(f.title, 100) : versions(f, detail.findings);
  return [
    `• ${link(f.url, referenceOf(f))}`,
    `*${esc(assetName(detail.assets.get(f.assetId), f.assetId), 100)}*`,
    f.manifest ? `\`${esc(f.manifest, 80)}\`` : null,
    what,
    ...urgency(f, timeZone),
    `first detected ${formatDate(f.detectedAt, timeZone)}`,
    STATE_TEXT[f.state],
  ].filter(Boolean).join(' · ');
}

/** A patch run's patches: one line per patch id, with how many of its hosts miss it. */
export function patchLines(detail: FindingsDetail, timeZone: string): string[] {
  const byPatch = new Map<string, Finding[]>();
  for (const f of detail.findings.filter((x) => x.state === 'open')) byPatch.set(f.package, [...(byPatch.get(f.package) ?? []), f]);
  return [...byPatch.values()].map((fs) => {
    const f = fs[0]!;
    const name = patchName(f.package);
    const title = f.title && f.title !== f.package ? ` · ${esc(f.title, 110)}` : '';
    return [`• *${esc(name, 60)}*${name !== f.package ? ` \`${esc(f.package, 80)}\`` : ''}${title}`, ...urgency(f, timeZone), `missing on ${plural(fs.length, 'host')}`].join(' · ');
  });
}

/** A patch run's hosts: name and id, platform, last scan, how many patches it misses. */
export function hostLines(detail: FindingsDetail, timeZone: string): string[] {
  const open = detail.findings.filter((f) => f.state === 'open');
  const ids = [...new Set(open.map((f) => f.assetId))].sort((a, b) => (detail.assets.get(a)?.name ?? a).localeCompare(detail.assets.get(b)?.name ?? b));
  return ids.map((id) => {
    const a = detail.assets.get(id);
    const platform = a ? [a.attributes.platformName, a.attributes.pingStatus === 'Online' ? null : a.attributes.pingStatus].filter((x) => typeof x === 'string' && x !== '').join(', ') : '';
    const scan = a?.lastScannedAt ? `last scan ${formatDate(a.lastScannedAt, timeZone)}` : 'never scanned';
    return [`• *${esc(assetName(a, id), 100)}*`, platform ? esc(platform, 80) : null, scan, `${plural(open.filter((f) => f.assetId === id).length, 'patch', 'patches')} missing`].filter(Boolean).join(' · ');
  });
}

export interface FindingsCut {
  /** Lines per list before "and N more". */
  readonly limit: number;
  /** Where the rest is: "`/patch show PW-12 findings`". */
  readonly rest: string;
  readonly timeZone: string;
}

function list(title: string, lines: readonly string[], id: string, cut: FindingsCut): KnownBlock[] {
  if (lines.length === 0) return [];
  const shown = lines.slice(0, cut.limit);
  const more = lines.length - shown.length;
  return [
    section(`*${title}*`, `${id}-title`),
    ...linesToSections(shown, id),
    ...(more > 0 ? [context(`and ${plural(more, 'more', 'more')}: ${cut.rest}`, `${id}-more`)] : []),
  ];
}

/** The findings as blocks, each list cut at `cut.limit` lines. */
export function findingsBlocks(detail: FindingsDetail, cut: FindingsCut): KnownBlock[] {
  const r = detail.remediation;
  if (detail.findings.length === 0) return [context('No finding is recorded for it (yet).', 'findings-none')];
  const open = detail.findings.filter((f) => f.state === 'open').length;
  if (r.remedy.kind === 'os_patches') {
    const patches = patchLines(detail, cut.timeZone);
    const hosts = hostLines(detail, cut.timeZone);
    return [...list(`Patches (${patches.length})`, patches, 'patches', cut), ...list(`Hosts (${hosts.length})`, hosts, 'hosts', cut)];
  }
  const sources = [...new Set(detail.findings.map((f) => SOURCE_NAME[f.source]))].join(' and ');
  return list(`Findings (${open} open of ${detail.findings.length}, from ${sources})`, detail.findings.map((f) => findingLine(f, detail, cut.timeZone)), 'findings', cut);
}
