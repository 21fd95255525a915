import { assetsNote, namedAssetIds } from '../../../src/slack/views/asset-names.js';
import { anAsset } from '../../support/builders.js';

const instance = (n: number) => anAsset({ id: `ssm:i-0${n}`, kind: 'instance', name: `web-${n}`, source: 'ssm' });
const project = anAsset({ id: 'snyk:project:4f1e', kind: 'application', name: 'acme/web:package.json', source: 'snyk' });
const repo = anAsset({ id: 'github:acme/web', name: 'acme/web' });
const byId = (...assets: ReturnType<typeof anAsset>[]) => new Map(assets.map((a) => [a.id, a]));

describe('assetsNote', () => {
  it('names instances with their ids and Snyk projects by name; a repository is left to the title', () => {
    const assets = byId(instance(1), instance(2), project, repo);
    expect(assetsNote({ assetIds: ['ssm:i-01', 'ssm:i-02'] }, assets)).toBe(' · on web-1 (i-01), web-2 (i-02)');
    expect(assetsNote({ assetIds: ['github:acme/web', 'snyk:project:4f1e'] }, assets)).toBe(' · Snyk acme/web:package.json');
    expect(assetsNote({ assetIds: ['github:acme/web'] }, assets)).toBe('');
  });

  it('cuts after three with "and N more", and never shows an id it could not name', () => {
    const many = [1, 2, 3, 4, 5].map(instance);
    expect(assetsNote({ assetIds: many.map((a) => a.id) }, byId(...many))).toBe(' · on web-1 (i-01), web-2 (i-02), web-3 (i-03) and 2 more');
    expect(assetsNote({ assetIds: ['ssm:i-09', 'snyk:project:gone'] }, byId(project))).toBe('');
  });

  it('escapes what Slack would read as markup', () => {
    const odd = anAsset({ id: 'snyk:project:1', kind: 'application', name: 'acme/<web>:package.json', source: 'snyk' });
    expect(assetsNote({ assetIds: [odd.id] }, byId(odd))).toBe(' · Snyk acme/&lt;web&gt;:package.json');
  });
});

describe('namedAssetIds', () => {
  it('is what a line names: the first three instances and Snyk projects, no repository', () => {
    const ids = ['github:acme/web', ...[1, 2, 3, 4].map((n) => `ssm:i-0${n}`), 'snyk:project:a'];
    expect(namedAssetIds({ assetIds: ids })).toEqual(['ssm:i-01', 'ssm:i-02', 'ssm:i-03', 'snyk:project:a']);
  });
});
