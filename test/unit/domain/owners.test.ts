import { globMatches, remediationOwner, withOwner, type OwnerRule } from '../../../src/domain/owners.js';
import { anAsset } from '../../support/builders.js';

const rules: OwnerRule[] = [
  { repository: 'acme/pay*', owner: 'U0PAY' },
  { snykProject: 'acme/legacy-*', owner: 'U0LEGACY' },
  { patchGroup: 'windows-prod', owner: 'S0WINDOWS' },
  { tag: { key: 'Team', value: 'data' }, owner: 'S0DATA' },
  { environment: 'production', owner: 'S0PLATFORM' },
  { default: true, owner: 'U0LEAD' },
];

const repo = (name: string) => anAsset({ id: `github:${name}`, name, kind: 'repository', source: 'github', environment: null, owner: null });
const box = (attributes: Record<string, string>, owner: string | null = null) =>
  anAsset({ id: 'ssm:i-1', name: 'web-1', kind: 'instance', source: 'ssm', environment: 'production', owner, attributes });

describe('owners from the policy', () => {
  it.each([
    ['a repository by glob', repo('acme/payments'), 'U0PAY', 'owners[0] repository acme/pay*'],
    ['a Snyk project imported from that repository', anAsset({ name: 'acme/payments:pom.xml', kind: 'application', source: 'snyk', environment: null, owner: null, attributes: { repository: 'acme/payments' } }), 'U0PAY', 'owners[0] repository acme/pay*'],
    ['a Snyk project by name', anAsset({ name: 'acme/legacy-0007', kind: 'application', source: 'snyk', environment: null, owner: null, attributes: {} }), 'U0LEGACY', 'owners[1] snykProject acme/legacy-*'],
    ['an instance by patch group', box({ patchGroup: 'windows-prod' }), 'S0WINDOWS', 'owners[2] patchGroup windows-prod'],
    ['an instance by a tag SSM could read', box({ 'tag:Team': 'data' }), 'S0DATA', 'owners[3] tag Team=data'],
    ['an instance by environment', box({}), 'S0PLATFORM', 'owners[4] environment production'],
    ['anything else by the default', repo('acme/web'), 'U0LEAD', 'owners default'],
  ])('%s', (_n, asset, owner, rule) => expect(withOwner(asset, rules)).toMatchObject({ owner, ownerRule: rule }));

  it('keeps a Slack id the source gives when no rule matches, and drops one that is not a Slack id', () => {
    expect(withOwner(repo('acme/web'), [])).toMatchObject({ owner: null, ownerRule: null });
    expect(withOwner({ ...repo('acme/web'), owner: 'U0TAGGED' }, [])).toMatchObject({ owner: 'U0TAGGED', ownerRule: 'github owner tag' });
    expect(withOwner({ ...repo('acme/web'), owner: 'team-payments' }, [])).toMatchObject({ owner: null });
  });

  it('globs: * and ? only, case-insensitive, anchored', () => {
    expect(globMatches('acme/*', 'Acme/Web')).toBe(true);
    expect(globMatches('acme/we?', 'acme/web')).toBe(true);
    expect(globMatches('acme/w', 'acme/web')).toBe(false);
    expect(globMatches('a.c', 'abc')).toBe(false);
  });

  it('a package upgrade takes its repository owner; a patch run a rule for its environment or patch group', () => {
    const owned = withOwner(repo('acme/payments'), rules);
    expect(remediationOwner([owned], { kind: 'package_upgrade', ecosystem: 'npm', package: 'lodash', fixedIn: null }, rules)).toEqual({ owner: 'U0PAY', rule: 'owners[0] repository acme/pay*' });
    const boxes = [withOwner(box({ 'tag:Team': 'data' }), rules), withOwner(box({}), rules)];
    const run = { kind: 'os_patches' as const, environment: 'production', patchIds: ['KB1'], patchGroup: 'windows-prod' };
    expect(remediationOwner(boxes, run, rules)).toEqual({ owner: 'S0WINDOWS', rule: 'owners[2] patchGroup windows-prod' });
    expect(remediationOwner(boxes, { ...run, patchGroup: null, environment: 'staging' }, rules)).toEqual({ owner: 'U0LEAD', rule: 'owners default' });
    expect(remediationOwner(boxes, run, [])).toBeNull();
  });
});
