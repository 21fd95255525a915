/** A Dependabot alert in the domain's words: only well-formed advisory ids become a finding's CVEs and GHSAs. */
import { alertFinding } from '../../../src/sources/github/map.js';
import { alertSchema } from '../../../src/sources/github/schemas.js';

export function alertJson(overrides: Record<string, unknown> = {}, advisory: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    number: 7,
    state: 'open',
    dependency: { package: { ecosystem: 'npm', name: 'lodash' }, manifest_path: 'package.json' },
    security_advisory: { ghsa_id: 'GHSA-p6mc-m468-83gw', cve_id: 'CVE-2020-8203', summary: 'Prototype pollution in lodash', severity: 'high', identifiers: [], cvss: { score: 7.4 }, ...advisory },
    security_vulnerability: { severity: 'high', first_patched_version: { identifier: '4.17.19' } },
    html_url: 'https://github.com/acme/api/security/dependabot/7',
    created_at: '2026-10-01T00:00:00Z',
    updated_at: '2026-10-02T00:00:00Z',
    fixed_at: null,
    dismissed_at: null,
    auto_dismissed_at: null,
    repository: { full_name: 'acme/api' },
    ...overrides,
  };
}

const finding = (overrides: Record<string, unknown> = {}, advisory: Record<string, unknown> = {}) => alertFinding(alertSchema.parse(alertJson(overrides, advisory)));

describe('a Dependabot alert as a finding', () => {
  it('keeps well-formed CVE and GHSA ids, upper-cased CVEs, once each', () => {
    const f = finding({}, { cve_id: 'cve-2020-8203', identifiers: [{ type: 'CVE', value: 'CVE-2020-8203' }, { type: 'CVE', value: 'CVE-2021-23337' }, { type: 'GHSA', value: 'GHSA-p6mc-m468-83gw' }] });
    expect([f.cves, f.ghsas]).toEqual([['CVE-2020-8203', 'CVE-2021-23337'], ['GHSA-p6mc-m468-83gw']]);
  });

  it('drops ids that are not of the CVE or GHSA form (they are text, not ids, and would reach Slack and the CSV as such)', () => {
    const f = finding({}, {
      cve_id: '<!channel> CVE-2020-8203',
      ghsa_id: 'GHSA-<@U0LEAD>',
      identifiers: [{ type: 'CVE', value: 'CVE-2021-1<https://evil.example|x>' }, { type: 'CVE', value: '=HYPERLINK("x")' }, { type: 'CVE', value: ' CVE-2022-0001 ' }],
    });
    expect([f.cves, f.ghsas]).toEqual([['CVE-2022-0001'], []]);
  });

  it('keeps who dismissed it and why, as GitHub says', () => {
    const f = finding({ state: 'dismissed', dismissed_at: '2026-10-05T00:00:00Z', dismissed_by: { login: 'octocat', id: 1 }, dismissed_reason: 'tolerable_risk', dismissed_comment: ' Only on the VPN ' });
    expect([f.state, f.dismissedAt, f.dismissal]).toEqual(['dismissed', '2026-10-05T00:00:00.000Z', { by: 'octocat', reason: 'tolerable_risk', comment: 'Only on the VPN' }]);
    expect(finding({ state: 'auto_dismissed', auto_dismissed_at: '2026-10-06T00:00:00Z' }).dismissal).toEqual({ by: 'Dependabot auto-triage', reason: 'auto_dismissed', comment: null });
    expect(finding().dismissal).toBeNull();
  });
});
