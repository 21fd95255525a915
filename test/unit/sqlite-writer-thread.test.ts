/** The SQLite store's writer thread: what the contract suite cannot see from the port alone. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '../../src/app/ports.js';
import type { Finding } from '../../src/domain/finding.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.js';
import { startSqliteWriterThread, type SqliteWriterThread } from '../../src/store/sqlite/writer-thread.js';
import { aFinding, anAsset } from '../support/builders.js';

describe('the SQLite writer thread', () => {
  let dir: string;
  let thread: SqliteWriterThread;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pw-writer-'));
    thread = await startSqliteWriterThread();
  });
  afterAll(async () => {
    await thread.close();
    rmSync(dir, { recursive: true, force: true });
  });
  let n = 0;
  const open = (): Promise<Store> => openSqliteStore({ path: join(dir, `db-${(n += 1)}`, 'patchwarden.db'), writer: thread });
  const event = (subject: string) => ({ at: '2026-11-02T09:00:00.000Z', actor: 'system:test', action: 'asset.discovered' as const, subject, data: {} });

  it('writes sent together (grouped into one transaction) are each applied or refused on their own, as alone', async () => {
    const store = await open();
    const box = anAsset({ id: 'ssm:i-1' });
    // A finding without an asset id breaks a NOT NULL constraint: that commit fails, alone.
    const broken = { ...aFinding({ id: 'ssm:i-1:KB9' }), assetId: null } as unknown as Finding;
    const results = await Promise.allSettled([
      store.commit({ assets: [box], events: [event(box.id)] }),
      store.commit({ findings: [broken], events: [event(broken.id)] }),
      store.kv.put('ns', 'k', { v: 1 }),
      store.idempotency.claim('command:1', new Date()),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_CONSTRAINT_NOTNULL' });
    expect(await store.assets.get(box.id)).toEqual(box);
    expect(await store.findings.get(broken.id)).toBeNull();
    expect(await store.kv.get('ns', 'k')).toEqual({ v: 1 });
    expect((await store.audit.read(1, 10)).map((e) => e.subject)).toEqual([box.id]);
    expect(await store.idempotency.claim('command:1', new Date())).toBe(false);
    await store.close();
  });

  it('closing a store writes everything sent before it', async () => {
    const store = await open();
    const writes = Array.from({ length: 20 }, (_, i) => store.kv.put('ns', `k${i}`, i));
    await store.close();
    await Promise.all(writes);
    const again = await openSqliteStore({ path: join(dir, `db-${n}`, 'patchwarden.db') });
    expect((await again.kv.getMany('ns', Array.from({ length: 20 }, (_, i) => `k${i}`))).size).toBe(20);
    await again.close();
  });

  it('serves several databases, each on its own connections', async () => {
    const [a, b] = [await open(), await open()];
    await Promise.all([a.kv.put('ns', 'which', 'a'), b.kv.put('ns', 'which', 'b')]);
    expect([await a.kv.get('ns', 'which'), await b.kv.get('ns', 'which')]).toEqual(['a', 'b']);
    await Promise.all([a.close(), b.close()]);
  });
});
