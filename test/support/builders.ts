/** Object mothers: valid domain records with overrides, so each test says only what matters to it. */
import type { Advisory } from '../../src/domain/advisory.js';
import type { Asset } from '../../src/domain/asset.js';
import type { Finding } from '../../src/domain/finding.js';
import { newRemediation } from '../../src/domain/new-remediation.js';
import type { Remediation, TestRecord } from '../../src/domain/remediation.js';
import { userActor, type Actor, type Role } from '../../src/domain/roles.js';
import { DEFAULT_SLA } from '../../src/domain/sla.js';

export const T0 = new Date('2026-11-01T09:00:00.000Z');

let counter = 0;
const nextN = (): number => (counter += 1);

export function anAsset(overrides: Partial<Asset> = {}): Asset {
  const n = nextN();
  return {
    id: `github:acme/repo-${n}`,
    kind: 'repository',
    name: `acme/repo-${n}`,
    source: 'github',
    environment: 'production',
    owner: 'U0OWNER',
    inScope: true,
    lastSeenAt: T0.toISOString(),
    lastScannedAt: T0.toISOString(),
    attributes: {},
    ...overrides,
  };
}

export function aFinding(overrides: Partial<Finding> = {}): Finding {
  const n = nextN();
  return {
    id: `github:acme/api:alert:${n}`,
    source: 'github',
    assetId: 'github:acme/api',
    title: `Prototype pollution in lodash (${n})`,
    package: 'lodash',
    ecosystem: 'npm',
    fixedIn: '4.17.21',
    cves: [`CVE-2026-${10000 + n}`],
    ghsas: [],
    severity: 'high',
    cvss: 7.5,
    epss: 0.02,
    kevDueAt: null,
    url: `https://github.com/acme/api/security/dependabot/${n}`,
    state: 'open',
    detectedAt: T0.toISOString(),
    fixedAt: null,
    dismissedAt: null,
    remediationId: null,
    ...overrides,
  };
}

export function aRemediation(overrides: Partial<Remediation> = {}): Remediation {
  const n = nextN();
  const base = newRemediation(
    {
      id: `PW-${n}`,
      key: `github:acme/api|npm:pkg-${n}`,
      title: `Upgrade pkg-${n} to 1.2.3 in acme/api`,
      remedy: { kind: 'package_upgrade', ecosystem: 'npm', package: `pkg-${n}`, fixedIn: '1.2.3' },
      assetIds: ['github:acme/api'],
      findingIds: [`github:acme/api:alert:${n}`],
      cves: [`CVE-2026-${20000 + n}`],
      severity: 'high',
      detectedAt: T0.toISOString(),
      kevDueAt: null,
      owner: 'U0OWNER',
    },
    DEFAULT_SLA,
    T0,
  );
  return { ...base, ...overrides };
}

export function aTest(overrides: Partial<TestRecord> = {}): TestRecord {
  return {
    id: `test-${nextN()}`,
    by: 'U0ENGINEER',
    at: T0.toISOString(),
    environment: 'staging',
    result: 'pass',
    notes: 'Upgraded in staging; smoke tests green.',
    files: [{ sha256: 'a'.repeat(64), size: 10, name: 'screenshot.png', mimeType: 'image/png', slackFileId: 'F0001' }],
    ...overrides,
  };
}

export const lead = (id = 'U0LEAD'): Actor => userActor(id, ['lead']);
export const engineer = (id = 'U0ENGINEER'): Actor => userActor(id, ['engineer']);
export const approver = (id = 'U0APPROVER'): Actor => userActor(id, ['approver']);
export const withRoles = (id: string, ...roles: Role[]): Actor => userActor(id, roles);

export function anAdvisory(overrides: Partial<Advisory> = {}): Advisory {
  const n = nextN();
  return {
    id: `adv-${String(n).padStart(16, '0')}`,
    feed: 'AWS Security Bulletins',
    itemKey: `AWS-2026-${String(n).padStart(3, '0')}`,
    title: `CVE-2026-${30000 + n} - Issue with Amazon Linux ${n}`,
    link: `https://aws.amazon.com/security/security-bulletins/AWS-2026-${n}/`,
    summary: `AWS is aware of an issue (CVE-2026-${30000 + n}).`,
    cves: [`CVE-2026-${30000 + n}`],
    publishedAt: T0.toISOString(),
    updatedAt: null,
    firstSeenAt: T0.toISOString(),
    ...overrides,
  };
}
