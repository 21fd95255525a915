import { ExternalServiceError } from '../../../src/app/errors.js';
import { nextLink } from '../../../src/sources/github/client.js';
import { cveBatches } from '../../../src/sources/feeds/epss.js';
import { resolveSnykUrl } from '../../../src/sources/snyk/client.js';
import { ecosystemOf, repositoryOf, upgradeVersion } from '../../../src/sources/snyk/map.js';
import type { SnykProjectJson } from '../../../src/sources/snyk/schemas.js';

describe('GitHub Link header', () => {
  it.each([
    ['<https://api.github.com/organizations/1/dependabot/alerts?per_page=100&after=Y3Vy>; rel="next", <https://api.github.com/x>; rel="first"', 'https://api.github.com/organizations/1/dependabot/alerts?per_page=100&after=Y3Vy'],
    ['<https://a/x?page=1>; rel="prev", <https://a/x?page=3>; rel="next"', 'https://a/x?page=3'],
    ['<https://a/x?page=1>; rel="prev"', null],
    [undefined, null],
  ])('%p -> %p', (link, next) => expect(nextLink(link)).toBe(next));
});

describe('Snyk links.next in its three forms', () => {
  const root = 'https://api.snyk.io';
  it.each([
    ['/rest/orgs/o/issues?version=2024-10-15&starting_after=v1.abc', 'https://api.snyk.io/rest/orgs/o/issues?version=2024-10-15&starting_after=v1.abc'],
    ['/orgs/o/issues?version=2024-10-15&starting_after=v1.abc', 'https://api.snyk.io/rest/orgs/o/issues?version=2024-10-15&starting_after=v1.abc'],
    ['https://api.snyk.io/rest/orgs/o/issues?starting_after=v1.abc', 'https://api.snyk.io/rest/orgs/o/issues?starting_after=v1.abc&version=2024-10-15'],
    ['/orgs/o/projects', 'https://api.snyk.io/rest/orgs/o/projects?version=2024-10-15'],
  ])('%s', (link, url) => expect(resolveSnykUrl(root, link).toString()).toBe(url));

  it('keeps a base path (a proxy) and refuses another host', () => {
    expect(resolveSnykUrl('http://proxy.local/snyk/', '/orgs/o/issues').toString()).toBe('http://proxy.local/snyk/rest/orgs/o/issues?version=2024-10-15');
    expect(() => resolveSnykUrl(root, 'https://api.snyk.io.evil.example/rest/orgs/o/issues')).toThrow(ExternalServiceError);
  });
});

describe('Snyk names', () => {
  const project = (name: string, origin: string): SnykProjectJson => ({ id: 'p', attributes: { name, type: 'npm', origin }, meta: null });
  it.each([
    ['acme/api:package.json', 'github', 'acme/api'],
    ['acme/api(release-2):services/x/package.json', 'github-enterprise', 'acme/api'],
    ['group/sub/app:pom.xml', 'gitlab', 'group/sub/app'],
    ['acme/api', 'bitbucket-cloud', 'acme/api'],
    ['acme/legacy-0005', 'cli', null],
    ['package.json', 'github', null],
  ])('%s from %s -> %p', (name, origin, repo) => expect(repositoryOf(project(name, origin))).toBe(repo));

  it.each([
    ['lodash@4.17.21', '4.17.21'], ['@babel/core@7.24.0', '7.24.0'], ['org.yaml:snakeyaml@2.0', '2.0'], ['lodash', null], ['@scope/pkg', null], [null, null],
  ])('upgrade %p -> %p', (upgrade, version) => expect(upgradeVersion(upgrade)).toBe(version));

  it.each([['yarn', 'npm'], ['gomodules', 'go'], ['cargo', 'rust'], ['poetry', 'pip'], ['gradle', 'maven'], ['something-new', 'something-new'], ['constructor', 'constructor'], ['__proto__', '__proto__'], ['toString', 'toString']])('project type %s is ecosystem %s', (t, e) => expect(ecosystemOf(t)).toBe(e));
});

describe('EPSS batches', () => {
  it('keeps every comma list within the limit and loses no CVE', () => {
    const cves = Array.from({ length: 500 }, (_, i) => `CVE-2024-${String(10000 + i)}`);
    const batches = cveBatches(cves);
    expect(batches.flat()).toEqual(cves);
    for (const b of batches) expect(b.join(',').length).toBeLessThanOrEqual(2000);
    expect(batches.slice(0, -1).every((b) => b.join(',').length > 2000 - 15)).toBe(true);
  });
});
