/** The stores the contract suite runs against: SQLite always (inline, and with its writer thread), MongoDB when MONGODB_URI is set. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '../../src/app/ports.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.js';
import { startSqliteWriterThread, type SqliteWriterThread } from '../../src/store/sqlite/writer-thread.js';
import type { StoreAdapter } from './contract-context.js';

/**
 * `thread`: the bot's SQLite store, its writes on a writer thread (src/store/sqlite/writer-thread.ts); one thread
 * serves every database of the run (each test's, and its second connection's writes).
 */
function sqliteAdapter(mode: 'inline' | 'thread' = 'inline'): StoreAdapter {
  let root: string | null = null;
  let current = '';
  let n = 0;
  let thread: Promise<SqliteWriterThread> | null = null;
  const writer = async () => (mode === 'inline' ? 'inline' : await (thread ??= startSqliteWriterThread()));
  return {
    name: mode === 'thread' ? 'sqlite-thread' : 'sqlite',
    open: async () => {
      root ??= mkdtempSync(join(tmpdir(), 'patchwarden-contract-'));
      n += 1;
      current = join(root, `db-${n}`, 'patchwarden.db');
      return openSqliteStore({ path: current, writer: await writer() });
    },
    openSecond: async () => openSqliteStore({ path: current, writer: await writer() }),
    cleanup: async () => {
      await (await thread)?.close();
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
  const sqlite = [sqliteAdapter(), sqliteAdapter('thread')];
  return uri ? [...sqlite, mongoAdapter(uri)] : sqlite;
}
