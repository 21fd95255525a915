/**
 * The child process of bench/sync.ts: builds loadScale(), serves it from the GitHub, Snyk, SSM, KEV and EPSS fakes,
 * says where (and the fewest requests a full read needs), and hands over the requests it received when asked.
 */
import { ServerResponse } from 'node:http';
import { startFakeEpss } from '../test/support/feeds/fake-epss.js';
import { startFakeKev } from '../test/support/feeds/fake-kev.js';
import { startFakeGithub } from '../test/support/github/fake-github.js';
import type { FakeServer, RecordedRequest } from '../test/support/population/fake-http.js';
import { loadScale } from '../test/support/population/presets.js';
import { startFakeSnyk } from '../test/support/snyk/fake-snyk.js';
import { startFakeSsm } from '../test/support/ssm/fake-ssm.js';

export type SourceKey = 'github' | 'snyk' | 'ssm' | 'kev' | 'epss';
export type FakeRequest = Pick<RecordedRequest, 'method' | 'path' | 'query' | 'headers' | 'body'>;

export interface FakesReady {
  readonly type: 'ready';
  readonly urls: Record<SourceKey, string>;
  readonly kevUrl: string;
  readonly epssUrl: string;
  readonly org: string;
  readonly orgId: string;
  /** The fewest requests a full read makes: every list page at its largest size, one patch listing per instance. */
  readonly minimum: Record<SourceKey, number>;
  /** What a complete first sync stores. */
  readonly expected: { readonly assets: number; readonly findings: number };
  readonly summary: string;
}

const ceil = (a: number, b: number): number => Math.ceil(a / b);

/**
 * `latencyMs` > 0 delays every answer that long, as a remote API's round trip would (the local fakes answer in about
 * a millisecond, which makes the sync's own work all there is to measure).
 */
export async function serveFakes(latencyMs = 0, divide = 1): Promise<void> {
  if (latencyMs > 0) {
    const end = ServerResponse.prototype.end;
    ServerResponse.prototype.end = function delayed(this: ServerResponse, ...args: unknown[]) {
      setTimeout(() => (end as (...a: unknown[]) => void).apply(this, args), latencyMs);
      return this;
    } as typeof end;
  }
  const p = loadScale(divide);
  const [github, snyk, ssm, kev, epss] = await Promise.all([
    startFakeGithub(p, { token: 'gh-bench-token-1a2b3c', rateLimit: 1_000_000 }),
    startFakeSnyk(p, { token: 'snyk-bench-token-4d5e6f' }),
    startFakeSsm(p),
    startFakeKev(p),
    startFakeEpss(p),
  ]);
  const fakes: Record<SourceKey, FakeServer> = { github, snyk, ssm, kev, epss };
  const withPatches = p.ssm.instances.filter((i) => i.patches.some((x) => x.state === 'MISSING' || x.state === 'FAILED')).length;
  const cves = new Set([...p.github.alerts.map((a) => a.advisory.cveId), ...p.snyk.issues.map((i) => i.advisory.cveId), ...p.ssm.instances.flatMap((i) => i.patches.flatMap((x) => x.patch.cveIds))].filter((c): c is string => Boolean(c)));
  const missing = p.ssm.instances.reduce((s, i) => s + i.patches.filter((x) => x.state === 'MISSING' || x.state === 'FAILED').length, 0);
  const ready: FakesReady = {
    type: 'ready',
    urls: { github: github.url, snyk: snyk.url, ssm: ssm.url, kev: kev.url, epss: epss.url },
    kevUrl: kev.feedUrl,
    epssUrl: epss.apiUrl,
    org: p.github.org,
    orgId: p.snyk.orgId,
    minimum: {
      github: ceil(p.github.repos.length, 100) + ceil(p.github.alerts.length, 100),
      snyk: ceil(p.snyk.projects.length, 100) + ceil(p.snyk.issues.length, 100),
      ssm: 2 * ceil(p.ssm.instances.length, 50) + withPatches,
      kev: 1,
      epss: ceil([...cves].join(',').length, 2000),
    },
    expected: {
      assets: p.github.repos.length + p.snyk.projects.length + p.ssm.instances.length,
      findings: p.github.alerts.length + p.snyk.issues.length + missing,
    },
    summary: `${p.github.alerts.length.toLocaleString('en-US')} alerts over ${p.github.repos.length.toLocaleString('en-US')} repos, ${p.snyk.issues.length.toLocaleString('en-US')} Snyk issues in ${p.snyk.projects.length.toLocaleString('en-US')} projects, ${p.ssm.instances.length.toLocaleString('en-US')} instances with ${missing.toLocaleString('en-US')} missing or failed patches, ${p.kev.entries.length.toLocaleString('en-US')} KEV entries`,
  };
  process.on('message', (m: { type: string; reset?: boolean }) => {
    if (m.type !== 'requests') return;
    const requests = Object.fromEntries(
      (Object.keys(fakes) as SourceKey[]).map((k) => [k, fakes[k].requests.map(({ method, path, query, headers, body }) => ({ method, path, query, headers, ...(body !== undefined ? { body } : {}) }))]),
    );
    if (m.reset) for (const f of Object.values(fakes)) f.requests.length = 0;
    process.send?.({ type: 'requests', requests, cpu: process.cpuUsage() });
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.(ready);
}
