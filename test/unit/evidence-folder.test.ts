import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EvidenceCorrupted, type Store } from '../../src/app/ports.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.js';

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const bytes = Buffer.from('SSM staging run: 3 instances patched, 0 failed');

describe('the folder evidence store beside the SQLite file', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'patchwarden-evidence-'));
    store = await openSqliteStore({ path: join(dir, 'data', 'patchwarden.db') });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const fileOf = (sha: string): string => join(dir, 'data', 'evidence', sha.slice(0, 2), sha.slice(2, 4), sha);

  it('writes the bytes to <dbdir>/evidence/ab/cd/<sha256>, read-only, with no temp file left behind', async () => {
    const { sha256: sha } = await store.evidence.put(bytes, 'run.log', 'text/plain');
    expect(sha).toBe(sha256(bytes));
    expect(existsSync(fileOf(sha))).toBe(true);
    expect(statSync(fileOf(sha)).mode & 0o777).toBe(0o444);
    expect(readdirSync(join(fileOf(sha), '..'))).toEqual([sha]);
  });

  it('uses the evidenceDir it is given', async () => {
    const other = await openSqliteStore({ path: join(dir, 'b', 'x.db'), evidenceDir: join(dir, 'elsewhere') });
    const { sha256: sha } = await other.evidence.put(bytes, 'run.log', 'text/plain');
    await other.close();
    expect(existsSync(join(dir, 'elsewhere', sha.slice(0, 2), sha.slice(2, 4), sha))).toBe(true);
  });

  it('get throws EvidenceCorrupted when the file no longer matches its hash', async () => {
    const { sha256: sha } = await store.evidence.put(bytes, 'run.log', 'text/plain');
    chmodSync(fileOf(sha), 0o644);
    writeFileSync(fileOf(sha), 'SSM staging run: 3 instances patched, 1 failed');
    await expect(store.evidence.get(sha)).rejects.toBeInstanceOf(EvidenceCorrupted);
    await expect(store.evidence.get(sha)).rejects.toMatchObject({ sha256: sha });
  });

  it('putting the same bytes again repairs a damaged copy', async () => {
    const { sha256: sha } = await store.evidence.put(bytes, 'run.log', 'text/plain');
    chmodSync(fileOf(sha), 0o644);
    writeFileSync(fileOf(sha), 'SSM staging run: 3 instances patched, 1 failed');
    await store.evidence.put(bytes, 'again.log', 'text/plain');
    await expect(store.evidence.get(sha)).resolves.toEqual({ bytes, name: 'run.log', mimeType: 'text/plain' });
    expect(statSync(fileOf(sha)).mode & 0o777).toBe(0o444);
    expect(readdirSync(join(fileOf(sha), '..'))).toEqual([sha]);
  });

  it('syncs the folders after the rename, so the new file survives a power cut', async () => {
    const synced: string[] = [];
    const other = await openSqliteStore({ path: join(dir, 'c', 'x.db'), evidence: { syncDir: async (d) => void synced.push(d) } });
    const { sha256: sha } = await other.evidence.put(bytes, 'run.log', 'text/plain');
    const second = Buffer.from(`${sha.slice(0, 4)} shares nothing with this one`);
    await other.evidence.put(second, 'b.log', 'text/plain');
    await other.close();
    const root = join(dir, 'c', 'evidence');
    // The file's folder and every folder a new one was made in; for a second file, its own new folders only.
    expect(synced.slice(0, 3)).toEqual([join(root, sha.slice(0, 2), sha.slice(2, 4)), join(root, sha.slice(0, 2)), root]);
    expect(synced.slice(3)).toContain(join(root, sha256(second).slice(0, 2), sha256(second).slice(2, 4)));
  });

  it('get throws EvidenceCorrupted when a recorded file is gone, and has says false', async () => {
    const { sha256: sha } = await store.evidence.put(bytes, 'run.log', 'text/plain');
    unlinkSync(fileOf(sha));
    await expect(store.evidence.get(sha)).rejects.toBeInstanceOf(EvidenceCorrupted);
    await expect(store.evidence.has(sha)).resolves.toBe(false);
  });

  it('refuses anything but a SHA-256 as a name, so no path can escape the folder', async () => {
    await expect(store.evidence.get('../../patchwarden.db')).resolves.toBeNull();
    await expect(store.evidence.has('../../patchwarden.db')).resolves.toBe(false);
    await expect(store.evidence.get(sha256(bytes).toUpperCase())).resolves.toBeNull();
  });

  it('keeps the files and their names across a reopen', async () => {
    const { sha256: sha } = await store.evidence.put(bytes, 'run.log', 'text/plain');
    await store.close();
    store = await openSqliteStore({ path: join(dir, 'data', 'patchwarden.db') });
    await expect(store.evidence.get(sha)).resolves.toEqual({ bytes, name: 'run.log', mimeType: 'text/plain' });
  });
});
