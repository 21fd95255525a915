import { T0 } from '../support/builders.js';
import type { ContractContext } from './contract-context.js';

const at = (ms: number): Date => new Date(T0.getTime() + ms);
const TTL = 60_000;

export function idempotencyContract(ctx: ContractContext): void {
  it('claim is true the first time and false every time after', async () => {
    const keys = ctx.store().idempotency;
    await expect(keys.claim('slack:retry:Ev01', T0)).resolves.toBe(true);
    await expect(keys.claim('slack:retry:Ev01', T0)).resolves.toBe(false);
    await expect(keys.claim('slack:retry:Ev01', at(TTL))).resolves.toBe(false);
    await expect(keys.claim('slack:retry:Ev02', T0)).resolves.toBe(true);
  });

  it('a released key can be claimed again, once; releasing an unknown key does nothing', async () => {
    const keys = ctx.store().idempotency;
    await expect(keys.claim('view:V1:abc', T0)).resolves.toBe(true);
    await keys.release('view:V1:abc');
    await expect(keys.claim('view:V1:abc', T0)).resolves.toBe(true);
    await expect(keys.claim('view:V1:abc', T0)).resolves.toBe(false);
    await expect(keys.release('never-claimed')).resolves.toBeUndefined();
  });

  it('a completed key is done for good: never claimed again, and release leaves it done', async () => {
    const keys = ctx.store().idempotency;
    await expect(keys.state('view:V2:abc')).resolves.toBeNull();
    await expect(keys.claim('view:V2:abc', T0, TTL)).resolves.toBe(true);
    await expect(keys.state('view:V2:abc')).resolves.toEqual({ state: 'in_progress', until: at(TTL) });
    await keys.complete('view:V2:abc');
    await keys.release('view:V2:abc');
    await expect(keys.state('view:V2:abc')).resolves.toEqual({ state: 'done' });
    await expect(keys.claim('view:V2:abc', at(10 * TTL), TTL)).resolves.toBe(false);
  });

  it('a claim in progress holds until its hold runs out, then the next claim takes it, once', async () => {
    const keys = ctx.store().idempotency;
    await expect(keys.claim('action:U1:pw.assess:1', T0, TTL)).resolves.toBe(true);
    await expect(keys.claim('action:U1:pw.assess:1', at(TTL - 1), TTL)).resolves.toBe(false);
    await expect(keys.claim('action:U1:pw.assess:1', at(TTL), TTL)).resolves.toBe(true);
    await expect(keys.claim('action:U1:pw.assess:1', at(TTL + 1), TTL)).resolves.toBe(false);
    await expect(keys.state('action:U1:pw.assess:1')).resolves.toEqual({ state: 'in_progress', until: at(2 * TTL) });
    // Without a hold, a claim holds until completed or released.
    await expect(keys.claim('digest:2026-11', T0)).resolves.toBe(true);
    await expect(keys.claim('digest:2026-11', at(100 * TTL), TTL)).resolves.toBe(false);
    await expect(keys.state('digest:2026-11')).resolves.toEqual({ state: 'in_progress', until: null });
    await keys.release('digest:2026-11');
    await expect(keys.claim('digest:2026-11', at(1), TTL)).resolves.toBe(true);
  });

  (ctx.hasSecond ? it : it.skip)('of two connections taking a lapsed key, exactly one gets it', async () => {
    const other = await ctx.second();
    await expect(ctx.store().idempotency.claim('event:Ev9', T0, TTL)).resolves.toBe(true);
    const both = await Promise.all([ctx.store().idempotency.claim('event:Ev9', at(TTL), TTL), other.idempotency.claim('event:Ev9', at(TTL), TTL)]);
    expect(both.sort()).toEqual([false, true]);
  });

  (ctx.hasSecond ? it : it.skip)('a key claimed on one connection is taken on the other', async () => {
    const other = await ctx.second();
    const both = await Promise.all([ctx.store().idempotency.claim('click:1', T0), other.idempotency.claim('click:1', T0)]);
    expect(both.sort()).toEqual([false, true]);
    await expect(other.idempotency.claim('click:1', T0)).resolves.toBe(false);
    await expect(ctx.store().idempotency.claim('click:1', T0)).resolves.toBe(false);
  });
}

