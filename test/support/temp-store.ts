/** A real SQLite store in a fresh temporary folder, for tests that cross the store. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '../../src/app/ports.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.js';

export interface TempStore {
  readonly store: Store;
  readonly dir: string;
  readonly path: string;
  dispose(): Promise<void>;
}

export async function tempStore(): Promise<TempStore> {
  const dir = mkdtempSync(join(tmpdir(), 'pw-store-'));
  const path = join(dir, 'patchwarden.db');
  const store = await openSqliteStore({ path });
  return {
    store,
    dir,
    path,
    async dispose() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
