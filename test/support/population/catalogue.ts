/** The shared vulnerability and patch catalogues that alerts, issues and instance patches point at. */
import { days, isoSeconds, type Rng } from './prng.js';
import type { Advisory, Ecosystem, PatchDefinition, Severity } from './types.js';

export const ECOSYSTEMS: readonly Ecosystem[] = ['npm', 'pip', 'maven', 'go', 'rubygems', 'nuget', 'composer', 'rust'];

/** Per ecosystem: packages, Dependabot's manifest, Snyk's project type and target file, Snyk id prefix. */
export const ECOSYSTEM_FACTS: Record<Ecosystem, { packages: string[]; lockfile: string; snykType: string; targetFile: string; snykPrefix: string }> = {
  npm: { packages: ['lodash', 'minimist', 'axios', 'express', 'jsonwebtoken', 'ws', 'semver', 'tar', 'qs', 'follow-redirects', 'braces', 'path-to-regexp', 'cookie', 'undici', 'xml2js'], lockfile: 'package-lock.json', snykType: 'npm', targetFile: 'package.json', snykPrefix: 'JS' },
  pip: { packages: ['requests', 'urllib3', 'django', 'flask', 'jinja2', 'pyyaml', 'cryptography', 'pillow', 'werkzeug', 'aiohttp'], lockfile: 'requirements.txt', snykType: 'pip', targetFile: 'requirements.txt', snykPrefix: 'PYTHON' },
  maven: { packages: ['org.apache.logging.log4j:log4j-core', 'com.fasterxml.jackson.core:jackson-databind', 'org.springframework:spring-web', 'org.yaml:snakeyaml', 'commons-io:commons-io', 'io.netty:netty-codec-http'], lockfile: 'pom.xml', snykType: 'maven', targetFile: 'pom.xml', snykPrefix: 'JAVA' },
  go: { packages: ['golang.org/x/net', 'golang.org/x/crypto', 'github.com/gin-gonic/gin', 'google.golang.org/grpc', 'golang.org/x/text'], lockfile: 'go.mod', snykType: 'gomodules', targetFile: 'go.mod', snykPrefix: 'GOLANG' },
  rubygems: { packages: ['rails', 'nokogiri', 'rack', 'actionpack', 'puma'], lockfile: 'Gemfile.lock', snykType: 'rubygems', targetFile: 'Gemfile.lock', snykPrefix: 'RUBY' },
  nuget: { packages: ['Newtonsoft.Json', 'System.Text.Encodings.Web', 'Microsoft.Data.SqlClient', 'System.Net.Http'], lockfile: 'packages.lock.json', snykType: 'nuget', targetFile: 'packages.config', snykPrefix: 'DOTNET' },
  composer: { packages: ['laravel/framework', 'guzzlehttp/guzzle', 'symfony/http-kernel', 'twig/twig'], lockfile: 'composer.lock', snykType: 'composer', targetFile: 'composer.lock', snykPrefix: 'PHP' },
  rust: { packages: ['tokio', 'hyper', 'openssl', 'regex', 'h2'], lockfile: 'Cargo.lock', snykType: 'cargo', targetFile: 'Cargo.toml', snykPrefix: 'RUST' },
};

const WEAKNESSES = [
  { title: 'Prototype Pollution', cweId: 'CWE-1321', name: 'Improperly Controlled Modification of Object Prototype Attributes' },
  { title: 'Regular Expression Denial of Service', cweId: 'CWE-1333', name: 'Inefficient Regular Expression Complexity' },
  { title: 'Cross-site Scripting', cweId: 'CWE-79', name: 'Improper Neutralization of Input During Web Page Generation' },
  { title: 'Path Traversal', cweId: 'CWE-22', name: 'Improper Limitation of a Pathname to a Restricted Directory' },
  { title: 'Deserialization of Untrusted Data', cweId: 'CWE-502', name: 'Deserialization of Untrusted Data' },
  { title: 'Server-Side Request Forgery', cweId: 'CWE-918', name: 'Server-Side Request Forgery (SSRF)' },
  { title: 'Uncontrolled Resource Consumption', cweId: 'CWE-400', name: 'Uncontrolled Resource Consumption' },
  { title: 'Improper Certificate Validation', cweId: 'CWE-295', name: 'Improper Certificate Validation' },
] as const;

const VECTORS: Record<Severity, string> = {
  critical: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
  high: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
  medium: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:L',
  low: 'CVSS:3.1/AV:L/AC:H/PR:L/UI:R/S:U/C:L/I:N/A:N',
};

function severityAt(r: number): Severity {
  if (r < 0.1) return 'critical';
  if (r < 0.45) return 'high';
  if (r < 0.85) return 'medium';
  return 'low';
}

const SCORE_BANDS: Record<Severity, [number, number]> = { critical: [90, 100], high: [70, 89], medium: [40, 69], low: [10, 39] };
const GHSA_ALPHABET = '23456789cfghjmpqrvwx';

