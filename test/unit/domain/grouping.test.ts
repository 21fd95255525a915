import { absorb, compareVersions, fixingVersion, groupOf, knownFix, patchName, sameSummary, sharesCve, summarise, targetOf } from '../../../src/domain/grouping.js';
import { DEFAULT_SLA } from '../../../src/domain/sla.js';
import { aFinding, anAsset, aRemediation, T0 } from '../../support/builders.js';

const repo = anAsset({ id: 'github:acme/api', name: 'acme/api', kind: 'repository', source: 'github' });
const snykProject = anAsset({ id: 'snyk:project:p1', name: 'acme/api:package.json', kind: 'application', source: 'snyk', attributes: { repository: 'acme/api' } });
const snykCli = anAsset({ id: 'snyk:project:p2', name: 'billing-cli', kind: 'application', source: 'snyk', attributes: {} });
const linux = { platform: 'Linux', platformName: 'Amazon Linux', patchGroup: 'production', baselineId: 'pb-linux' };
const prodBox = anAsset({ id: 'ssm:i-0a', name: 'web-1', kind: 'instance', source: 'ssm', environment: 'production', attributes: linux });
const windowsBox = anAsset({ id: 'ssm:i-0w', name: 'dc-1', kind: 'instance', source: 'ssm', environment: 'production', attributes: { platform: 'Windows', platformName: 'Microsoft Windows Server 2022 Datacenter', patchGroup: 'production', baselineId: 'pb-windows' } });
const loneBox = anAsset({ id: 'ssm:i-0b', name: 'i-0b', kind: 'instance', source: 'ssm', environment: null });

describe('grouping findings into remediations', () => {
  it.each([
    ['a repository', repo, 'repo:acme/api'],
    ['a Snyk project imported from that repository', snykProject, 'repo:acme/api'],
    ['a Snyk project with no repository', snykCli, 'snyk:project:p2'],
    ['an instance, by environment', prodBox, 'env:production'],
    ['an instance with no environment', loneBox, 'env:unassigned'],
  ])('the target of %s', (_n, asset, target) => expect(targetOf(asset)).toBe(target));

  it('Dependabot and Snyk findings of one package in one repository share a group', () => {
    const gh = groupOf(aFinding({ source: 'github', ecosystem: 'npm', package: 'lodash' }), repo);
    const sn = groupOf(aFinding({ source: 'snyk', ecosystem: 'NPM', package: 'lodash', assetId: snykProject.id }), snykProject);
    expect(gh.group).toBe('repo:acme/api|npm:lodash');
    expect(sn.group).toBe(gh.group);
    expect(gh.remedy).toEqual({ kind: 'package_upgrade', ecosystem: 'npm', package: 'lodash', fixedIn: '4.17.21' });
  });

  it('different packages in one repository are different work', () => {
    expect(groupOf(aFinding({ package: 'lodash' }), repo).group).not.toBe(groupOf(aFinding({ package: 'axios' }), repo).group);
  });

  it('missing patches on one environment, patch group and baseline are one patch run', () => {
    const a = groupOf(aFinding({ source: 'ssm', package: 'glibc.x86_64:0:2.34-1.amzn2023', ecosystem: null, assetId: prodBox.id }), prodBox);
    const b = groupOf(aFinding({ source: 'ssm', package: 'curl.x86_64:0:8.5-1.amzn2023', ecosystem: null, assetId: 'ssm:i-0c' }), { ...prodBox, id: 'ssm:i-0c' });
    expect(a.group).toBe('env:production|os-patches|production|pb-linux');
    expect(b.group).toBe(a.group);
    expect(a.remedy).toMatchObject({ kind: 'os_patches', environment: 'production', patchGroup: 'production', baselineId: 'pb-linux' });
  });

  it('Windows and Linux in one environment are two patch runs (one baseline each)', () => {
    const linuxRun = groupOf(aFinding({ source: 'ssm', package: 'glibc.x86_64:0:2.34-1.amzn2023', assetId: prodBox.id }), prodBox);
    const windowsRun = groupOf(aFinding({ source: 'ssm', package: 'KB5034129', assetId: windowsBox.id }), windowsBox);
    expect(windowsRun.group).not.toBe(linuxRun.group);
    expect(windowsRun.target).toBe(linuxRun.target);
  });

  it.each([
    ['KB5034129', 'KB5034129'],
    ['glibc.x86_64:0:2.34-1.amzn2023', 'glibc'],
    ['openssl-libs.aarch64:1:3.0.8-1.amzn2023', 'openssl-libs'],
    ['libssl3:3.0.2-0ubuntu1.15', 'libssl3'],
  ])('names the patch %s as %s', (id, name) => expect(patchName(id)).toBe(name));

  it('tells when two findings share a CVE', () => {
    expect(sharesCve({ cves: ['CVE-1', 'CVE-2'] }, { cves: ['CVE-2'] })).toBe(true);
    expect(sharesCve({ cves: ['CVE-1'] }, { cves: [] })).toBe(false);
  });
});

