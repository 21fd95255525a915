import { aFinding, anAsset } from '../support/builders.js';
import { byId, event, ids, type ContractContext } from './contract-context.js';

export function assetAndFindingContract(ctx: ContractContext): void {
  describe('assets', () => {
    it('commit stores an asset and get reads it back whole', async () => {
      const asset = anAsset({ environment: null, owner: null, attributes: { pingStatus: 'Online', agents: 2, managed: true, note: null } });
      await ctx.store().commit({ assets: [asset], events: [] });
      await expect(ctx.store().assets.get(asset.id)).resolves.toEqual(asset);
    });

    it('get of an unknown id is null', async () => {
      await expect(ctx.store().assets.get('github:acme/nothing')).resolves.toBeNull();
    });

    it('commit of the same id again replaces the record', async () => {
      const asset = anAsset({ owner: 'U0OLD', inScope: true });
      await ctx.store().commit({ assets: [asset], events: [] });
      const changed = { ...asset, owner: 'U0NEW', inScope: false };
      await ctx.store().commit({ assets: [changed], events: [] });
      await expect(ctx.store().assets.get(asset.id)).resolves.toEqual(changed);
      await expect(ctx.store().assets.list()).resolves.toEqual([changed]);
      await expect(ctx.store().assets.list({ inScope: true })).resolves.toEqual([]);
    });

    it('getMany returns those that exist', async () => {
      const [a, b, c] = [anAsset(), anAsset(), anAsset()];
      await ctx.store().commit({ assets: [a, b, c], events: [] });
      const found = await ctx.store().assets.getMany([c.id, 'github:acme/missing', a.id]);
      expect(byId(found)).toEqual(byId([a, c]));
      await expect(ctx.store().assets.getMany([])).resolves.toEqual([]);
    });

    it('list filters by source and by scope', async () => {
      const repo = anAsset({ source: 'github', inScope: true });
      const outOfScope = anAsset({ source: 'github', inScope: false });
      const instance = anAsset({ id: 'ssm:i-0abc', kind: 'instance', source: 'ssm', inScope: true });
      await ctx.store().commit({ assets: [repo, outOfScope, instance], events: [] });
      expect(ids(byId(await ctx.store().assets.list()))).toEqual(ids(byId([repo, outOfScope, instance])));
      expect(ids(byId(await ctx.store().assets.list({ source: 'github' })))).toEqual(ids(byId([repo, outOfScope])));
      expect(ids(await ctx.store().assets.list({ inScope: false }))).toEqual([outOfScope.id]);
      expect(ids(await ctx.store().assets.list({ source: 'ssm', inScope: true }))).toEqual([instance.id]);
      await expect(ctx.store().assets.list({ source: 'snyk' })).resolves.toEqual([]);
    });
  });

  describe('findings', () => {
    it('commit stores a finding and get reads it back whole', async () => {
      const finding = aFinding({ kevDueAt: '2026-11-20T00:00:00.000Z', cves: ['CVE-2026-1', 'CVE-2026-2'], ghsas: ['GHSA-xxxx'], epss: null });
      await ctx.store().commit({ findings: [finding], events: [] });
      await expect(ctx.store().findings.get(finding.id)).resolves.toEqual(finding);
      await expect(ctx.store().findings.get('snyk:missing')).resolves.toBeNull();
    });

    it('commit of the same id again replaces the record, indexed fields included', async () => {
      const finding = aFinding({ state: 'open', remediationId: null });
      await ctx.store().commit({ findings: [finding], events: [] });
      const fixed = { ...finding, state: 'fixed' as const, fixedAt: '2026-11-05T00:00:00.000Z', remediationId: 'PW-7' };
      await ctx.store().commit({ findings: [fixed], events: [] });
      await expect(ctx.store().findings.get(finding.id)).resolves.toEqual(fixed);
      await expect(ctx.store().findings.count({ state: 'open' })).resolves.toBe(0);
      expect(ids(await ctx.store().findings.list({ remediationId: 'PW-7' }))).toEqual([finding.id]);
    });

    it('countByAsset counts the matching findings of each asset that has some, in asset id order', async () => {
      const findings = [
        aFinding({ assetId: 'github:acme/web' }),
        aFinding({ assetId: 'github:acme/api' }),
        aFinding({ assetId: 'github:acme/api' }),
        aFinding({ assetId: 'github:acme/api', state: 'fixed' }),
        aFinding({ assetId: 'github:acme/old', state: 'dismissed' }),
      ];
      await ctx.store().commit({ findings, events: [] });
      await expect(ctx.store().findings.countByAsset({ state: 'open' })).resolves.toEqual([
        { assetId: 'github:acme/api', count: 2 },
        { assetId: 'github:acme/web', count: 1 },
      ]);
      await expect(ctx.store().findings.countByAsset()).resolves.toEqual([
        { assetId: 'github:acme/api', count: 3 },
        { assetId: 'github:acme/old', count: 1 },
        { assetId: 'github:acme/web', count: 1 },
      ]);
      await expect(ctx.store().findings.countByAsset({ source: 'ssm' })).resolves.toEqual([]);
    });

    it('getMany returns those that exist', async () => {
      const [a, b] = [aFinding(), aFinding()];
      await ctx.store().commit({ findings: [a, b], events: [] });
      expect(byId(await ctx.store().findings.getMany([b.id, a.id, 'nope']))).toEqual(byId([a, b]));
    });

    it('list and count filter by asset, remediation, source and state', async () => {
      const api = [aFinding({ assetId: 'github:acme/api', remediationId: 'PW-1' }), aFinding({ assetId: 'github:acme/api', state: 'fixed' })];
      const web = aFinding({ assetId: 'github:acme/web', remediationId: 'PW-1', state: 'dismissed' });
      const ssm = aFinding({ id: 'ssm:i-0abc:KB5005565', source: 'ssm', assetId: 'ssm:i-0abc', remediationId: 'PW-2' });
      await ctx.store().commit({ findings: [...api, web, ssm], events: [] });
      const cases = [
        [{}, [...api, web, ssm]],
        [{ assetId: 'github:acme/api' }, api],
        [{ remediationId: 'PW-1' }, [api[0]!, web]],
        [{ source: 'ssm' as const }, [ssm]],
        [{ state: 'open' as const }, [api[0]!, ssm]],
        [{ source: 'github' as const, state: 'open' as const }, [api[0]!]],
        [{ assetId: 'github:acme/api', state: 'dismissed' as const }, []],
      ] as const;
      for (const [query, expected] of cases) {
        expect(ids(byId(await ctx.store().findings.list(query)))).toEqual(ids(byId(expected)));
        await expect(ctx.store().findings.count(query)).resolves.toBe(expected.length);
      }
    });

  });

  describe('commit', () => {
    it('commit writes assets, findings and events together, and a bulk commit keeps every record', async () => {
      const asset = anAsset();
      const findings = Array.from({ length: 2000 }, (_, i) => aFinding({ id: `snyk:bulk-${i}`, source: 'snyk', assetId: asset.id }));
      await ctx.store().commit({ assets: [asset], findings, events: [event('sync:1', 'sync.completed', { findings: 2000 })] });
      await expect(ctx.store().findings.count({ assetId: asset.id })).resolves.toBe(2000);
      await expect(ctx.store().findings.get('snyk:bulk-1999')).resolves.toEqual(findings[1999]);
      await expect(ctx.store().assets.get(asset.id)).resolves.toEqual(asset);
      const head = await ctx.store().audit.head();
      expect(head).toMatchObject({ seq: 1, action: 'sync.completed', subject: 'sync:1', data: { findings: 2000 } });
    });
  });
}
