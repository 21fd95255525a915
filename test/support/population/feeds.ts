/** The CISA KEV catalogue and the FIRST EPSS scores for every CVE the population mentions. */
import { days, isoDate, type Rng } from './prng.js';
import type { Advisory, EpssScore, GhAlert, KevEntry, SnykIssue, SsmInstance } from './types.js';

export interface FeedPlan {
  kevFromAlerts: number;
  kevFromPatches: number;
  kevExtra: number;
}

const REQUIRED_ACTION = 'Apply mitigations per vendor instructions, follow applicable BOD 22-01 guidance for cloud services, or discontinue use of the product if mitigations are unavailable.';

interface KevSeed { cve: string; vendor: string; product: string; weakness: string; cwes: string[] }

function fromAdvisory(a: Advisory): KevSeed {
  const [vendor = a.packageName, product = a.packageName] = a.packageName.includes(':') ? a.packageName.split(':') : a.packageName.includes('/') ? a.packageName.split('/') : [a.packageName, a.packageName];
  return { cve: a.cveId as string, vendor, product, weakness: a.summary.replace(/ in .*$/, ''), cwes: a.cwes.map((c) => c.cweId) };
}

/**
 * KEV lists, in this order: the CVEs of the Dependabot/Snyk overlap pairs, then other open alerts' CVEs
 * (kevFromAlerts in all), then CVEs of missing instance patches (kevFromPatches), then unrelated CVEs (kevExtra).
 * The first entry was added a week ago and is due in two weeks; the others are older and mostly past due.
 */
export function buildKev(rng: Rng, plan: FeedPlan, alerts: GhAlert[], issues: SnykIssue[], instances: SsmInstance[], nowMs: number): KevEntry[] {
  const seeds: KevSeed[] = [];
  const seen = new Set<string>();
  const add = (s: KevSeed): void => {
    if (seen.has(s.cve)) return;
    seen.add(s.cve);
    seeds.push(s);
  };
  const open = [...issues.filter((i) => i.overlapsDependabot).map((i) => i.advisory), ...alerts.filter((a) => a.state === 'open').map((a) => a.advisory)];
  for (const a of open) if (a.cveId && seen.size < plan.kevFromAlerts) add(fromAdvisory(a));
  const target = seen.size + plan.kevFromPatches;
  for (const inst of instances) {
    for (const p of inst.patches) {
      if (p.state !== 'MISSING') continue;
      for (const cve of p.patch.cveIds) {
        if (seen.size < target) add({ cve, vendor: p.patch.platform === 'Windows' ? 'Microsoft' : 'Linux', product: p.patch.platform === 'Windows' ? 'Windows' : p.patch.kbId.split('.')[0] ?? 'Kernel', weakness: 'Use-After-Free', cwes: ['CWE-416'] });
      }
    }
  }
  for (let k = 0; k < plan.kevExtra; k += 1) add({ cve: `CVE-${2014 + (k % 12)}-${90000 + k}`, vendor: rng.pick(['Microsoft', 'Apple', 'Google', 'Cisco', 'Fortinet', 'Ivanti']), product: rng.pick(['Windows', 'iOS', 'Chromium V8', 'IOS XE', 'FortiOS', 'Connect Secure']), weakness: rng.pick(['Improper Authentication', 'Out-of-Bounds Write', 'Command Injection']), cwes: ['CWE-787'] });
  return seeds.map((s, k) => {
    const added = k === 0 ? nowMs - days(7) : nowMs - days(30 + ((k * 13) % 700));
    return {
      cveID: s.cve,
      vendorProject: s.vendor,
      product: s.product,
      vulnerabilityName: `${s.vendor} ${s.product} ${s.weakness} Vulnerability`,
      dateAdded: isoDate(added),
      shortDescription: `${s.vendor} ${s.product} contains a ${s.weakness.toLowerCase()} vulnerability that could allow a remote attacker to execute code.`,
      requiredAction: REQUIRED_ACTION,
      dueDate: isoDate(added + days(21)),
      knownRansomwareCampaignUse: k % 5 === 0 ? 'Known' : 'Unknown',
      notes: `https://nvd.nist.gov/vuln/detail/${s.cve}`,
      cwes: s.cwes,
    };
  });
}

/** One score per CVE: skewed low like the real distribution, high for KEV-listed CVEs; percentile by rank. */
export function buildEpss(rng: Rng, cves: Iterable<string>, kev: Set<string>): EpssScore[] {
  const raw = [...new Set(cves)].map((cve) => {
    const r = rng.next();
    return { cve, epss: Math.round((kev.has(cve) ? 0.4 + 0.6 * r : r ** 4 * 0.6) * 1e9) / 1e9 };
  });
  const ranked = [...raw].sort((a, b) => a.epss - b.epss);
  const rank = new Map(ranked.map((s, i) => [s.cve, i]));
  return raw.map((s) => ({ ...s, percentile: Math.round((((rank.get(s.cve) ?? 0) + 1) / raw.length) * 1e9) / 1e9 }));
}
