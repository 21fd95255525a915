/** A small hand-made estate for the sync's unit tests: one repository seen by Dependabot and Snyk, two instances. */
import type { SourcePage } from '../../../../src/app/ports.js';
import { createSync, type Sync } from '../../../../src/app/sync/sync.js';
import type { Store } from '../../../../src/app/ports.js';
import type { Finding } from '../../../../src/domain/finding.js';
import { DEFAULT_SLA } from '../../../../src/domain/sla.js';
import { createLogger } from '../../../../src/logger.js';
import { aFinding, anAsset } from '../../../support/builders.js';
import { pageSource, progress, staticFeeds, type PageSource, type StaticFeeds } from '../../../support/port-fakes.js';

export const repo = anAsset({ id: 'github:acme/api', name: 'acme/api', kind: 'repository', source: 'github', owner: 'U0OWNER' });
export const project = anAsset({ id: 'snyk:project:p1', name: 'acme/api:package.json', kind: 'application', source: 'snyk', owner: 'U0OWNER', attributes: { repository: 'acme/api' } });
const linux = { platform: 'Linux', platformName: 'Amazon Linux', patchGroup: 'production', baselineId: 'pb-linux' };
export const box1 = anAsset({ id: 'ssm:i-1', name: 'web-1', kind: 'instance', source: 'ssm', environment: 'production', owner: 'U0OPS', attributes: linux });
export const box2 = anAsset({ id: 'ssm:i-2', name: 'web-2', kind: 'instance', source: 'ssm', environment: 'production', owner: 'U0DBA', attributes: linux });
/** The key of the patch run on box1 and box2: environment, patch group, baseline. */
export const PATCH_KEY = 'env:production|os-patches|production|pb-linux';

const at = '2026-10-20T00:00:00.000Z';
const gh = (n: number, over: Partial<Finding>): Finding =>
  aFinding({ id: `github:acme/api:alert:${n}`, source: 'github', assetId: repo.id, detectedAt: at, epss: null, ...over });
const snyk = (id: string, over: Partial<Finding>): Finding =>
  aFinding({ id: `snyk:${id}`, source: 'snyk', assetId: project.id, detectedAt: at, epss: null, url: null, ...over });
const patch = (box: string, kb: string, over: Partial<Finding> = {}): Finding =>
  aFinding({ id: `ssm:${box}:${kb}`, source: 'ssm', assetId: `ssm:${box}`, package: kb, ecosystem: null, fixedIn: kb, cves: [], detectedAt: at, epss: null, url: null, ...over });

export const F = {
  lodashGh: gh(1, { package: 'lodash', ecosystem: 'npm', fixedIn: '4.17.21', cves: ['CVE-2026-0001'], severity: 'high' }),
  lodashSnyk: snyk('issue-1', { package: 'lodash', ecosystem: 'npm', fixedIn: '4.17.20', cves: ['CVE-2026-0001'], severity: 'critical' }),
  minimistGh: gh(2, { package: 'minimist', ecosystem: 'npm', fixedIn: '1.2.6', cves: ['CVE-2026-0002'], severity: 'medium' }),
  /** Snyk names the same package differently: only the shared CVE puts it with the Dependabot alert. */
  minimistSnyk: snyk('issue-2', { package: 'minimist-legacy', ecosystem: 'npm', fixedIn: '1.2.6', cves: ['CVE-2026-0002'], severity: 'low' }),
  /** Already fixed when first seen. */
  axiosFixed: gh(3, { package: 'axios', ecosystem: 'npm', fixedIn: '1.6.0', cves: ['CVE-2026-0003'], severity: 'high', state: 'fixed', fixedAt: '2026-10-25T00:00:00.000Z' }),
  kb1a: patch('i-1', 'KB1', { severity: 'medium', cves: ['CVE-2026-0101'] }),
  kb1b: patch('i-2', 'KB1', { severity: 'medium', cves: ['CVE-2026-0101'] }),
  kb2: patch('i-2', 'KB2', { severity: 'high', cves: ['CVE-2026-0102'] }),
};

/** CVE-2026-0102 (KB2) is on the KEV catalogue, due before the SLA's 30 days for high. */
export const KEV = { 'CVE-2026-0102': '2026-11-05' };
export const EPSS = { 'CVE-2026-0001': 0.97, 'CVE-2026-0002': 0.1 };

export const githubPages = (findings: Finding[] = [F.lodashGh, F.minimistGh, F.axiosFixed]): SourcePage[] => [
  { assets: [repo], progress: progress(0, 'alerts') },
  { findings, progress: progress(findings.length, 'alerts') },
];
export const snykPages = (findings: Finding[] = [F.lodashSnyk, F.minimistSnyk]): SourcePage[] => [{ assets: [project], findings, progress: progress(findings.length, 'issues') }];
export const ssmPages = (findings: Finding[] = [F.kb1a, F.kb1b, F.kb2]): SourcePage[] => [
  { assets: [box1], findings: findings.filter((f) => f.assetId === box1.id), completeFor: [box1.id], progress: progress(1, 'instances') },
  { assets: [box2], findings: findings.filter((f) => f.assetId === box2.id), completeFor: [box2.id], progress: progress(2, 'instances') },
];

export interface Estate {
  readonly github: PageSource;
  readonly snyk: PageSource;
  readonly ssm: PageSource;
  readonly feeds: StaticFeeds;
  readonly clock: { now: Date };
  sync(store?: Store): Sync;
}

export function estate(store: Store): Estate {
  const clock = { now: new Date('2026-11-02T09:00:00.000Z') };
  const github = pageSource('github', githubPages());
  const snykSource = pageSource('snyk', snykPages());
  const ssm = pageSource('ssm', ssmPages());
  const feeds = staticFeeds(KEV, EPSS);
  const logger = createLogger('silent');
  return {
    github,
    snyk: snykSource,
    ssm,
    feeds,
    clock,
    sync: (s = store) => createSync({ store: s, sources: [github, snykSource, ssm], feeds, sla: DEFAULT_SLA, now: () => clock.now, logger }),
  };
}

/** The store's remediations as [sorted finding ids, state, severity, dueAt], sorted: what grouping produced. */
export async function groups(store: Store): Promise<[string[], string, string, string][]> {
  const all = await store.remediations.list();
  return all.map((r) => [[...r.findingIds].sort(), r.state, r.severity, r.dueAt] as [string[], string, string, string]).sort((a, b) => (a[0][0]! < b[0][0]! ? -1 : 1));
}
