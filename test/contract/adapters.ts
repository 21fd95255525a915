/** The stores the contract suite runs against: SQLite always, MongoDB when MONGODB_URI is set. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '../../src/app/ports.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.js';
import type { StoreAdapter } from './contract-context.js';

function sqliteAdapter(): StoreAdapter {
  let root: string | null = null;
  let current = '';
  let n = 0;
  return {
    name: 'sqlite',
    open: async () => {
      root ??= mkdtempSync(join(tmpdir(), 'patchwarden-contract-'));
      n += 1;
      current = join(root, `db-${n}`, 'patchwarden.db');
      return openSqliteStore({ path: current });
    },
    openSecond: async () => openSqliteStore({ path: current }),
    cleanup: async () => {
      if (root) rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The URI with its database name replaced (hosts, credentials and options kept). */
export function withDatabase(uri: string, name: string): string {
  const m = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(uri);
  if (!m) throw new Error('MONGODB_URI is not a mongodb:// or mongodb+srv:// URI');
  return `${m[1]}/${name}${m[2] ?? ''}`;
}

function mongoAdapter(uri: string): StoreAdapter {
  const run = `pw_contract_${process.pid}_${Date.now().toString(36)}`;
  const databases: string[] = [];
  // Loaded only when MONGODB_URI is set: the SQLite run never loads mongoose.
  const openMongo = async (dbUri: string): Promise<Store> => (await import('../../src/store/mongo/open-mongo-store.js')).openMongoStore({ uri: dbUri });
  return {
    name: 'mongo',
    open: async () => {
      databases.push(withDatabase(uri, `${run}_${databases.length + 1}`));
      return openMongo(databases.at(-1)!);
    },
    openSecond: async () => openMongo(databases.at(-1)!),
    cleanup: async () => {
      const { default: mongoose } = await import('mongoose');
      for (const dbUri of databases.splice(0)) {
        const conn = await mongoose.createConnection(dbUri).asPromise();
        await conn.dropDatabase();
        await conn.close();
      }
    },
  };
}

export function storeAdapters(): StoreAdapter[] {
  const uri = process.env['MONGODB_URI'];
  return uri ? [sqliteAdapter(), mongoAdapter(uri)] : [sqliteAdapter()];
}
