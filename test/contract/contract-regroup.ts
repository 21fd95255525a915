/**
 * A store from before missing OS patches were grouped by patch baseline: one remediation per environment mixing a
 * Windows KB and Linux packages. The regrouping (src/app/sync/regroup-os-patches.ts) works through the port, so every
 * adapter must carry it the same way: nothing recorded lost, the split in the audit trail, the chain still valid.
 */
import { verifyChain } from '../../src/app/audit.js';
import { regroupOsPatches } from '../../src/app/sync/regroup-os-patches.js';
import { DEFAULT_SLA } from '../../src/domain/sla.js';
import { aFinding, anAsset, aRemediation, T0 } from '../support/builders.js';
import { event, type ContractContext } from './contract-context.js';

const linux = { platform: 'Linux', platformName: 'Amazon Linux', patchGroup: 'production', baselineId: 'pb-linux' };
const windows = { platform: 'Windows', platformName: 'Microsoft Windows Server 2022 Datacenter', patchGroup: 'production', baselineId: 'pb-windows' };
const boxes = [
  anAsset({ id: 'ssm:i-web1', name: 'web-1', kind: 'instance', source: 'ssm', environment: 'production', owner: null, attributes: linux }),
  anAsset({ id: 'ssm:i-web2', name: 'web-2', kind: 'instance', source: 'ssm', environment: 'production', owner: null, attributes: linux }),
  anAsset({ id: 'ssm:i-dc1', name: 'dc-1', kind: 'instance', source: 'ssm', environment: 'production', owner: null, attributes: windows }),
];
const patch = (box: string, kb: string, over = {}) =>
  aFinding({ id: `ssm:${box}:${kb}`, source: 'ssm', assetId: `ssm:${box}`, package: kb, fixedIn: kb, ecosystem: null, cves: [], remediationId: 'PW-1', ...over });
const findings = [
  patch('i-web1', 'glibc.x86_64:0:2.34-1.amzn2023'),
  patch('i-web2', 'glibc.x86_64:0:2.34-1.amzn2023'),
  patch('i-web2', 'openssl-libs.x86_64:1:3.0.8-1.amzn2023'),
  patch('i-dc1', 'KB5034129'),
  // Installed since: history that stays with the original.
  patch('i-dc1', 'KB5030000', { state: 'fixed', fixedAt: T0.toISOString() }),
];