describe('versions', () => {
  it.each([
    ['4.17.9', '4.17.21', -1], ['4.17.21', '4.17.21', 0], ['2.0.0', '10.0.0', -1], ['v1.2', '1.2.0', 0], ['1.0.0-rc1', '1.0.0-rc2', -1],
  ] as const)('%s vs %s -> %d', (a, b, c) => expect(compareVersions(a, b)).toBe(c));

  it('the fixing version is the highest, or none when one finding has no fix', () => {
    expect(fixingVersion([{ fixedIn: '1.2.3' }, { fixedIn: '1.10.0' }, { fixedIn: '1.9.9' }])).toBe('1.10.0');
    expect(fixingVersion([{ fixedIn: '1.2.3' }, { fixedIn: null }])).toBeNull();
  });

  it('a fix known to any source counts for the same CVE; none only when a CVE has no known fix', () => {
    const dependabot = { fixedIn: '4.17.21', cves: ['CVE-2021-23337'], ghsas: [] };
    const snykWithout = { fixedIn: null, cves: ['CVE-2021-23337'], ghsas: [] };
    expect(fixingVersion([dependabot, snykWithout])).toBe('4.17.21');
    expect(knownFix(snykWithout, [dependabot, snykWithout])).toBe('4.17.21');
    const otherCve = { fixedIn: null, cves: ['CVE-2021-23337', 'CVE-2020-8203'], ghsas: [] };
    expect(fixingVersion([dependabot, otherCve])).toBeNull();
    expect(fixingVersion([{ fixedIn: '1.0.1', cves: [], ghsas: ['GHSA-x'] }, { fixedIn: null, cves: [], ghsas: ['GHSA-x'] }])).toBe('1.0.1');
  });
});

