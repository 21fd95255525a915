/**
 * Two OS processes writing the same SQLite file at once: busy_timeout makes them queue, immediate transactions
 * make each version check and audit append see the other's committed writes, so nothing is lost or forked.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { verifyChain } from '../../src/app/audit.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.js';
import { aRemediation } from '../support/builders.js';

const run = promisify(execFile);
const here = fileURLToPath(new URL('.', import.meta.url));
const ROUNDS = 150;

describe('SQLite with two writer processes', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'patchwarden-concurrency-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('applies every version-checked update once, keeps one unbroken audit chain, and grants each claim once', async () => {
    const path = join(dir, 'patchwarden.db');
    const store = await openSqliteStore({ path });
    const r = aRemediation();
    expect((await store.remediations.create(r, [])).ok).toBe(true);
    await store.close();

    const startAt = String(Date.now() + 2000);
    const writer = (name: string) =>
      run(process.execPath, ['--import', 'tsx', join(here, 'sqlite-concurrency-writer.ts'), path, r.id, name, String(ROUNDS), startAt], {
        cwd: join(here, '..', '..'),
      });
    const outputs = await Promise.all([writer('a'), writer('b')]);
    const results = outputs.map((o) => JSON.parse(o.stdout) as { updates: number; conflicts: number; claims: number });

    expect(results.map((x) => x.updates)).toEqual([ROUNDS, ROUNDS]);
    expect(results[0]!.claims + results[1]!.claims).toBe(ROUNDS);
    const after = await openSqliteStore({ path });
    try {
      await expect(after.remediations.get(r.id)).resolves.toMatchObject({ version: 1 + 2 * ROUNDS });
      const verdict = await verifyChain(after.audit.stream());
      expect(verdict).toMatchObject({ ok: true, count: 4 * ROUNDS });
      expect((await after.audit.bySubject(r.id)).filter((e) => e.action === 'remediation.updated')).toHaveLength(2 * ROUNDS);
    } finally {
      await after.close();
    }
  });
});