export function leaseContract(ctx: ContractContext): void {
  const leases = () => ctx.store().leases;

  it('a free lease is acquired, and refused to a second holder while it runs', async () => {
    await expect(leases().acquire('digest', 'replica-a', TTL, T0)).resolves.toBe(true);
    await expect(leases().acquire('digest', 'replica-b', TTL, at(TTL - 1))).resolves.toBe(false);
    await expect(leases().acquire('sync', 'replica-b', TTL, T0)).resolves.toBe(true);
  });

  it('the holder may acquire again and renew, which pushes the expiry out', async () => {
    await expect(leases().acquire('digest', 'replica-a', TTL, T0)).resolves.toBe(true);
    await expect(leases().acquire('digest', 'replica-a', TTL, at(1000))).resolves.toBe(true);
    await expect(leases().renew('digest', 'replica-a', TTL, at(TTL / 2))).resolves.toBe(true);
    // Past the first expiry but within the renewed one: still held.
    await expect(leases().acquire('digest', 'replica-b', TTL, at(TTL + 1000))).resolves.toBe(false);
    await expect(leases().acquire('digest', 'replica-b', TTL, at(TTL / 2 + TTL))).resolves.toBe(true);
  });

  it('expires after its ttl; then another holder acquires it and the first can no longer renew', async () => {
    await expect(leases().acquire('deploy:PW-1', 'replica-a', TTL, T0)).resolves.toBe(true);
    await expect(leases().acquire('deploy:PW-1', 'replica-b', TTL, at(TTL))).resolves.toBe(true);
    await expect(leases().renew('deploy:PW-1', 'replica-a', TTL, at(TTL + 1))).resolves.toBe(false);
    await expect(leases().acquire('deploy:PW-1', 'replica-a', TTL, at(TTL + 1))).resolves.toBe(false);
  });

  it('renew of an expired lease fails even when no one else took it', async () => {
    await expect(leases().acquire('digest', 'replica-a', TTL, T0)).resolves.toBe(true);
    await expect(leases().renew('digest', 'replica-a', TTL, at(TTL + 1))).resolves.toBe(false);
    await expect(leases().renew('never-taken', 'replica-a', TTL, T0)).resolves.toBe(false);
  });

  it('release by the holder frees it; release by anyone else does nothing', async () => {
    await expect(leases().acquire('digest', 'replica-a', TTL, T0)).resolves.toBe(true);
    await leases().release('digest', 'replica-b');
    await expect(leases().acquire('digest', 'replica-b', TTL, at(1))).resolves.toBe(false);
    await leases().release('digest', 'replica-a');
    await expect(leases().acquire('digest', 'replica-b', TTL, at(2))).resolves.toBe(true);
    await expect(leases().renew('digest', 'replica-a', TTL, at(3))).resolves.toBe(false);
  });

  (ctx.hasSecond ? it : it.skip)('of two connections racing for a free lease exactly one gets it', async () => {
    const other = await ctx.second();
    const won = await Promise.all([leases().acquire('digest', 'replica-a', TTL, T0), other.leases.acquire('digest', 'replica-b', TTL, T0)]);
    expect(won.filter(Boolean)).toHaveLength(1);
    const holder = won[0] ? 'replica-a' : 'replica-b';
    await expect(other.leases.renew('digest', holder, TTL, at(1))).resolves.toBe(true);
  });
}

export function keyValueContract(ctx: ContractContext): void {
  const kv = () => ctx.store().kv;

  it('get of a missing key is null; put then get returns the value', async () => {
    await expect(kv().get('github', 'etag:/orgs/acme/dependabot/alerts')).resolves.toBeNull();
    const value = { etag: 'W/"abc"', cursor: null, seen: [1, 2, 3], nested: { ok: true } };
    await kv().put('github', 'etag:/orgs/acme/dependabot/alerts', value);
    await expect(kv().get('github', 'etag:/orgs/acme/dependabot/alerts')).resolves.toEqual(value);
  });

  it('put replaces, and namespaces are separate', async () => {
    await kv().put('kev', 'CVE-2026-1', { dueAt: '2026-12-01' });
    await kv().put('kev', 'CVE-2026-1', { dueAt: '2026-12-15' });
    await kv().put('epss', 'CVE-2026-1', 0.97);
    await expect(kv().get('kev', 'CVE-2026-1')).resolves.toEqual({ dueAt: '2026-12-15' });
    await expect(kv().get('epss', 'CVE-2026-1')).resolves.toBe(0.97);
    await expect(kv().get('snyk', 'CVE-2026-1')).resolves.toBeNull();
  });

  it('putMany writes all and getMany returns only the keys found', async () => {
    await kv().putMany('epss', new Map<string, unknown>([['CVE-1', 0.1], ['CVE-2', 0.2], ['CVE-3', 'text']]));
    await kv().put('kev', 'CVE-4', true);
    const got = await kv().getMany('epss', ['CVE-1', 'CVE-3', 'CVE-4', 'CVE-404']);
    expect([...got.entries()].sort()).toEqual([['CVE-1', 0.1], ['CVE-3', 'text']]);
    await expect(kv().getMany('epss', [])).resolves.toEqual(new Map());
  });

  it('list gives a namespace’s entries by key, and delete removes one (a missing key is no error)', async () => {
    await kv().put('runs', 'PW-2', { runId: 's-2', instances: ['i-1'] });
    await kv().put('runs', 'PW-10', { runId: 's-10' });
    await kv().put('other', 'PW-3', 1);
    await expect(kv().list('runs')).resolves.toEqual(new Map<string, unknown>([['PW-10', { runId: 's-10' }], ['PW-2', { runId: 's-2', instances: ['i-1'] }]]));
    await kv().delete('runs', 'PW-10');
    await kv().delete('runs', 'PW-404');
    await expect(kv().list('runs')).resolves.toEqual(new Map([['PW-2', { runId: 's-2', instances: ['i-1'] }]]));
    await expect(kv().get('runs', 'PW-10')).resolves.toBeNull();
    await expect(kv().list('nothing-here')).resolves.toEqual(new Map());
  });
}