/** `perEcosystem` advisories for each ecosystem; the advisory's index is its position in the returned list. */
export function buildAdvisories(rng: Rng, perEcosystem: number, nowMs: number): Advisory[] {
  const out: Advisory[] = [];
  for (const ecosystem of ECOSYSTEMS) {
    const facts = ECOSYSTEM_FACTS[ecosystem];
    for (let k = 0; k < perEcosystem; k += 1) {
      const index = out.length;
      const packageName = facts.packages[k % facts.packages.length] as string;
      const weakness = WEAKNESSES[(k + index) % WEAKNESSES.length] as (typeof WEAKNESSES)[number];
      const severity = severityAt(rng.next());
      const [lo, hi] = SCORE_BANDS[severity];
      const major = rng.between(0, 6);
      const minor = rng.between(0, 30);
      const patch = rng.between(0, 20);
      const hasPatch = index % 12 !== 11;
      const firstPatched = hasPatch ? `${major}.${minor}.${patch + 1 + rng.int(3)}` : null;
      const published = nowMs - days(rng.between(30, 900));
      const cveId = index % 10 === 7 ? null : `CVE-${2019 + (index % 8)}-${20000 + index}`;
      out.push({
        index,
        ghsaId: `GHSA-${rng.chars(GHSA_ALPHABET, 4)}-${rng.chars(GHSA_ALPHABET, 4)}-${rng.chars(GHSA_ALPHABET, 4)}`,
        cveId,
        snykId: `SNYK-${facts.snykPrefix}-${packageName.toUpperCase().replace(/[^A-Z0-9]/g, '')}-${1_000_000 + index}`,
        ecosystem,
        packageName,
        summary: `${weakness.title} in ${packageName}`,
        description: `Versions of ${packageName} before ${firstPatched ?? 'any fix'} are vulnerable to ${weakness.title.toLowerCase()}.`,
        severity,
        cvssScore: rng.between(lo, hi) / 10,
        cvssVector: VECTORS[severity],
        cwes: [{ cweId: weakness.cweId, name: weakness.name }],
        vulnerableRange: firstPatched ? `< ${firstPatched}` : `<= ${major}.${minor}.${patch}`,
        installedVersion: `${major}.${minor}.${patch}`,
        firstPatched,
        publishedAt: isoSeconds(published),
        updatedAt: isoSeconds(published + days(rng.between(0, 20))),
      });
    }
  }
  return out;
}

const LINUX_PACKAGES = ['kernel', 'openssl-libs', 'glibc', 'curl', 'sudo', 'openssh', 'systemd', 'python3', 'expat', 'libxml2', 'zlib', 'sqlite-libs'];
const WINDOWS_SEVERITIES = ['Critical', 'Important', 'Important', 'Moderate', 'Low'];
const LINUX_SEVERITIES = ['Critical', 'Important', 'Important', 'Medium', 'Low'];

/** `perPlatform` patches for Windows and for Linux (Amazon Linux 2023 naming), with their CVE ids. */
export function buildPatchCatalogue(rng: Rng, perPlatform: number): PatchDefinition[] {
  const out: PatchDefinition[] = [];
  let cve = 0;
  const cves = (n: number): string[] => Array.from({ length: n }, () => {
    cve += 1;
    return `CVE-${2021 + (cve % 5)}-${60000 + cve}`;
  });
  for (let k = 0; k < perPlatform; k += 1) {
    const kb = `KB${5030000 + k * 37}`;
    const security = k % 7 !== 6;
    out.push({
      platform: 'Windows',
      kbId: kb,
      title: security ? `2026-${String((k % 10) + 1).padStart(2, '0')} Cumulative Update for Windows Server 2022 for x64-based Systems (${kb})` : `Update for Microsoft Defender Antivirus antimalware platform (${kb})`,
      classification: security ? (k % 5 === 4 ? 'CriticalUpdates' : 'SecurityUpdates') : 'Updates',
      severity: security ? (WINDOWS_SEVERITIES[k % WINDOWS_SEVERITIES.length] as string) : 'Unspecified',
      cveIds: security ? cves(1 + rng.int(3)) : [],
    });
  }
  for (let k = 0; k < perPlatform; k += 1) {
    const pkg = LINUX_PACKAGES[k % LINUX_PACKAGES.length] as string;
    const kbId = `${pkg}.x86_64:0:${rng.between(1, 6)}.${rng.between(0, 40)}.${rng.between(0, 200)}-${rng.between(1, 300)}.amzn2023`;
    const security = k % 6 !== 5;
    out.push({
      platform: 'Linux',
      kbId,
      title: kbId,
      classification: security ? 'Security' : 'Bugfix',
      severity: security ? (LINUX_SEVERITIES[k % LINUX_SEVERITIES.length] as string) : 'Low',
      cveIds: security ? cves(1 + rng.int(2)) : [],
    });
  }
  return out;
}