describe('summarising and absorbing findings', () => {
  const grouping = groupOf(aFinding({ package: 'lodash' }), repo);

  it('takes the highest severity, earliest detection and KEV date, and every CVE and asset', () => {
    const s = summarise(grouping, [
      aFinding({ id: 'f1', severity: 'medium', fixedIn: '4.17.19', cves: ['CVE-A'], detectedAt: '2026-10-05T00:00:00.000Z' }),
      aFinding({ id: 'f2', severity: 'critical', fixedIn: '4.17.21', cves: ['CVE-B', 'CVE-A'], kevDueAt: '2026-11-20T00:00:00.000Z', assetId: snykProject.id, source: 'snyk' }),
      aFinding({ id: 'f3', severity: 'low', state: 'fixed', cves: ['CVE-C'], detectedAt: '2026-09-01T00:00:00.000Z' }),
    ]);
    expect(s).toMatchObject({
      title: 'Upgrade lodash to 4.17.21 in acme/api',
      sourceSeverity: 'critical',
      kevDueAt: '2026-11-20T00:00:00.000Z',
      cves: ['CVE-A', 'CVE-B', 'CVE-C'],
      assetIds: ['github:acme/api', 'snyk:project:p1'],
      findingIds: ['f1', 'f2', 'f3'],
      detectedAt: '2026-09-01T00:00:00.000Z',
    });
  });

  it('names the patch run by its patches, environment and platform, and counts its instances', () => {
    const g = groupOf(aFinding({ source: 'ssm', package: 'glibc.x86_64:0:2.34-1.amzn2023', assetId: prodBox.id }), prodBox);
    const boxes = new Map([prodBox, { ...prodBox, id: 'ssm:i-0c' }].map((a) => [a.id, a]));
    const s = summarise(g, [
      aFinding({ source: 'ssm', package: 'glibc.x86_64:0:2.34-1.amzn2023', assetId: 'ssm:i-0a' }),
      aFinding({ source: 'ssm', package: 'openssl-libs.x86_64:1:3.0.8-1.amzn2023', assetId: 'ssm:i-0c' }),
      aFinding({ source: 'ssm', package: 'glibc.x86_64:0:2.34-1.amzn2023', assetId: 'ssm:i-0c' }),
    ], boxes);
    expect(s.title).toBe('Install glibc, openssl-libs on production Amazon Linux (2 instances)');
    expect(s.remedy).toEqual({ kind: 'os_patches', environment: 'production', patchGroup: 'production', baselineId: 'pb-linux', platform: 'Amazon Linux', patchIds: ['glibc.x86_64:0:2.34-1.amzn2023', 'openssl-libs.x86_64:1:3.0.8-1.amzn2023'] });
    const w = groupOf(aFinding({ source: 'ssm', package: 'KB1', assetId: windowsBox.id }), windowsBox);
    const many = summarise(w, ['KB1', 'KB2', 'KB3', 'KB4', 'KB5'].map((kb) => aFinding({ source: 'ssm', package: kb, assetId: windowsBox.id })), new Map([[windowsBox.id, windowsBox]]));
    expect(many.title).toBe('Install KB1, KB2, KB3 and 2 more on production Windows Server 2022 (1 instance)');
  });

  it('names a Snyk project without a repository by its name', () => {
    const s = summarise(groupOf(aFinding({ source: 'snyk', assetId: snykCli.id, fixedIn: '2.0.0' }), snykCli), [aFinding({ source: 'snyk', assetId: snykCli.id, fixedIn: '2.0.0' })]);
    expect(s.title).toBe('Upgrade lodash to 2.0.0 in billing-cli');
  });

  it('a newly KEV-listed CVE pulls the due date in; an assessed severity is kept', () => {
    const r = aRemediation({ severity: 'high', sourceSeverity: 'high' });
    const s = summarise(grouping, [aFinding({ severity: 'high', kevDueAt: '2026-11-05T00:00:00.000Z', detectedAt: T0.toISOString() })]);
    const next = absorb(r, s, DEFAULT_SLA, T0);
    expect(next.dueAt).toBe('2026-11-05T00:00:00.000Z');
    const assessed = aRemediation({ assessment: { by: 'U1', at: T0.toISOString(), severity: 'low', kevListed: false, epss: null, knownExploit: false, businessImpact: 'low', rationale: 'r', owner: null, dueAt: '' }, severity: 'low' });
    expect(absorb(assessed, summarise(grouping, [aFinding({ severity: 'critical' })]), DEFAULT_SLA, T0)).toMatchObject({ severity: 'low', sourceSeverity: 'critical' });
  });

  it('absorbing the same findings again changes nothing', () => {
    const s = summarise(grouping, [aFinding({ id: 'f9', detectedAt: T0.toISOString() })]);
    const once = absorb(aRemediation(), s, DEFAULT_SLA, T0);
    expect(sameSummary(once, absorb(once, s, DEFAULT_SLA, new Date('2026-12-01T00:00:00.000Z')))).toBe(true);
    expect(sameSummary(once, absorb(once, summarise(grouping, [aFinding({ id: 'f10' })]), DEFAULT_SLA, T0))).toBe(false);
  });
});