export function regroupContract(ctx: ContractContext): void {
  async function oldStore() {
    const store = ctx.store();
    await store.commit({ assets: boxes, findings, events: findings.map((f) => event(f.id, 'finding.detected')) });
    const old = aRemediation({
      id: 'PW-1',
      key: 'env:production|os-patches',
      title: 'Install 4 missing OS patches on production (3 instances)',
      remedy: { kind: 'os_patches', environment: 'production', patchIds: findings.map((f) => f.package) },
      assetIds: boxes.map((b) => b.id),
      findingIds: findings.map((f) => f.id),
      cves: [],
      message: { channel: 'C0PATCH', ts: '1700000000.000100' },
    });
    await store.remediations.nextId();
    const created = await store.remediations.create(old, [event(old.id, 'remediation.created')]);
    if (!created.ok) throw new Error('setup');
    const assessment = { by: 'U0LEAD', at: T0.toISOString(), severity: 'high' as const, kevListed: false, epss: null, knownExploit: false, businessImpact: 'high' as const, rationale: 'internet-facing', owner: 'U0OPS', dueAt: old.dueAt };
    const assessed = await store.remediations.update({ ...created.value, state: 'assessed', assessment, owner: 'U0OPS' }, 1, [event(old.id, 'remediation.assessed')]);
    if (!assessed.ok) throw new Error('setup');
    return store;
  }
  const regroup = () => regroupOsPatches({ store: ctx.store(), sla: DEFAULT_SLA, now: () => T0, actor: 'system:sync' });

  it('splits a patch run mixing Windows and Linux into one per baseline, keeping history, with the split audited', async () => {
    const store = await oldStore();
    expect(await regroup()).toEqual({ split: 1, created: 1, rekeyed: 0, held: [] });

    const kept = (await store.remediations.get('PW-1'))!;
    expect(kept).toMatchObject({
      key: 'env:production|os-patches|production|pb-linux',
      title: 'Install glibc, openssl-libs on production Amazon Linux (2 instances)',
      state: 'assessed',
      owner: 'U0OPS',
      message: { channel: 'C0PATCH', ts: '1700000000.000100' },
      remedy: { kind: 'os_patches', environment: 'production', baselineId: 'pb-linux', platform: 'Amazon Linux' },
    });
    expect(kept.assessment?.rationale).toBe('internet-facing');
    expect(kept.findingIds).toEqual([...findings.slice(0, 3), findings[4]!].map((f) => f.id).sort());

    const windowsRun = (await store.remediations.getByKey('env:production|os-patches|production|pb-windows'))!;
    expect(windowsRun.id).not.toBe('PW-1');
    expect(windowsRun).toMatchObject({ title: 'Install KB5034129 on production Windows Server 2022 (1 instance)', state: 'assessed', message: null, findingIds: ['ssm:i-dc1:KB5034129'], assetIds: ['ssm:i-dc1'] });
    expect(windowsRun.assessment).toEqual(kept.assessment);
    expect((await store.findings.get('ssm:i-dc1:KB5034129'))!.remediationId).toBe(windowsRun.id);
    expect((await store.findings.get('ssm:i-dc1:KB5030000'))!.remediationId).toBe('PW-1');

    const trail = await store.audit.bySubject('PW-1');
    expect(trail.map((e) => e.action)).toEqual(['remediation.created', 'remediation.assessed', 'remediation.regrouped']);
    expect(trail.at(-1)!.data).toMatchObject({ fromKey: 'env:production|os-patches', toKey: kept.key, into: [{ id: windowsRun.id, findingIds: ['ssm:i-dc1:KB5034129'] }] });
    expect((await store.audit.bySubject(windowsRun.id))[0]).toMatchObject({ action: 'remediation.created', data: { splitFrom: 'PW-1' } });
    expect((await store.audit.bySubject('ssm:i-dc1:KB5034129')).at(-1)).toMatchObject({ action: 'finding.grouped', data: { remediationId: windowsRun.id } });
    await expect(verifyChain(store.audit.stream())).resolves.toMatchObject({ ok: true });

    // Once done, never again: a second run changes nothing.
    const head = await store.audit.head();
    expect(await regroup()).toEqual({ split: 0, created: 0, rekeyed: 0, held: [] });
    expect((await store.audit.head())!.seq).toBe(head!.seq);
  });

  it('finishes a split an interrupted run began: the part already made is joined, not made twice', async () => {
    const store = await oldStore();
    await regroup();
    const windowsRun = (await store.remediations.getByKey('env:production|os-patches|production|pb-windows'))!;
    // As if the run had died after making the part and before moving its finding and re-keying the original.
    await store.commit({ findings: [{ ...findings[3]! }], events: [event(findings[3]!.id, 'finding.grouped')] });
    const original = (await store.remediations.get('PW-1'))!;
    await store.remediations.update({ ...original, key: 'env:production|os-patches' }, original.version, [event('PW-1', 'remediation.updated')]);
    await store.kv.put('sync-state', 'os-patch-groups', null);

    expect(await regroup()).toMatchObject({ split: 1, created: 0 });
    expect((await store.findings.get(findings[3]!.id))!.remediationId).toBe(windowsRun.id);
    expect((await store.remediations.list()).map((r) => r.key).sort()).toEqual(['env:production|os-patches|production|pb-linux', 'env:production|os-patches|production|pb-windows']);
    await expect(verifyChain(store.audit.stream())).resolves.toMatchObject({ ok: true });
  });

  it('leaves a deploying patch run until its deployment ends', async () => {
    const store = await oldStore();
    const r = (await store.remediations.get('PW-1'))!;
    await store.remediations.update({ ...r, state: 'deploying' }, r.version, [event('PW-1', 'remediation.updated')]);
    expect(await regroup()).toEqual({ split: 0, created: 0, rekeyed: 0, held: ['PW-1'] });
    expect((await store.remediations.get('PW-1'))!.key).toBe('env:production|os-patches');
    expect(await store.kv.get('sync-state', 'os-patch-groups')).toBeNull();
  });
}
